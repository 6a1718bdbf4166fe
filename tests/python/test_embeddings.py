"""`swiftlet serve` with an embedding model (all-MiniLM-L6-v2, `scripts/fetch-model minilm`), run by
`make test`: the official OpenAI client's `client.embeddings.create` (which asks for base64) and
plain HTTP with floats get the float64 reference's vectors (cosine above 1 - 1e-6); token inputs,
truncation, usage, and the fields and inputs vLLM refuses; /score and /rerank against the reference
vectors' cosines.
Run from the repository root: python3 tests/python/test_embeddings.py
"""
import base64
import json
import math
import os
import re
import struct
import subprocess
import unittest
import urllib.error
import urllib.request

import openai

from serve_process import BINARY, MODEL_FILE, ROOT, ServeProcess

MODEL_DIR = os.path.join("models", "all-MiniLM-L6-v2")
REFERENCE = os.path.join(ROOT, "Tests", "ModelsTests", "Fixtures", "reference", "minilm-embeddings-f64.json")


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


class EmbeddingsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = ServeProcess("--served-model-name", "minilm", "--api-key", "k", model=MODEL_DIR)
        cls.client = openai.OpenAI(base_url=cls.server.base + "/v1", api_key="k")
        with open(REFERENCE) as handle:
            cls.reference = {case["text"]: case for case in json.load(handle)["cases"]}

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def post(self, path, body):
        request = urllib.request.Request(self.server.base + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json", "Authorization": "Bearer k"})
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def test_openai_client_matches_the_reference(self):
        texts = ["A man is eating food.", "A man is eating a piece of bread.", "東京タワーと大阪城 — 漢字かな交じり文"]
        answer = self.client.embeddings.create(model="minilm", input=texts)
        self.assertEqual([item.index for item in answer.data], [0, 1, 2])
        for item, text in zip(answer.data, texts):
            self.assertEqual(len(item.embedding), 384)
            self.assertGreater(cosine(item.embedding, self.reference[text]["embedding"]), 1 - 1e-6, text)
        self.assertAlmostEqual(cosine(answer.data[0].embedding, answer.data[1].embedding), 0.7553, places=3)
        self.assertEqual(answer.usage.prompt_tokens, sum(len(self.reference[text]["ids"]) for text in texts))
        self.assertEqual(answer.usage.total_tokens, answer.usage.prompt_tokens)
        self.assertEqual(answer.model, "minilm")

    def test_floats_base64_and_token_inputs(self):
        text = "Swiftlet serves language models on CPUs."
        status, floats = self.post("/v1/embeddings", {"input": text, "encoding_format": "float"})
        self.assertEqual(status, 200, floats)
        self.assertEqual(floats["object"], "list")
        self.assertTrue(floats["id"].startswith("embd-"))
        vector = floats["data"][0]["embedding"]
        self.assertGreater(cosine(vector, self.reference[text]["embedding"]), 1 - 1e-6)
        status, packed = self.post("/v1/embeddings", {"input": [text], "encoding_format": "base64", "endianness": "big"})
        self.assertEqual(status, 200, packed)
        raw = base64.b64decode(packed["data"][0]["embedding"])
        self.assertEqual(list(struct.unpack(">384f", raw)), [struct.unpack("f", struct.pack("f", v))[0] for v in vector])
        status, by_ids = self.post("/v1/embeddings", {"input": self.reference[text]["ids"], "request_id": "abc"})
        self.assertEqual((status, by_ids["id"]), (200, "embd-abc"))
        self.assertEqual(by_ids["data"][0]["embedding"], vector)
        # Not normalized when use_activation is false.
        status, raw_answer = self.post("/v1/embeddings", {"input": text, "use_activation": False})
        norm = math.sqrt(sum(v * v for v in raw_answer["data"][0]["embedding"]))
        self.assertEqual(status, 200)
        self.assertGreater(abs(norm - 1), 0.1)

    def test_truncation_and_limits(self):
        long_ids = [101] + [2000] * 300 + [102]
        status, error = self.post("/v1/embeddings", {"input": long_ids})
        self.assertEqual(status, 400)
        self.assertIn("maximum context length is 256 tokens", error["error"]["message"])
        status, kept = self.post("/v1/embeddings", {"input": long_ids, "truncate_prompt_tokens": 8})
        self.assertEqual((status, kept["usage"]["prompt_tokens"]), (200, 8))
        status, kept = self.post("/v1/embeddings", {"input": long_ids, "truncate_prompt_tokens": -1, "truncation_side": "right"})
        self.assertEqual((status, kept["usage"]["prompt_tokens"]), (200, 256))
        # Text keeps [CLS] and [SEP]: 300 words cut to 8 tokens embed as the 6 last words between them.
        status, cut = self.post("/v1/embeddings", {"input": "one two " * 150, "truncate_prompt_tokens": 8, "encoding_format": "float"})
        status_ids, by_ids = self.post("/v1/embeddings", {"input": [101, 2028, 2048, 2028, 2048, 2028, 2048, 102]})
        self.assertEqual((status, status_ids, cut["usage"]["prompt_tokens"]), (200, 200, 8))
        self.assertEqual(cut["data"][0]["embedding"], by_ids["data"][0]["embedding"])
        # The empty string is [CLS] [SEP].
        status, empty = self.post("/v1/embeddings", {"input": ""})
        self.assertEqual((status, empty["usage"]["prompt_tokens"]), (200, 2))
        self.assertGreater(cosine(empty["data"][0]["embedding"], self.reference[""]["embedding"]), 1 - 1e-6)
        status, models = 200, json.loads(urllib.request.urlopen(urllib.request.Request(
            self.server.base + "/v1/models", headers={"Authorization": "Bearer k"})).read())
        self.assertEqual(models["data"][0]["max_model_len"], 256)
        status, tokens = self.post("/tokenize", {"prompt": "Hello world"})
        self.assertEqual((status, tokens["tokens"]), (200, [101, 7592, 2088, 102]))

    def test_refused_fields_and_inputs(self):
        cases = [
            ({"input": "x", "dimensions": 128}, 400, "does not support Matryoshka"),
            ({"input": []}, 400, "input must not be empty"),
            ({"input": [[]]}, 400, "empty token lists"),
            ({"input": [5, 40000]}, 400, "out of range"),
            ({"input": "x", "encoding_format": "bytes"}, 400, "encoding_format"),
            ({"input": "x", "embed_dtype": "float16"}, 400, "not supported"),
            ({"input": "x", "truncate_prompt_tokens": 300}, 400, "greater than max_model_len"),
            ({"input": "x", "truncate_prompt_tokens": -2}, 400, "truncate_prompt_tokens"),
            ({"input": "x", "padding": "max_length"}, 400, "padding"),
            ({"input": "x", "model": "other"}, 404, "does not exist"),
            ({"input": 5}, 400, "input"),
            ({"prompt": "x"}, 400, "input"),
        ]
        for body, code, words in cases:
            status, error = self.post("/v1/embeddings", body)
            self.assertEqual(status, code, (body, error))
            self.assertIn(words, error["error"]["message"], body)
        status, error = self.post("/v1/completions", {"prompt": "x"})
        self.assertEqual(status, 404)
        self.assertIn("embedding model", error["error"]["message"])
        request = urllib.request.Request(self.server.base + "/v1/embeddings", data=b'{"input": "x"}',
                                         headers={"Content-Type": "application/json"})
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        self.assertEqual(refused.exception.code, 401)
        self.assertTrue(self.server.alive())

    def metrics(self):
        """GET /metrics as {(name, frozenset of labels): value}."""
        with urllib.request.urlopen(self.server.base + "/metrics", timeout=30) as answer:
            self.assertTrue(answer.headers["Content-Type"].startswith("text/plain; version=0.0.4"))
            text = answer.read().decode()
        series = {}
        for line in text.splitlines():
            match = re.match(r'^([a-zA-Z0-9_:]+)(?:\{(.*)\})? (\S+)$', line)
            if match:
                labels = frozenset(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
                series[(match.group(1), labels)] = float(match.group(3))
        return series

    def test_metrics_count_each_embedded_input(self):
        """vLLM's metric names on the pooling server: every embedded input is one request."""
        model = ("model_name", "minilm")
        success = ("vllm:request_success_total", frozenset({model, ("finished_reason", "stop")}))
        tokens = ("vllm:prompt_tokens_total", frozenset({model}))
        latency = ("vllm:e2e_request_latency_seconds_count", frozenset({model}))
        before = self.metrics()
        status, answer = self.post("/v1/embeddings", {"input": ["A man is eating food.", "Hello world", "x"]})
        self.assertEqual(status, 200)
        status, scored = self.post("/score", {"text_1": "Hello world", "text_2": ["x", "y"]})
        self.assertEqual(status, 200)
        self.post("/v1/embeddings", {"input": "x", "truncate_prompt_tokens": 0})  # refused: not a request
        after = self.metrics()
        self.assertEqual(after[success] - before.get(success, 0), 3 + 3)
        self.assertEqual(after[latency] - before.get(latency, 0), 3 + 3)
        # A scored pair's usage counts the [PAD] between its inputs; the engine ran the three inputs alone.
        embedded = answer["usage"]["prompt_tokens"] + scored["usage"]["prompt_tokens"] - 2 * 1 - 4
        self.assertEqual(after[tokens] - before.get(tokens, 0), embedded)
        self.assertEqual(after[("vllm:num_requests_running", frozenset({model}))], 0)
        self.assertEqual(after[("vllm:num_requests_waiting", frozenset({model}))], 0)

    def test_score_and_rerank_are_reference_cosines(self):
        """vLLM's /score and /rerank for an embedding model: each pair's cosine similarity, here
        against the cosines of the float64 reference vectors."""
        query = "A man is eating food."
        documents = ["A monkey is playing drums.", "A man is eating a piece of bread.", "The girl is carrying a baby."]
        expected = [cosine(self.reference[query]["embedding"], self.reference[d]["embedding"]) for d in documents]
        pad = 1  # vLLM counts the pad token between a pair's two inputs
        tokens = sum(len(self.reference[query]["ids"]) + pad + len(self.reference[d]["ids"]) for d in documents)
        for path, body in [("/score", {"text_1": query, "text_2": documents}),
                           ("/v1/score", {"queries": [query], "documents": documents, "model": "minilm"}),
                           ("/score", {"data_1": query, "data_2": documents})]:
            status, answer = self.post(path, body)
            self.assertEqual(status, 200, answer)
            self.assertEqual(answer["object"], "list")
            self.assertTrue(answer["id"].startswith("score-"))
            self.assertEqual([item["index"] for item in answer["data"]], [0, 1, 2])
            self.assertEqual({item["object"] for item in answer["data"]}, {"score"})
            for item, reference in zip(answer["data"], expected):
                self.assertAlmostEqual(item["score"], reference, delta=1e-5)
            self.assertEqual(answer["usage"]["prompt_tokens"], tokens)
        worst = max(abs(item["score"] - reference) for item, reference in zip(answer["data"], expected))
        print(f"\n/score: largest |score - float64 reference cosine| {worst:.1e}")
        status, pairs = self.post("/score", {"text_1": [query, documents[0]], "text_2": [documents[1], documents[0]]})
        self.assertAlmostEqual(pairs["data"][0]["score"], expected[1], delta=1e-5)
        self.assertAlmostEqual(pairs["data"][1]["score"], 1.0, delta=1e-5)
        order = sorted(range(3), key=lambda i: -expected[i])
        for path in ["/rerank", "/v1/rerank", "/v2/rerank"]:
            status, answer = self.post(path, {"query": query, "documents": documents, "request_id": "r1"})
            self.assertEqual(status, 200, answer)
            self.assertEqual(answer["id"], "rerank-r1")
            self.assertEqual([result["index"] for result in answer["results"]], order)
            self.assertEqual([result["document"] for result in answer["results"]],
                             [{"text": documents[i], "multi_modal": None} for i in order])
            for result in answer["results"]:
                self.assertAlmostEqual(result["relevance_score"], expected[result["index"]], delta=1e-5)
            self.assertEqual(answer["usage"], {"prompt_tokens": tokens, "total_tokens": tokens})
        status, top = self.post("/rerank", {"query": query, "documents": documents, "top_n": 1})
        self.assertEqual([result["index"] for result in top["results"]], order[:1])

    def test_score_and_rerank_refusals(self):
        for path, body, status, words in [
            ("/score", {"text_1": ["a", "b"], "text_2": ["c", "d", "e"]}, 400, "1:1, 1:N or N:N"),
            ("/score", {"text_1": [], "text_2": ["c"]}, 400, "At least one text element"),
            ("/score", {"text_1": "a"}, 400, "two sides"),
            ("/score", {"text_1": 5, "text_2": "b"}, 400, "text_1"),
            ("/score", {"text_1": {"content": [{"type": "image_url", "image_url": {"url": "x"}}]}, "text_2": "b"}, 400, "multimodal"),
            ("/score", {"text_1": "a", "text_2": "b", "truncate_prompt_tokens": 0}, 400, "truncate_prompt_tokens"),
            ("/score", {"text_1": "a", "text_2": "b", "priority": 3}, 400, "priority"),
            ("/score", {"text_1": "a", "text_2": "b", "model": "other"}, 404, "does not exist"),
            ("/rerank", {"query": "a", "documents": []}, 400, "At least one text_pair element"),
            ("/rerank", {"query": ["a", "b"], "documents": ["c"]}, 400, "query must be one string"),
            ("/rerank", {"documents": ["c"]}, 400, "query"),
            ("/v1/rerank", {"query": "a", "documents": ["c"], "padding": "max_length"}, 400, "padding"),
        ]:
            got, answer = self.post(path, body)
            self.assertEqual(got, status, (path, body, answer))
            self.assertIn(words, answer["error"]["message"], (path, body))
        request = urllib.request.Request(self.server.base + "/v1/score", data=b'{"text_1": "a", "text_2": "b"}',
                                         headers={"Content-Type": "application/json"})
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        self.assertEqual(refused.exception.code, 401)
        self.assertTrue(self.server.alive())


class DecoderEmbeddingsTest(unittest.TestCase):
    """SmolLM2 (the default GGUF) served with --runner pooling: last-token pooling, normalized, as
    vLLM pools a generative model; --pooler-config switches to mean pooling."""

    REFERENCE = os.path.join(ROOT, "Tests", "ModelsTests", "Fixtures", "reference", "smollm2-embeddings-f64.json")

    @classmethod
    def setUpClass(cls):
        with open(cls.REFERENCE) as handle:
            cls.cases = json.load(handle)["cases"]

    def test_runner_pooling_serves_the_reference_vectors(self):
        server = ServeProcess("--runner", "pooling", "--served-model-name", "smol", "--max-model-len", "512")
        try:
            client = openai.OpenAI(base_url=server.base + "/v1", api_key="none")
            texts = [case["text"] for case in self.cases[:3]]
            answer = client.embeddings.create(model="smol", input=texts)
            for item, case in zip(answer.data, self.cases):
                self.assertEqual(len(item.embedding), 576)
                self.assertGreater(cosine(item.embedding, case["last"]), 1 - 1e-6, case["text"])
            self.assertEqual(answer.usage.prompt_tokens, sum(len(case["ids"]) for case in self.cases[:3]))
            every = client.embeddings.create(model="smol", input=[case["ids"] for case in self.cases])
            worst = max(1 - cosine(item.embedding, case["last"]) for item, case in zip(every.data, self.cases))
            print(f"\nlast-token pooling, {len(self.cases)} texts: largest 1 - cosine to the float64 reference {worst:.1e}")
            tokens = client.embeddings.create(model="smol", input=[self.cases[3]["ids"]])
            self.assertGreater(cosine(tokens.data[0].embedding, self.cases[3]["last"]), 1 - 1e-6)
            request = urllib.request.Request(server.base + "/v1/completions", data=b'{"prompt": "x"}',
                                             headers={"Content-Type": "application/json"})
            with self.assertRaises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=30)
            self.assertEqual(refused.exception.code, 404)
        finally:
            server.stop()

    def test_runner_flags_refused_clearly(self):
        cases = [
            (MODEL_DIR, ["--runner", "generate"], "is an encoder (BERT) embedding model: it cannot generate"),
            (MODEL_FILE, ["--pooler-config", '{"pooling_type": "MEAN"}'], "add --runner pooling"),
            (MODEL_FILE, ["--runner", "pooling", "--pooler-config", '{"dimensions": 64}'], "'dimensions' is not supported yet"),
            (MODEL_FILE, ["--runner", "pooling", "--pooler-config", '{"pooling_type": "MAX"}'], "pooling_type 'MAX'"),
            (MODEL_FILE, ["--convert", "classify"], "--convert classify is not supported yet"),
            (MODEL_FILE, ["--runner", "draft"], "--runner draft"),
            (MODEL_FILE, ["--runner", "generate", "--convert", "embed"], "drop --runner generate"),
        ]
        for model, args, words in cases:
            done = subprocess.run([BINARY, "serve", model, "--port", "1", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
            self.assertNotEqual(done.returncode, 0, args)
            self.assertIn(words, done.stderr, args)

    def test_pooler_config_mean(self):
        server = ServeProcess("--convert", "embed", "--pooler-config", '{"pooling_type": "MEAN"}', "--max-model-len", "512")
        try:
            client = openai.OpenAI(base_url=server.base + "/v1", api_key="none")
            answer = client.embeddings.create(model=MODEL_FILE, input=[case["ids"] for case in self.cases])
            worst = max(1 - cosine(item.embedding, case["mean"]) for item, case in zip(answer.data, self.cases))
            self.assertLess(worst, 1e-6)
            print(f"\nmean pooling, {len(self.cases)} texts: largest 1 - cosine to the float64 reference {worst:.1e}")
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
