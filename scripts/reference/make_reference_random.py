"""Build the random-weight test files: three mixture-of-experts GGUF files and a Phi-3 one
(make_random_gguf.py) and, for each, the float64 reference log-probabilities (forward_random.py)
with llama.cpp's own agreement with that reference (llama_logits.c over the same file).

  python3 scripts/reference/make_reference_random.py [--llama-cpp .cache/llama.cpp]

Writes Tests/ModelsTests/Fixtures/random/{mixtral,qwen3moe,qwen2moe,phi3}-tiny.gguf and
Tests/ModelsTests/Fixtures/reference/random-{name}-f64.json (make_reference.py's format: per position
the top-10 ids of log_softmax(logits), their log-probs and logsumexp; greedy continuations), plus a
"llama_cpp" object: top-1 agreement and mean / max |delta log-prob of the reference's top token|
over the same positions, the metric Swiftlet's tests use. Sequences are seeded random token ids.
"""
import argparse
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from forward_random import RandomReferenceModel  # noqa: E402
from llama_cpp_agreement import agreement, build_tool  # noqa: E402
from make_reference import RecomputingModel, greedy_record, provenance, sequence_record, sha256_of, write_document  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(REPO, "Tests", "ModelsTests", "Fixtures")
TOP_K = 10
# name, make_random_gguf.py arguments
FILES = [
    ("mixtral", ["--arch", "llama", "--type", "Q8_0", "--seed", "1"]),
    ("qwen3moe", ["--arch", "qwen3moe", "--type", "Q4_1", "--seed", "2", "--expert-ff", "32"]),
    ("qwen2moe", ["--arch", "qwen2moe", "--type", "Q4_0", "--seed", "3", "--used", "4"]),
    ("phi3", ["--arch", "phi3", "--type", "Q8_0", "--seed", "4", "--ff", "128"]),
]
SEQUENCE_LENGTHS = [96, 64, 48, 48]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--llama-cpp", default=os.path.join(REPO, ".cache", "llama.cpp"))
    args = parser.parse_args()
    tool = build_tool(args.llama_cpp)
    os.makedirs(os.path.join(FIXTURES, "random"), exist_ok=True)
    for name, gguf_args in FILES:
        started = time.time()
        path = os.path.join(FIXTURES, "random", f"{name}-tiny.gguf")
        subprocess.run([sys.executable, os.path.join(HERE, "make_random_gguf.py"), "--out", path] + gguf_args, check=True)
        model = RandomReferenceModel(path)
        rng = np.random.default_rng(sum(map(ord, name)))
        sequences = []
        for i, length in enumerate(SEQUENCE_LENGTHS):
            ids = [1] + [int(t) for t in rng.integers(3, model.vocab_size, size=length - 1)]
            sequences.append(sequence_record(f"random-{i}", "ids", "", ids, model.forward(ids), TOP_K))
        greedy = [greedy_record(RecomputingModel(model.forward), f"greedy-{i}", seq["token_ids"][:12]) for i, seq in enumerate(sequences[:2])]
        document = {
            "format": "swiftlet-reference-logprobs v1",
            "description": (
                "Float64 reference forward pass (scripts/reference/forward_random.py; its docstring is the math) of a "
                "random-weight " + name + " GGUF written by make_random_gguf.py " + " ".join(gguf_args) +
                ". Per position the top-" + str(TOP_K) + " ids of log_softmax(logits), their log-probs and "
                "logsumexp; greedy: argmax continuations with per-step gap = top1 - top2. llama_cpp: llama.cpp's "
                "own logits of the same sequences (llama_logits.c) against this reference."),
            "model_file": os.path.basename(path),
            "model_sha256": sha256_of(path),
            "weights": "GGUF weights dequantized exactly (gguf.quants.dequantize -> float32) then widened to float64",
            **provenance("scripts/reference/make_reference_random.py"),
            "config": {
                "architecture": model.arch, "num_layers": model.num_layers, "hidden": model.hidden,
                "num_heads": model.num_heads, "num_kv_heads": model.num_kv_heads, "head_dim": model.head_dim,
                "num_experts": model.num_experts, "num_experts_used": model.num_used, "vocab_size": model.vocab_size,
            },
            "top_k": TOP_K,
            "num_positions": sum(len(s["token_ids"]) for s in sequences),
            "sequences": sequences,
            "greedy": greedy,
        }
        document["llama_cpp"] = agreement(tool, path, sequences)
        out = os.path.join(FIXTURES, "reference", f"random-{name}-f64.json")
        write_document(out, document)
        print(f"{name}: {os.path.getsize(path)} + {os.path.getsize(out)} bytes, llama.cpp {document['llama_cpp']}, "
              f"{time.time() - started:.1f}s")


if __name__ == "__main__":
    main()
