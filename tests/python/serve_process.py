"""`swiftlet serve` as a child process for the Python tests: started on a free port, waited for
until /health answers, stopped with SIGTERM (then SIGKILL), its output kept for failure messages."""
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("SWIFTLET_BIN", os.path.join(ROOT, ".build", "debug", "swiftlet"))
MODEL_FILE = os.path.join("models", "SmolLM2-135M-Instruct.Q4_1.gguf")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServeProcess:
    """`swiftlet serve MODEL --port P ARGS...` (MODEL: the default model file), ready when constructed."""

    def __init__(self, *args, startup_seconds=120, model=MODEL_FILE):
        if not os.path.exists(os.path.join(ROOT, model)):
            raise unittest.SkipTest(f"missing {model}: run scripts/fetch-model")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.output = tempfile.TemporaryFile()
        self.process = subprocess.Popen([BINARY, "serve", model, "--port", str(self.port), *args],
                                        cwd=ROOT, stdout=self.output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + startup_seconds
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"swiftlet serve exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"no /health within {startup_seconds} s:\n{self.log()}")
            time.sleep(0.2)

    def alive(self):
        return self.process.poll() is None

    def log(self):
        self.output.seek(0)
        return self.output.read().decode("utf-8", "replace")[-4000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()
