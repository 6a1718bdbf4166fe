"""Faults a server meets (run by `make test`): bad model files and an unusable disk-tier directory at
start, a full disk while serving, SIGKILL under load and a restart, slow and non-reading clients.
Run from the repository root: python3 tests/python/test_faults.py
"""
import concurrent.futures
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

from serve_process import BINARY, MODEL_FILE, ROOT, ServeProcess

PARIS = {"prompt": "The capital of France is", "max_tokens": 2, "temperature": 0}


def post(base, path, body, timeout=120):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return answer.status, json.loads(answer.read())


def paris(base, timeout=120):
    status, body = post(base, "/v1/completions", PARIS, timeout)
    assert status == 200 and body["choices"][0]["text"] == " Paris.", body
    return body


class StartFaultTests(unittest.TestCase):
    def serve_fails(self, *args):
        run = subprocess.run([BINARY, "serve", *args, "--port", "0"], cwd=ROOT, capture_output=True, text=True, timeout=120)
        self.assertGreater(run.returncode, 0, run.stderr)  # an exit with a status, not a signal
        lines = [line for line in run.stderr.splitlines() if line.startswith("Error: ")]
        self.assertEqual(len(lines), 1, run.stderr)
        return lines[0]

    def test_bad_model_files_are_named_in_one_line(self):
        with tempfile.TemporaryDirectory() as directory:
            truncated = os.path.join(directory, "truncated.gguf")
            with open(os.path.join(ROOT, MODEL_FILE), "rb") as source, open(truncated, "wb") as target:
                target.write(source.read(100))
            garbage = os.path.join(directory, "garbage.gguf")
            with open(garbage, "w") as target:
                target.write("garbage\n")
            empty = os.path.join(directory, "empty")
            os.mkdir(empty)
            self.assertEqual(self.serve_fails("/nonexistent.gguf"), "Error: /nonexistent.gguf: no such file or directory")
            self.assertIn(f"Error: {truncated}: metadata", self.serve_fails(truncated))
            self.assertIn("not a GGUF file", self.serve_fails(garbage))
            self.assertIn("not a GGUF file or a Hugging Face model directory", self.serve_fails(empty))

    def test_unusable_disk_tier_directory_is_named(self):
        self.assertEqual(self.serve_fails(MODEL_FILE, "--kv-offload-dir", "/dev/full/kv"),
                         "Error: --kv-offload-dir /dev/full/kv: Not a directory")


class FullDiskTests(unittest.TestCase):
    def test_a_full_disk_tier_does_not_stop_serving(self):
        directory = tempfile.mkdtemp()
        # 1 MiB holds two of the default model's KV block files (360 KiB each).
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", directory], capture_output=True)
        if mounted.returncode != 0:
            os.rmdir(directory)
            self.skipTest("cannot mount a small tmpfs here: " + mounted.stderr.decode().strip())
        server = None
        try:
            server = ServeProcess("--kv-offload-dir", directory, "--max-model-len", "1024", "--kv-cache-memory", "64MiB",
                                  "--disable-log-stats", "--disable-log-requests")
            # Each prompt has about 18 blocks: the disk fills after two and later writes fail with ENOSPC.
            for index in range(4):
                status, body = post(server.base, "/v1/completions",
                                    {"prompt": f"{index} " + "lighthouse keeper " * 150, "max_tokens": 2})
                self.assertEqual(status, 200)
            paris(server.base)
            self.assertTrue(server.alive(), server.log())
            # The disk really filled up: two block files stay, no room for a third.
            stats = os.statvfs(directory)
            self.assertEqual(len([name for name in os.listdir(directory) if name.endswith(".kv")]), 2)
            self.assertLess(stats.f_bavail * stats.f_frsize, 360 * 1024)
        finally:
            if server:
                server.stop()
            subprocess.run(["umount", directory])
            os.rmdir(directory)


class RunningFaultTests(unittest.TestCase):
    def test_sigkill_under_load_then_restart_serves_at_once(self):
        server = ServeProcess("--max-model-len", "512", "--kv-cache-memory", "64MiB", "--disable-log-stats", "--disable-log-requests")
        port = server.port
        pool = concurrent.futures.ThreadPoolExecutor(16)
        try:
            load = [pool.submit(post, server.base, "/v1/completions", {"prompt": f"Story {i}:", "max_tokens": 200, "ignore_eos": True})
                    for i in range(16)]
            time.sleep(2)
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(timeout=30)
            for future in load:
                with self.assertRaises(Exception):
                    future.result(timeout=60)
        finally:
            pool.shutdown(wait=False)
            server.output.close()
        started = time.monotonic()
        restarted = subprocess.Popen([BINARY, "serve", MODEL_FILE, "--port", str(port), "--max-model-len", "512",
                                      "--kv-cache-memory", "64MiB", "--disable-log-stats"],
                                     cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                self.assertIsNone(restarted.poll(), "the restarted server exited (the port still held?)")
                try:
                    paris(f"http://127.0.0.1:{port}", timeout=30)
                    break
                except OSError:
                    self.assertLess(time.monotonic() - started, 60)
                    time.sleep(0.1)
            print(f"\nrestarted on the same port and answered in {time.monotonic() - started:.1f} s", file=sys.stderr)
        finally:
            restarted.send_signal(signal.SIGTERM)
            restarted.wait(timeout=30)

    def test_slow_and_non_reading_clients_hold_only_their_own_requests(self):
        server = ServeProcess("--max-model-len", "512", "--kv-cache-memory", "64MiB", "--disable-log-stats", "--disable-log-requests")
        slow, stalled = [], []
        try:
            before = time.monotonic()
            paris(server.base)
            alone = time.monotonic() - before
            # 200 connections that send a request head a few bytes at a time and never finish it.
            for _ in range(200):
                sock = socket.create_connection(("127.0.0.1", server.port))
                sock.sendall(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Le")
                slow.append(sock)
            # 8 that ask for long streamed answers with logprobs (about 1 kB per token) and never read
            # them: with a 4 KiB receive buffer set before connecting, the server's writes back up.
            for index in range(8):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.connect(("127.0.0.1", server.port))
                body = json.dumps({"prompt": f"Tale {index}:", "max_tokens": 480, "ignore_eos": True, "stream": True,
                                   "logprobs": 5}).encode()
                sock.sendall(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)
                stalled.append(sock)
            for sock in slow[:50]:
                sock.sendall(b"n")
            time.sleep(1)
            with urllib.request.urlopen(server.base + "/metrics", timeout=10) as answer:
                running = [line for line in answer.read().decode().splitlines() if line.startswith("vllm:num_requests_running")]
            self.assertGreater(float(running[0].split()[-1]), 0, "the stalled streams should still be running")
            # Normal requests are still answered, in about the time of a request beside 8 decoding streams.
            for _ in range(5):
                started = time.monotonic()
                paris(server.base, timeout=60)
                self.assertLess(time.monotonic() - started, 30 + 10 * alone)
            with urllib.request.urlopen(server.base + "/health", timeout=10) as answer:
                self.assertEqual(answer.status, 200)
            self.assertTrue(server.alive(), server.log())
        finally:
            for sock in slow + stalled:
                sock.close()
            server.stop()


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
