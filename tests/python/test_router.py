"""Two `swiftlet serve` replicas behind vLLM's router (vllm-router from PyPI), run by `make test`.

Runs scripts/bench-router with the debug binary on its default workload (4 groups x 16 requests
sharing a 200-token prefix, concurrency 4, a KV cache holding about two prefixes per replica) under
`cache_aware`, `round_robin`, `power_of_two` and `kv_aware`, and checks what prefix-aware routing
must give: every render call answered (no fallback to /tokenize, no 4xx), each group kept on one
replica, a prefix-cache hit rate at least 0.2 above round robin's, and with `kv_aware` the
replicas' KV cache events consumed by the router and used in its decisions. About 90 seconds.
Run from the repository root: python3 tests/python/test_router.py
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("SWIFTLET_BIN", os.path.join(ROOT, ".build", "debug", "swiftlet"))


class RouterTests(unittest.TestCase):
    def test_cache_aware_keeps_groups_together(self):
        with tempfile.TemporaryDirectory() as scratch:
            out = os.path.join(scratch, "router.json")
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "bench-router"), "--json", out],
                           cwd=ROOT, check=True, env=dict(os.environ, SWIFTLET_BIN=BINARY), timeout=900)
            with open(out) as handle:
                results = {item["policy"]: item for item in json.load(handle)["results"]}
        aware, rotating, loads, events = (results["cache_aware"], results["round_robin"], results["power_of_two"],
                                          results["kv_aware"])
        for result in results.values():
            self.assertEqual(result["ok"], result["requests"], result)
            self.assertEqual(result["client_errors"], 0, result)
        # The router rendered every request on both workers and never fell back to /tokenize.
        self.assertEqual(aware["render_calls"], 2 * aware["requests"])
        self.assertEqual(aware["tokenize_calls"], 0)
        self.assertEqual(aware["groups_on_one_replica"], aware["groups"])
        self.assertGreaterEqual(aware["prefix_cache_hit_rate"], rotating["prefix_cache_hit_rate"] + 0.2, results)
        # power_of_two read the replicas' loads: both replicas served requests.
        self.assertTrue(all(count > 0 for count in loads["requests_per_replica"]), loads)
        # kv_aware: the router decoded the replicas' event batches and credited cached blocks.
        self.assertGreater(events["router_event_batches"], 0, events)
        self.assertGreater(events["router_credited_decisions"], 0, events)


if __name__ == "__main__":
    unittest.main()
