"""A protocol fuzzer against a live `swiftlet serve` (run by `make test`).

Sends FUZZ_REQUESTS (default 100,000) mutated requests over raw sockets: JSON bodies of every
endpoint with fields deleted, retyped, set to edge values, bytes flipped, cut short or made deep;
bodies with invalid UTF-8; headers that lie about the length or are huge; chunked bodies with bad
chunk sizes; unknown methods and paths; garbage request lines. Checks that the process never
dies, that every answer is a well-formed HTTP response whose body is an OpenAI error body (4xx/5xx)
or a valid result (2xx JSON or server-sent events), and that a normal request between them gets
its normal answer. Run from the repository root: python3 tests/python/test_fuzz.py
"""
import json
import os
import random
import re
import socket
import sys
import threading
import time
import unittest

from fuzz_mutations import mutated_request, request_bytes
from serve_process import ServeProcess

REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "100000"))
SEED = int(os.environ.get("FUZZ_SEED", "1"))
# A normal request after every this many mutated ones.
CANARY_EVERY = 500
STATUS_LINE = re.compile(rb"^HTTP/1\.[01] (\d{3}) ")

class Connection:
    """A raw HTTP/1.1 client connection that reads whatever comes back."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buffer = b""

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _more(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buffer += data

    def _take(self, count):
        while len(self.buffer) < count:
            self._more()
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _line(self):
        while b"\r\n" not in self.buffer:
            self._more()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def response(self, head_only=False):
        """(status, headers, body, keeps_open), or None when the server closed without answering."""
        try:
            while b"\r\n\r\n" not in self.buffer:
                self._more()
        except (EOFError, ConnectionResetError):
            if not self.buffer:
                return None
            raise AssertionError(f"connection closed inside a response head: {self.buffer[:200]!r}")
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        match = STATUS_LINE.match(lines[0] + b" ")
        assert match, f"not an HTTP status line: {lines[0][:200]!r}"
        status = int(match.group(1))
        headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            assert sep, f"malformed header line {line[:200]!r}"
            headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
        if head_only:
            body = b""
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self._line().split(b";")[0], 16)
                if size == 0:
                    self._line()
                    break
                body += self._take(size)
                assert self._take(2) == b"\r\n", "chunk not followed by CRLF"
        elif "content-length" in headers:
            body = self._take(int(headers["content-length"]))
        else:
            try:
                while True:
                    self._more()
            except EOFError:
                pass
            body, self.buffer = self.buffer, b""
        keeps_open = headers.get("connection", "").lower() != "close"
        return status, headers, body, keeps_open


def check_answer(status, headers, body, head_only=False):
    """Raises AssertionError when the response is not well formed."""
    assert 100 <= status <= 599, status
    kind = headers.get("content-type", "")
    if head_only:
        return
    if status >= 400:
        assert "application/json" in kind, f"{status} answered with content-type {kind!r}: {body[:200]!r}"
        error = json.loads(body)["error"]
        assert isinstance(error["message"], str) and error["message"], body[:200]
        assert error["code"] == status, (error, status)
        return
    if "text/event-stream" in kind:
        for block in body.decode().split("\n\n"):
            if not block:
                continue
            data = [line[6:] for line in block.split("\n") if line.startswith("data: ")]
            assert data, f"an event without data: {block[:200]!r}"
            if data[0] != "[DONE]":
                json.loads(data[0])
    elif "application/json" in kind:
        json.loads(body)


class FuzzTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ServeProcess("--served-model-name", "m", "--max-model-len", "64", "--kv-cache-memory", "32MiB",
                                  "--disable-log-requests", "--disable-log-stats", "--max-num-seqs", "8")
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def canary(self):
        """A normal request gets its normal greedy answer."""
        connection = Connection(self.port)
        try:
            connection.sock.sendall(request_bytes("POST", "/v1/completions",
                                                  b'{"prompt": "The capital of France is", "max_tokens": 2, "temperature": 0}'))
            status, _, body, _ = connection.response()
        finally:
            connection.close()
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(json.loads(body)["choices"][0]["text"], " Paris.")

    def fuzz(self, worker, count, tally):
        """`count` mutated requests from one client (its own seed), a canary every CANARY_EVERY."""
        rng = random.Random(SEED * 1000 + worker)
        connection = None
        previous = b""
        for number in range(count):
            data, framed = mutated_request(rng)
            head_only = data.startswith(b"HEAD ")
            if connection is None:
                connection = Connection(self.port)
                previous = b"(new connection)"
            try:
                connection.sock.sendall(data)
                if not framed:
                    # Nothing more comes: the server sees the end of the stream after these bytes.
                    try:
                        connection.sock.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass  # the server already closed it (it may have answered first)
                answer = connection.response(head_only=head_only)
            except (BrokenPipeError, ConnectionResetError):
                answer = None
            except AssertionError as failure:
                raise AssertionError(f"worker {worker} request {number} ({data[:300]!r}): {failure}") from None
            if answer is None:
                tally["unanswered"] += 1
                assert not framed, f"no answer to worker {worker} request {number}: {data[:300]!r}"
            else:
                status, headers, body, keeps_open = answer
                try:
                    check_answer(status, headers, body, head_only)
                except (AssertionError, ValueError, KeyError, TypeError) as failure:
                    raise AssertionError(f"worker {worker} request {number} ({data[:300]!r}, after {previous[:300]!r} on this "
                                         f"connection) got {status} {body[:300]!r}: {failure}") from None
                tally[status] = tally.get(status, 0) + 1
                previous = data
            if answer is None or not framed or not answer[3] or rng.random() < 0.1:
                connection.close()
                connection = None
            if number % CANARY_EVERY == CANARY_EVERY - 1:
                assert self.server.alive(), f"the server died after worker {worker} request {number}:\n{self.server.log()}"
                self.canary()
                tally["canaries"] += 1
        if connection is not None:
            connection.close()

    def test_mutated_requests(self):
        # Two clients at once: one's request is checked while the server runs the other's.
        workers = 2
        tallies = [{"unanswered": 0, "canaries": 0} for _ in range(workers)]
        failures = []

        def run(worker):
            try:
                self.fuzz(worker, REQUESTS // workers + (worker < REQUESTS % workers), tallies[worker])
            except BaseException as failure:  # reported by the test thread below
                failures.append(failure)

        started = time.monotonic()
        threads = [threading.Thread(target=run, args=(worker,)) for worker in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            self.fail(str(failures[0]))
        self.assertTrue(self.server.alive(), self.server.log())
        self.canary()
        statuses = {}
        for tally in tallies:
            for key, value in tally.items():
                if isinstance(key, int):
                    statuses[key] = statuses.get(key, 0) + value
        unanswered = sum(tally["unanswered"] for tally in tallies)
        canaries = sum(tally["canaries"] for tally in tallies) + 1
        elapsed = time.monotonic() - started
        print(f"\n{REQUESTS} mutated requests in {elapsed:.0f} s: statuses {dict(sorted(statuses.items()))}, "
              f"{unanswered} cut-short or non-HTTP requests closed without an answer, {canaries} normal requests answered "
              "normally", file=sys.stderr)
        self.assertEqual(sum(statuses.values()) + unanswered, REQUESTS)
        self.assertNotIn(500, statuses, "an internal error answered a request")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
