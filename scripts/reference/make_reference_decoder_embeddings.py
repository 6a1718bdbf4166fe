"""Reference embeddings of SmolLM2-135M-Instruct (Q4_1 GGUF) run as a pooling model (issue 19:
vLLM's `--runner pooling` on a decoder: the final-norm hidden states of a causal prefill, pooled).

  python3 scripts/reference/make_reference_decoder_embeddings.py   (pip: numpy gguf tokenizers)

Token ids come from the GGUF's own tokenizer rebuilt for Hugging Face `tokenizers`
(gguf_tokenizer.py; SmolLM2 adds no BOS or EOS); hidden states from forward.py's float64
forward pass (ReferenceModel.final_hidden). For each text: the last token's state and the mean of all
states, each L2-normalized, and the last token's state unnormalized. Writes
  Tests/ModelsTests/Fixtures/reference/smollm2-embeddings-f64.json
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from forward import ReferenceModel  # noqa: E402
from gguf_tokenizer import load_gguf_tokenizer  # noqa: E402
from make_reference import MODEL_NAME, OUT_DIR, REPO, provenance, write_document  # noqa: E402

TEXTS = [
    "Hello world",
    "The quick brown fox jumps over the lazy dog.",
    "A man is eating food.",
    "Swiftlet serves language models on CPUs, and it pools their hidden states into embeddings.",
    "def foo(x):\n    return x * 2\n",
]


def normalized(vector):
    return vector / max(np.linalg.norm(vector), 1e-12)


def main():
    path = os.path.join(REPO, "models", MODEL_NAME)
    tok, _ = load_gguf_tokenizer(path)
    model = ReferenceModel(path)
    cases = []
    for text in TEXTS:
        ids = tok.encode(text, add_special_tokens=False).ids
        hidden = model.final_hidden(ids)
        cases.append({
            "text": text, "ids": ids,
            "last": [round(float(v), 8) for v in normalized(hidden[-1])],
            "mean": [round(float(v), 8) for v in normalized(hidden.mean(axis=0))],
            "last_raw": [round(float(v), 6) for v in hidden[-1]],
        })
        print(f"{len(ids):3d} tokens: {text[:40]!r}")
    document = dict(provenance("scripts/reference/make_reference_decoder_embeddings.py"), model=MODEL_NAME, cases=cases)
    write_document(os.path.join(OUT_DIR, "smollm2-embeddings-f64.json"), document)


if __name__ == "__main__":
    main()
