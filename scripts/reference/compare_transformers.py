"""Cross-check a reference file against an independent implementation:
Hugging Face transformers' LlamaForCausalLM loading the same GGUF (it undoes
llama.cpp's attn_q/attn_k row permutation and uses rotate_half RoPE).
Needs: pip install torch transformers accelerate.  transformers 5.x keeps the
GGUF weights packed and computes in float32, so agreement is expected at
float32 level (~1e-5 nats), not float64 level.

  python3 scripts/reference/compare_transformers.py [reference.json]
"""

import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from transformers import AutoModelForCausalLM  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT = os.path.join(REPO, "Tests", "ModelsTests", "Fixtures", "reference", "smollm2-q4_1-f64.json")


def main():
    torch.set_num_threads(1)
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    document = json.load(open(path, encoding="utf-8"))
    model = AutoModelForCausalLM.from_pretrained(
        os.path.join(REPO, "models"), gguf_file=document["model_file"], dtype=torch.float64)
    model.eval()
    num_positions = top1_agree = set_agree = 0
    top1_deltas, max_deltas = [], []
    for sequence in document["sequences"]:
        with torch.no_grad():
            logits = model(torch.tensor([sequence["token_ids"]])).logits[0].double()
        logprobs = torch.log_softmax(logits, -1).numpy()
        for row, ref_ids, ref_lps in zip(logprobs, sequence["top_ids"], sequence["top_logprobs"]):
            num_positions += 1
            top1_agree += int(np.argmax(row) == ref_ids[0])
            set_agree += int(set(np.argsort(-row)[: len(ref_ids)].tolist()) == set(ref_ids))
            top1_deltas.append(abs(row[ref_ids[0]] - ref_lps[0]))
            max_deltas.append(np.max(np.abs(row[ref_ids] - np.asarray(ref_lps))))
    print(f"{num_positions} positions: top-1 agree {top1_agree}, top-k set agree {set_agree}, "
          f"mean |dlogprob top-1| {np.mean(top1_deltas):.3e}, max |dlogprob top-k| {np.max(max_deltas):.3e}")


if __name__ == "__main__":
    main()
