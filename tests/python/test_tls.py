"""`swiftlet serve` over HTTPS (vLLM's --ssl-* flags), run by `make test`.

Makes a throwaway CA, a server certificate for 127.0.0.1 and a client certificate with the
openssl command, then: the official OpenAI client completes over HTTPS trusting only that CA;
plain HTTP to the TLS port gets no answer; with --ssl-ca-certs and --ssl-cert-reqs 2 a client
without a certificate is refused during the handshake and one with a CA-signed certificate is
served; a missing key file stops serve at startup with a message naming the flag.
Run from the repository root: python3 tests/python/test_tls.py
"""
import os
import socket
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import openai

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("SWIFTLET_BIN", os.path.join(ROOT, ".build", "debug", "swiftlet"))
MODEL_FILE = os.path.join("models", "SmolLM2-135M-Instruct.Q4_1.gguf")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certificates(directory):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=swiftlet test CA", cwd=directory)
    with open(os.path.join(directory, "san.cnf"), "w") as handle:
        handle.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    for name, subject in (("server", "/CN=127.0.0.1"), ("client", "/CN=swiftlet test client")):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject,
                cwd=directory)
        extra = ["-extfile", "san.cnf"] if name == "server" else []
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", f"{name}.pem", "-days", "2", *extra, cwd=directory)


class Server:
    def __init__(self, *flags):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([BINARY, "serve", MODEL_FILE, "--port", str(self.port), "--max-model-len", "256",
                                         "--kv-cache-memory", "16MiB", *flags],
                                        cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.output()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("serve did not start")
            time.sleep(0.3)

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self):
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


class TLSTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory()
        cls.dir = cls.scratch.name
        make_certificates(cls.dir)

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_https_with_the_openai_client(self):
        server = Server("--ssl-keyfile", self.path("server.key"), "--ssl-certfile", self.path("server.pem"))
        try:
            base = f"https://127.0.0.1:{server.port}"
            context = ssl.create_default_context(cafile=self.path("ca.pem"))
            with urllib.request.urlopen(base + "/health", context=context, timeout=10) as response:
                self.assertEqual(response.status, 200)
            client = openai.OpenAI(base_url=base + "/v1", api_key="unused",
                                   http_client=openai.DefaultHttpx2Client(verify=self.path("ca.pem")))
            completion = client.completions.create(model=MODEL_FILE, prompt="The capital of France is", max_tokens=4,
                                                   temperature=0)
            self.assertEqual(completion.choices[0].text, " Paris.\n\n")
            # Plain HTTP on the TLS port gets no HTTP answer.
            with self.assertRaises(Exception):
                urllib.request.urlopen(f"http://127.0.0.1:{server.port}/health", timeout=10)
            # A client that does not trust the CA refuses the server.
            with self.assertRaises(urllib.error.URLError) as refused:
                urllib.request.urlopen(base + "/health", context=ssl.create_default_context(), timeout=10)
            self.assertIn("CERTIFICATE_VERIFY_FAILED", str(refused.exception))
            self.assertIn(f"serving {MODEL_FILE} on https://", server.output())
        finally:
            server.stop()

    def test_client_certificates_required(self):
        server = Server("--ssl-keyfile", self.path("server.key"), "--ssl-certfile", self.path("server.pem"),
                        "--ssl-ca-certs", self.path("ca.pem"), "--ssl-cert-reqs", "2")
        try:
            base = f"https://127.0.0.1:{server.port}"
            anonymous = ssl.create_default_context(cafile=self.path("ca.pem"))
            with self.assertRaises((ssl.SSLError, ConnectionError, urllib.error.URLError)):
                urllib.request.urlopen(base + "/health", context=anonymous, timeout=10).read()
            signed = ssl.create_default_context(cafile=self.path("ca.pem"))
            signed.load_cert_chain(self.path("client.pem"), self.path("client.key"))
            with urllib.request.urlopen(base + "/health", context=signed, timeout=10) as response:
                self.assertEqual(response.status, 200)
        finally:
            server.stop()

    def test_bad_files_stop_serve(self):
        result = subprocess.run([BINARY, "serve", MODEL_FILE, "--ssl-keyfile", self.path("missing.key"),
                                 "--ssl-certfile", self.path("server.pem")], cwd=ROOT, capture_output=True, text=True, timeout=120)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("--ssl-keyfile", result.stderr)
        result = subprocess.run([BINARY, "serve", MODEL_FILE, "--ssl-certfile", self.path("server.pem")],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
        self.assertIn("both --ssl-keyfile and --ssl-certfile", result.stderr)


if __name__ == "__main__":
    unittest.main()
