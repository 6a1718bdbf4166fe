"""Prefill/decode disaggregation behind vLLM's router, run by `make test`.

A prefill replica (--kv-transfer-config kv_producer), a decode replica (kv_consumer) and a plain
single replica; `vllm-router --vllm-pd-disaggregation` sends each request to the prefill replica
with max_tokens 1 and kv_transfer_params.do_remote_decode, then to the decode replica with the
kv_transfer_params the prefill answered, and the decode replica pulls the prompt's KV over TCP.
Greedy outputs through the router must equal the single replica's token for token (the text and
the token count), the decode replica must log a pulled KV for every request, and a decode request
whose producer is gone must fall back to computing the prompt with the same answer.
Run from the repository root: python3 tests/python/test_pd.py
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("SWIFTLET_BIN", os.path.join(ROOT, ".build", "debug", "swiftlet"))
MODEL_FILE = os.path.join("models", "SmolLM2-135M-Instruct.Q4_1.gguf")
PROMPTS = [
    "The capital of France is",
    "Write one sentence about the sea, the wind and the old lighthouse that stands on the cliff above the harbour:",
    "List three colours: red,",
    " ".join(["Numbers go up one by one:"] + [str(n) for n in range(1, 40)]),
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(url, body, timeout=300):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def wait_health(url, process, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} never became healthy")


class Replica:
    def __init__(self, *flags):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(delete=False)
        self.process = subprocess.Popen([BINARY, "serve", MODEL_FILE, "--port", str(self.port), "--served-model-name", "m",
                                         "--max-model-len", "512", "--kv-cache-memory", "24MiB", *flags],
                                        cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)

    def text(self):
        with open(self.log.name, errors="replace") as handle:
            return handle.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(30)
        os.unlink(self.log.name)


class PDTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("vllm-router"):
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "vllm-router"], check=True)
        cls.kv_port = free_port()
        cls.prefill = Replica("--kv-transfer-config", json.dumps({"kv_connector": "TCPConnector", "kv_role": "kv_producer",
                                                                   "kv_port": cls.kv_port}))
        cls.decode = Replica("--kv-transfer-config", json.dumps({"kv_connector": "TCPConnector", "kv_role": "kv_consumer"}))
        cls.single = Replica()
        for replica in (cls.prefill, cls.decode, cls.single):
            wait_health(replica.url, replica.process)
        cls.router_port = free_port()
        cls.router_log = tempfile.TemporaryFile()
        cls.router = subprocess.Popen(["vllm-router", "--host", "127.0.0.1", "--port", str(cls.router_port),
                                       "--vllm-pd-disaggregation", "--prefill", cls.prefill.url, "--decode", cls.decode.url,
                                       "--policy", "round_robin"], stdout=cls.router_log, stderr=subprocess.STDOUT)
        wait_health(f"http://127.0.0.1:{cls.router_port}", cls.router, 60)

    @classmethod
    def tearDownClass(cls):
        cls.router.terminate()
        cls.router.wait(10)
        cls.router_log.close()
        for replica in (cls.prefill, cls.decode, cls.single):
            replica.stop()

    def computed_prompt_tokens(self):
        with urllib.request.urlopen(self.decode.url + "/metrics") as response:
            metrics = response.read().decode()
        computed = re.search(r'vllm:prompt_tokens_by_source_total\{model_name="m",source="local_compute"\} ([0-9.]+)', metrics)
        self.assertIsNotNone(computed, metrics[-1500:])
        return float(computed.group(1))

    def test_router_outputs_equal_a_single_replica(self):
        computed_before = self.computed_prompt_tokens()
        for prompt in PROMPTS:
            body = {"model": "m", "prompt": prompt, "max_tokens": 16, "temperature": 0, "ignore_eos": True}
            routed = post(f"http://127.0.0.1:{self.router_port}/v1/completions", body)
            alone = post(self.single.url + "/v1/completions", body)
            self.assertEqual(routed["choices"][0]["text"], alone["choices"][0]["text"], prompt)
            self.assertEqual(routed["usage"], alone["usage"])
        # The router names its requests ___prefill_addr_..., so these lines are its requests alone.
        routed = [line for line in self.decode.text().splitlines() if line.startswith("KV transfer ___prefill_addr")]
        self.assertEqual(sum("pulled the KV of" in line for line in routed), len(PROMPTS), routed)
        self.assertFalse(any("pull failed" in line for line in routed), routed)
        # The decode replica computed one prompt token per request (the last); the rest was transferred.
        self.assertEqual(self.computed_prompt_tokens() - computed_before, len(PROMPTS))
        # The prefill replica answered each with one token and the decode instance's coordinates.
        self.assertEqual(sum("___prefill_addr" in line and "max_tokens 1, n 1" in line
                             for line in self.prefill.text().splitlines()), len(PROMPTS))

    def test_prefill_answer_names_the_blocks(self):
        body = {"model": "m", "prompt": PROMPTS[1], "max_tokens": 1, "temperature": 0,
                "kv_transfer_params": {"do_remote_decode": True}}
        answer = post(self.prefill.url + "/v1/completions", body)
        params = answer["kv_transfer_params"]
        self.assertTrue(params["do_remote_prefill"])
        self.assertEqual(params["remote_port"], self.kv_port)
        self.assertEqual(params["remote_host"], "127.0.0.1")
        tokens = answer["usage"]["prompt_tokens"]
        self.assertEqual(len(params["remote_block_ids"]), (tokens + 15) // 16)
        # A decode request pulls them; a second pull of the same blocks finds nothing and recomputes.
        decode_body = {"model": "m", "prompt": PROMPTS[1], "max_tokens": 8, "temperature": 0, "ignore_eos": True,
                       "kv_transfer_params": params}
        first = post(self.decode.url + "/v1/completions", dict(decode_body, request_id="pd-first"))
        second = post(self.decode.url + "/v1/completions", dict(decode_body, request_id="pd-second"))
        alone = post(self.single.url + "/v1/completions", dict(decode_body, kv_transfer_params=None))
        self.assertEqual(first["choices"][0]["text"], alone["choices"][0]["text"])
        self.assertEqual(second["choices"][0]["text"], alone["choices"][0]["text"])
        log = self.decode.text()
        self.assertIn("KV transfer pd-first: pulled the KV of", log)
        self.assertIn("KV transfer pd-second: pull failed", log)

    def test_a_dead_producer_falls_back_to_computing(self):
        params = {"do_remote_prefill": True, "do_remote_decode": False, "remote_block_ids": [1, 2], "remote_engine_id": "x",
                  "remote_host": "127.0.0.1", "remote_port": free_port(), "remote_request_id": "gone"}
        body = {"model": "m", "prompt": PROMPTS[0], "max_tokens": 8, "temperature": 0, "ignore_eos": True}
        fallback = post(self.decode.url + "/v1/completions", dict(body, kv_transfer_params=params, request_id="pd-dead"))
        alone = post(self.single.url + "/v1/completions", body)
        self.assertEqual(fallback["choices"][0]["text"], alone["choices"][0]["text"])
        self.assertIn("KV transfer pd-dead: pull failed", self.decode.text())

    def test_roles_and_plain_servers_refuse_what_they_cannot_do(self):
        body = {"model": "m", "prompt": "x", "max_tokens": 1, "kv_transfer_params": {"do_remote_decode": True}}
        for url, needle in ((self.decode.url, "kv_consumer"), (self.single.url, "--kv-transfer-config")):
            with self.assertRaises(urllib.error.HTTPError) as refused:
                post(url + "/v1/completions", body)
            self.assertEqual(refused.exception.code, 400)
            self.assertIn(needle, refused.exception.read().decode())


if __name__ == "__main__":
    unittest.main()
