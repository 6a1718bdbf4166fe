"""KV cache events from `swiftlet serve --kv-events-config`, read as a vLLM consumer reads them.

Subscribes with pyzmq, decodes each batch with msgpack, and recomputes every block hash from the
event's own token ids with cbor2 + hashlib exactly as vLLM's sha256_cbor does (NONE_HASH from
PYTHONHASHSEED, which the test sets), so a consumer that indexes blocks by vLLM's hashes finds
ours. Then asks the replay socket for the batches it already saw. Run by `make test`.
Run from the repository root: python3 tests/python/test_kv_events.py
"""
import hashlib
import json
import os
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

import cbor2
import msgpack
import zmq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("SWIFTLET_BIN", os.path.join(ROOT, ".build", "debug", "swiftlet"))
MODEL_FILE = os.path.join("models", "SmolLM2-135M-Instruct.Q4_1.gguf")
SEED = "42"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sha256_cbor(value):
    return hashlib.sha256(cbor2.dumps(value, canonical=True)).digest()


class KVEventsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port, cls.events_port, cls.replay_port = free_port(), free_port(), free_port()
        config = {"enable_kv_cache_events": True, "publisher": "zmq", "endpoint": f"tcp://*:{cls.events_port}",
                  "replay_endpoint": f"tcp://*:{cls.replay_port}", "topic": "kv"}
        cls.log = tempfile.TemporaryFile()
        cls.server = subprocess.Popen(
            [BINARY, "serve", MODEL_FILE, "--port", str(cls.port), "--kv-cache-memory", "8MiB", "--max-model-len", "256",
             "--kv-events-config", json.dumps(config)],
            cwd=ROOT, stdout=cls.log, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONHASHSEED=SEED))
        cls.base = f"http://127.0.0.1:{cls.port}"
        deadline = time.monotonic() + 120
        while True:
            if cls.server.poll() is not None:
                cls.log.seek(0)
                raise RuntimeError(f"swiftlet serve exited:\n{cls.log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(cls.base + "/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        cls.context = zmq.Context()

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(30)
        cls.log.close()
        cls.context.destroy(linger=0)

    def complete(self, prompt, max_tokens=4):
        body = json.dumps({"prompt": prompt, "max_tokens": max_tokens, "temperature": 0}).encode()
        request = urllib.request.Request(self.base + "/v1/completions", data=body, headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def test_events_carry_vllm_hashes_and_replay(self):
        sub = self.context.socket(zmq.SUB)
        sub.setsockopt(zmq.SUBSCRIBE, b"kv")
        sub.setsockopt(zmq.RCVTIMEO, 10000)
        sub.connect(f"tcp://127.0.0.1:{self.events_port}")
        time.sleep(0.5)  # a subscriber sees only what is published after it joined
        prompts = [" ".join(["alpha beta gamma delta"] * 20), " ".join(["one two three four five"] * 25)]
        for prompt in prompts:
            self.complete(prompt)
        none_hash = sha256_cbor(SEED)
        to_int = lambda digest: int.from_bytes(digest, "big") & ((1 << 64) - 1)
        digests = {}  # event hash -> 32-byte digest, to chain later stores
        stored = removed = 0
        sequences = []
        while stored < 2:
            topic, sequence, payload = sub.recv_multipart()
            self.assertEqual(topic, b"kv")
            sequences.append(int.from_bytes(sequence, "big"))
            timestamp, events, rank = msgpack.unpackb(payload)
            self.assertEqual(rank, 0)
            self.assertLess(abs(timestamp - time.time()), 60)
            for event in events:
                if event["type"] == "BlockRemoved":
                    removed += 1
                    continue
                self.assertEqual(event["type"], "BlockStored")
                self.assertEqual(event["block_size"], 16)
                self.assertEqual(event["medium"], "GPU")
                parent = none_hash if event["parent_block_hash"] is None else digests[event["parent_block_hash"]]
                tokens = event["token_ids"]
                self.assertEqual(len(tokens), 16 * len(event["block_hashes"]))
                for index, expected in enumerate(event["block_hashes"]):
                    parent = sha256_cbor((parent, tuple(tokens[16 * index:16 * (index + 1)]), None))
                    self.assertEqual(to_int(parent), expected, "block hash differs from vLLM's sha256_cbor")
                    digests[expected] = parent
                stored += 1
        self.assertEqual(sequences, list(range(sequences[0], sequences[0] + len(sequences))))
        # The replay socket sends every batch from a sequence number on, then -1.
        dealer = self.context.socket(zmq.DEALER)
        dealer.setsockopt(zmq.RCVTIMEO, 10000)
        dealer.connect(f"tcp://127.0.0.1:{self.replay_port}")
        dealer.send_multipart([b"", sequences[0].to_bytes(8, "big")])
        replayed = []
        while True:
            _, sequence, payload = dealer.recv_multipart()
            number = int.from_bytes(sequence, "big", signed=True)
            if number == -1:
                self.assertEqual(payload, b"")
                break
            replayed.append(number)
        self.assertEqual(replayed[:len(sequences)], sequences)
        sub.close(linger=0)
        dealer.close(linger=0)

    def test_kv_event_sources(self):
        with urllib.request.urlopen(self.base + "/kv_event_sources") as response:
            sources = json.loads(response.read())
        self.assertEqual(sources, [{"data_parallel_rank": 0, "endpoint": f"tcp://127.0.0.1:{self.events_port}",
                                    "replay_endpoint": f"tcp://127.0.0.1:{self.replay_port}", "topic": "kv"}])


if __name__ == "__main__":
    unittest.main()
