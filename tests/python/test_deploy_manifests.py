"""The Kubernetes manifests in deploy/kubernetes use only flags the binaries have (run by `make test`).

Reads every quoted `--flag` in the containers' args (and in the comments that show kv_aware's
extra flags) and checks it against `swiftlet serve --help` and `vllm-router --help`; checks that
the JSON of --kv-events-config is accepted by the server's own parser (a dry `swiftlet serve` that
stops at the first error), and that every probe targets /health.
Run from the repository root: python3 tests/python/test_deploy_manifests.py
"""
import os
import re
import shutil
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("SWIFTLET_BIN", os.path.join(ROOT, ".build", "debug", "swiftlet"))
DEPLOY = os.path.join(ROOT, "deploy", "kubernetes")


def flags(path):
    with open(path) as handle:
        text = handle.read()
    # The container's `command:` line (pip's install) is not the program's flags.
    lines = [line for line in text.splitlines() if "command:" not in line]
    return set(re.findall(r'(?<![\w-])(--[a-z][a-z0-9-]*)', "\n".join(lines))), text


def help_flags(command):
    output = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return set(re.findall(r'(--[a-z][a-z0-9-]*)', output.stdout + output.stderr))


class DeployManifestTests(unittest.TestCase):
    def test_swiftlet_flags_exist(self):
        used, text = flags(os.path.join(DEPLOY, "swiftlet.yaml"))
        known = help_flags([BINARY, "serve", "--help"])
        self.assertTrue(used, "no flags found")
        self.assertEqual(used - known, set(), "flags the manifest uses that `swiftlet serve` lacks")
        self.assertIn("path: /health", text)
        self.assertIn('prometheus.io/path: "/metrics"', text)
        config = re.search(r"'(\{\"enable_kv_cache_events\".*\})'", text).group(1)
        # A serve with a missing model fails after the flags parsed: a bad config would fail first.
        result = subprocess.run([BINARY, "serve", "/nonexistent.gguf", "--kv-events-config", config],
                                capture_output=True, text=True, timeout=120)
        self.assertNotIn("kv-events-config", result.stderr)
        bad = subprocess.run([BINARY, "serve", "/nonexistent.gguf", "--kv-events-config", '{"publisher": "kafka"}'],
                             capture_output=True, text=True, timeout=120)
        self.assertIn("publisher must be", bad.stderr)

    def test_router_flags_exist(self):
        if not shutil.which("vllm-router"):
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "vllm-router"], check=True)
        used, text = flags(os.path.join(DEPLOY, "vllm-router.yaml"))
        known = help_flags(["vllm-router", "--help"])
        self.assertEqual(used - known, set(), "flags the manifest uses that vllm-router lacks")
        self.assertIn("path: /health", text)


if __name__ == "__main__":
    unittest.main()
