"""Perplexity of a Hugging Face checkpoint with transformers, chunked and scored exactly as
`swiftlet bench perplexity` and llama.cpp's llama-perplexity do (chunks of CTX tokens, the first
replaced by BOS when the tokenizer adds one, the second half of each chunk scored), so a quantized
checkpoint's figure can be checked against transformers running the same files.

  python3 scripts/quantize/perplexity_transformers.py MODEL_DIR [TEXT] [CTX]
      (the llm-compressor venv of scripts/quantize-hf-checkpoints; float32 on the CPU)
"""
import math
import os
import sys

import torch


def main():
    from transformers import AutoModelForCausalLM, AutoTokenizer
    model_dir = sys.argv[1]
    text_file = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "perplexity.txt")
    ctx = int(sys.argv[3]) if len(sys.argv) > 3 else 512
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    with open(text_file) as f:
        ids = tokenizer(f.read())["input_ids"]
    bos = tokenizer.bos_token_id if ids and ids[0] == tokenizer.bos_token_id else None
    total, count = 0.0, 0
    for chunk in range(len(ids) // ctx):
        window = ids[chunk * ctx:(chunk + 1) * ctx]
        if bos is not None:
            window[0] = bos
        with torch.no_grad():
            logprobs = torch.log_softmax(model(torch.tensor([window])).logits[0].double(), dim=-1)
        for j in range(ctx // 2, ctx - 1):
            total -= logprobs[j, window[j + 1]].item()
            count += 1
        print(f"[{chunk + 1}] {math.exp(total / count):.4f}", flush=True)
    print(f"Final estimate: PPL = {math.exp(total / count):.4f} ({count} scored)")


if __name__ == "__main__":
    main()
