"""Build the float64 reference log-probability files for Swiftlet's model tests.

  python3 scripts/reference/make_reference.py            # both files
  python3 scripts/reference/make_reference.py --only f64 # or bf16w

Writes Tests/ModelsTests/Fixtures/reference/smollm2-q4_1-f64.json (weights
dequantized exactly) and smollm2-q4_1-bf16w-f64.json (the same weights rounded
to bfloat16 first), both computed by forward.py in float64.  See README.md.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import gguf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from forward import ReferenceModel, log_softmax  # noqa: E402
from gguf_tokenizer import load_gguf_tokenizer  # noqa: E402
from prompts import GREEDY_PROMPTS, PROMPTS  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
OUT_DIR = os.path.join(REPO, "Tests", "ModelsTests", "Fixtures", "reference")
TOP_K = 20
GREEDY_STEPS = 32
GREEDY_TOP = 5
IM_START, IM_END = 1, 2
SIG_DIGITS = 12

VARIANTS = {
    "f64": (None, "smollm2-q4_1-f64.json",
            "GGUF weights dequantized exactly (gguf.quants.dequantize -> float32) then widened to float64"),
    "bf16w": ("bf16", "smollm2-q4_1-bf16w-f64.json",
              "GGUF weights dequantized exactly to float32, each value rounded to bfloat16 "
              "(round-to-nearest-even on the float32 bits, all tensors incl. norms), then widened to float64"),
}


def sig(x):
    """A float rounded to SIG_DIGITS significant digits (JSON writes it short)."""
    return float(f"{float(x):.{SIG_DIGITS}g}")


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tokenize(tok, kind, content):
    if kind == "text":
        return tok.encode(content, add_special_tokens=False).ids
    ids = []
    newline = tok.encode("\n", add_special_tokens=False).ids
    for role, message in content:
        ids += [IM_START] + tok.encode(f"{role}\n{message}", add_special_tokens=False).ids
        ids += [IM_END] + newline
    ids += [IM_START] + tok.encode("assistant\n", add_special_tokens=False).ids
    return ids


def top_entries(logprobs, count):
    """Indices of the `count` largest log-probs, descending; ties by lower id."""
    candidates = np.argpartition(-logprobs, count)[: count + 8]
    order = np.lexsort((candidates, -logprobs[candidates]))
    return candidates[order][:count]


def sequence_record(name, kind, text, ids, logits, top_k=TOP_K):
    logprobs, lse = log_softmax(logits)
    top_ids, top_lps = [], []
    for row in logprobs:
        top = top_entries(row, top_k)
        top_ids.append([int(i) for i in top])
        top_lps.append([sig(row[i]) for i in top])
    return {
        "name": name,
        "kind": kind,
        "text": text,
        "token_ids": [int(i) for i in ids],
        "logsumexp": [sig(v) for v in lse],
        "top_ids": top_ids,
        "top_logprobs": top_lps,
    }


class RecomputingModel:
    """greedy_record's model interface over a function that runs a whole sequence: the "cache"
    is the id list, recomputed from the start at every step (small test models only)."""

    def __init__(self, forward_ids):
        self.forward_ids = forward_ids

    def new_cache(self):
        return []

    def forward(self, ids, cache):
        cache.extend(int(i) for i in ids)
        return self.forward_ids(cache)[-len(ids):]


def greedy_record(model, name, ids, decode=None):
    """GREEDY_STEPS argmax steps after ids; decode(ids) -> text, if given, fills continuation_text."""
    cache = model.new_cache()
    logits = model.forward(ids, cache)[-1]
    steps = []
    generated = []
    for _ in range(GREEDY_STEPS):
        logprobs, _ = log_softmax(logits[None, :])
        logprobs = logprobs[0]
        top = top_entries(logprobs, GREEDY_TOP)
        chosen = int(top[0])
        steps.append({
            "id": chosen,
            "logprob": sig(logprobs[chosen]),
            "gap": sig(logprobs[top[0]] - logprobs[top[1]]),
            "top_ids": [int(i) for i in top],
            "top_logprobs": [sig(logprobs[i]) for i in top],
        })
        generated.append(chosen)
        logits = model.forward([chosen], cache)[-1]
    return {
        "name": name,
        "prompt_token_ids": [int(i) for i in ids],
        "continuation_ids": generated,
        "continuation_text": decode(generated) if decode else "",
        "steps": steps,
    }


def build(variant, model_path, tok):
    rounding, file_name, weights_description = VARIANTS[variant]
    started = time.time()
    model = ReferenceModel(model_path, weight_rounding=rounding)
    load_seconds = time.time() - started
    sequences, greedy = [], []
    token_ids = {}
    for name, kind, content in PROMPTS:
        ids = tokenize(tok, kind, content)
        token_ids[name] = ids
        logits = model.forward(ids)
        sequences.append(sequence_record(name, kind, tok.decode(ids, skip_special_tokens=False), ids, logits))
    for name in GREEDY_PROMPTS:
        greedy.append(greedy_record(model, name, token_ids[name],
                                    lambda ids: tok.decode(ids, skip_special_tokens=False)))
    header = {
        "format": "swiftlet-reference-logprobs v1",
        "description": (
            "Float64 reference forward pass of the GGUF model (scripts/reference/forward.py: "
            "Llama, RMSNorm with the GGUF's float32 eps, adjacent-pair (GGML normal) RoPE base "
            "100000, causal GQA attention 9 query / 3 KV heads of 64, SwiGLU FFN 1536, tied "
            "embeddings; every operation in float64, no activation quantization). Weights: "
            + weights_description + ". For every position of every sequence: the top-"
            + str(TOP_K) + " token ids of log_softmax(logits) (descending, ties by lower id), "
            "their log-probs in nats, and logsumexp(logits) (so raw logit = logprob + logsumexp). "
            "Greedy: argmax continuation of " + str(GREEDY_STEPS) + " tokens (EOS not special), "
            "with per step the chosen id, its logprob, gap = top1 - top2 logprob, and the top-"
            + str(GREEDY_TOP) + ". Floats are rounded to " + str(SIG_DIGITS) + " significant digits."
        ),
        "model_file": MODEL_NAME,
        "model_sha256": MODEL_SHA256,
        "weights": weights_description,
        **provenance("scripts/reference/make_reference.py"),
        "config": {
            "num_layers": model.num_layers, "hidden": model.hidden, "num_heads": model.num_heads,
            "num_kv_heads": model.num_kv_heads, "head_dim": model.head_dim,
            "vocab_size": model.vocab_size, "rms_norm_eps": model.eps,
            "rope_freq_base": model.rope_base, "rope_pairing": "adjacent (2i, 2i+1)",
            "tied_embeddings": model.tied_embeddings,
        },
        "top_k": TOP_K,
        "num_positions": sum(len(s["token_ids"]) for s in sequences),
    }
    document = dict(header)
    document["sequences"] = sequences
    document["greedy"] = greedy
    out_path = os.path.join(OUT_DIR, file_name)
    write_document(out_path, document)
    total = time.time() - started
    print(f"{variant}: wrote {out_path} ({os.path.getsize(out_path)} bytes), "
          f"{header['num_positions']} positions, load {load_seconds:.1f}s, total {total:.1f}s")
    for record in greedy:
        gaps = [s["gap"] for s in record["steps"]]
        first_small = next((i for i, g in enumerate(gaps) if g < 0.05), None)
        print(f"  greedy {record['name']}: {record['continuation_text']!r} "
              f"(first gap<0.05 at step {first_small})")
    return document


def _dist_version(name):
    from importlib.metadata import version
    return version(name)


def provenance(generator):
    """The generating script and the package versions and time it ran with (header fields)."""
    return {
        "generator": generator,
        "gguf_version": _dist_version("gguf"),
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def write_document(path, document):
    """The reference JSON, compact, ASCII, one trailing newline."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=True, separators=(",", ":"))
        handle.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=os.path.join(REPO, "models", MODEL_NAME))
    parser.add_argument("--only", choices=sorted(VARIANTS))
    args = parser.parse_args()
    digest = sha256_of(args.model)
    if digest != MODEL_SHA256:
        sys.exit(f"{args.model}: SHA-256 {digest} is not the expected {MODEL_SHA256}")
    tok, _ = load_gguf_tokenizer(args.model)
    for name, kind, content in PROMPTS:
        print(f"{name}: {len(tokenize(tok, kind, content))} tokens")
    variants = [args.only] if args.only else ["f64", "bf16w"]
    for variant in variants:
        build(variant, args.model, tok)


if __name__ == "__main__":
    main()
