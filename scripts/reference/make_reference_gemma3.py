"""Build the float64 reference log-probability file for Gemma 3 (270M, Q4_K_M GGUF):
Tests/ModelsTests/Fixtures/reference/gemma3-270m-q4_k_m-f64.json, computed by
forward_gemma3.py, in make_reference.py's format (top-10 entries per position).

  python3 scripts/reference/make_reference_gemma3.py [--swiftlet .build/release/swiftlet]

The prompts are prompts.py's, each starting with <bos> (the file's
add_bos_token); chats in Gemma's form "<start_of_turn>{user|model}\\n{text}
<end_of_turn>\\n" ... "<start_of_turn>model\\n", a system message joined to the
first user turn by a blank line as Gemma's template does. One more sequence,
"window", is 720 tokens of the prompts' text, so positions past the 512-token
sliding window are compared. Token ids come from `swiftlet tokenize` (they are
the reference's inputs; the Gemma tokenizer has its own tests).
"""
import argparse
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from forward_gemma3 import Gemma3ReferenceModel, LOCAL_ROPE_BASE, SLIDING_WINDOW_PATTERN  # noqa: E402
from make_reference import GREEDY_STEPS, greedy_record, provenance, sequence_record, sha256_of, write_document  # noqa: E402
from prompts import GREEDY_PROMPTS, PROMPTS  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL_NAME = "gemma-3-270m-q4_k_m.gguf"
OUT_PATH = os.path.join(REPO, "Tests", "ModelsTests", "Fixtures", "reference", "gemma3-270m-q4_k_m-f64.json")
TOP_K = 10
WINDOW_SEQUENCE_TOKENS = 720


def render(kind, content):
    """The prompt text, special tokens spelled out, without the leading <bos>."""
    if kind == "text":
        return content
    turns, system = [], None
    for role, message in content:
        if role == "system":
            system = message
            continue
        if role == "user" and system is not None:
            message, system = system + "\n\n" + message, None
        turns.append(f"<start_of_turn>{'model' if role == 'assistant' else 'user'}\n{message}<end_of_turn>\n")
    return "".join(turns) + "<start_of_turn>model\n"


def tokenize(swiftlet, model, text):
    """<bos> + the ids of text, special-token strings parsed."""
    out = subprocess.run([swiftlet, "tokenize", "--model", model, "--json", "--special", "--no-add-special-tokens", text],
                         check=True, capture_output=True, text=True).stdout
    return [2] + json.loads(out)["ids"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=os.path.join(REPO, "models", MODEL_NAME))
    parser.add_argument("--swiftlet", default=os.path.join(REPO, ".build", "release", "swiftlet"))
    args = parser.parse_args()
    started = time.time()
    inputs = []
    for name, kind, content in PROMPTS:
        text = render(kind, content)
        inputs.append((name, kind, text, tokenize(args.swiftlet, args.model, text)))
    long_text = "\n\n".join(render("text", c) if k == "text" else " ".join(m for _, m in c) for _, k, c in PROMPTS)
    window_ids = tokenize(args.swiftlet, args.model, long_text + "\n\n" + long_text)[:WINDOW_SEQUENCE_TOKENS]
    if len(window_ids) < WINDOW_SEQUENCE_TOKENS:
        sys.exit(f"the window sequence has only {len(window_ids)} tokens")
    inputs.append(("window", "text", long_text, window_ids))
    for name, _, _, ids in inputs:
        print(f"{name}: {len(ids)} tokens")

    model = Gemma3ReferenceModel(args.model)
    sequences = [sequence_record(name, kind, text, ids, model.forward(ids), TOP_K) for name, kind, text, ids in inputs]
    by_name = {name: ids for name, _, _, ids in inputs}
    greedy = [greedy_record(model, name, by_name[name]) for name in GREEDY_PROMPTS]
    document = {
        "format": "swiftlet-reference-logprobs v1",
        "description": (
            "Float64 reference forward pass of the Gemma 3 GGUF (scripts/reference/forward_gemma3.py: "
            "embeddings x sqrt(hidden), RMSNorm with the stored (1 + w) weights and float32 eps, q/k "
            "norms, halves-pairing RoPE (base 1e6 global, 10000 on sliding-window layers), causal "
            "attention 4 query / 1 KV head of 256 with a 512-token window on layers l with (l + 1) % 6 "
            "!= 0, post-attention and post-MLP norms, GELU-tanh gate, tied embeddings; float64 "
            "throughout). Per position the top-" + str(TOP_K) + " ids of log_softmax(logits), their "
            "log-probs and logsumexp; greedy: " + str(GREEDY_STEPS) + "-token argmax continuations "
            "with per-step gap = top1 - top2. Floats rounded to 12 significant digits."),
        "model_file": MODEL_NAME,
        "model_sha256": sha256_of(args.model),
        "weights": "GGUF weights dequantized exactly (gguf.quants.dequantize -> float32) then widened to float64",
        **provenance("scripts/reference/make_reference_gemma3.py"),
        "config": {
            "num_layers": model.num_layers, "hidden": model.hidden, "num_heads": model.num_heads,
            "num_kv_heads": model.num_kv_heads, "head_dim": model.head_dim, "vocab_size": model.vocab_size,
            "rms_norm_eps": model.eps, "rope_freq_base": model.rope_base, "local_rope_freq_base": LOCAL_ROPE_BASE,
            "sliding_window": model.window, "sliding_window_pattern": SLIDING_WINDOW_PATTERN,
            "rope_pairing": "halves (i, i + head_dim / 2)", "tied_embeddings": True,
        },
        "top_k": TOP_K,
        "num_positions": sum(len(s["token_ids"]) for s in sequences),
        "sequences": sequences,
        "greedy": greedy,
    }
    write_document(OUT_PATH, document)
    print(f"wrote {OUT_PATH} ({os.path.getsize(OUT_PATH)} bytes), {document['num_positions']} positions, "
          f"{time.time() - started:.1f}s")
    for record in greedy:
        first_small = next((i for i, s in enumerate(record["steps"]) if s["gap"] < 0.05), None)
        print(f"  greedy {record['name']}: {record['continuation_ids'][:8]}... (first gap<0.05 at step {first_small})")


if __name__ == "__main__":
    main()
