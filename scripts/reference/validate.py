"""Sanity checks of forward.py (not needed to regenerate the files):

1. greedy continuation of "The capital of France is" starts with " Paris";
2. incremental decoding (KV cache, one chunk then single tokens) matches one
   full pass;
3. RoPE pairing ablation: mean negative log-likelihood of the prose prompts
   with adjacent pairs (what forward.py does) versus the HF rotate_half
   pairing (i, i + 32) applied to the same GGUF weights.  The right pairing
   must be clearly better.

  python3 scripts/reference/validate.py
"""

import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from forward import ReferenceModel, log_softmax  # noqa: E402
from gguf_tokenizer import load_gguf_tokenizer  # noqa: E402
from make_reference import MODEL_NAME, REPO, tokenize  # noqa: E402
from prompts import PROMPTS  # noqa: E402


def mean_nll(model, ids):
    logprobs, _ = log_softmax(model.forward(ids))
    return -float(np.mean(logprobs[np.arange(len(ids) - 1), ids[1:]]))


def rope_half_split(model):
    """Replace the model's rope with the rotate_half pairing (i, i + d/2)."""
    def rope(x, positions):
        half = model.head_dim // 2
        angles = positions[:, None].astype(np.float64) * model.inv_freq[None, :]
        cos, sin = np.cos(angles)[:, None, :], np.sin(angles)[:, None, :]
        first, second = x[..., :half], x[..., half:]
        return np.concatenate([first * cos - second * sin, first * sin + second * cos], axis=-1)
    model._rope = rope


def main():
    path = os.path.join(REPO, "models", MODEL_NAME)
    tok, _ = load_gguf_tokenizer(path)
    model = ReferenceModel(path)
    ids = tok.encode("The capital of France is").ids
    cache = model.new_cache()
    logits = model.forward(ids, cache)
    generated = []
    for _ in range(8):
        next_id = int(np.argmax(logits[-1]))
        generated.append(next_id)
        logits = model.forward([next_id], cache)
    text = tok.decode(generated)
    print(f"greedy: {text!r}")
    assert text.startswith(" Paris"), "expected ' Paris'"
    full = model.forward(ids + generated)
    split = np.vstack([model.forward(ids + generated[:1], c := model.new_cache())]
                      + [model.forward([g], c) for g in generated[1:]])
    print(f"incremental vs full: max |dlogit| = {np.abs(full - split).max():.3e}")
    texts = {name: tokenize(tok, kind, content) for name, kind, content in PROMPTS if kind == "text"}
    adjacent = {name: mean_nll(model, np.array(v)) for name, v in texts.items()}
    rope_half_split(model)
    halved = {name: mean_nll(model, np.array(v)) for name, v in texts.items()}
    for name in texts:
        print(f"NLL {name:15s} adjacent {adjacent[name]:.4f}  rotate_half {halved[name]:.4f}")
    assert all(adjacent[n] < halved[n] for n in texts if len(texts[n]) > 20)


if __name__ == "__main__":
    main()
