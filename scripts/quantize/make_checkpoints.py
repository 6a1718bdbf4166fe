"""Quantized Hugging Face checkpoints of a model with llm-compressor, for the benchmarks.

  python3 scripts/quantize/make_checkpoints.py --model DIR --out-prefix PREFIX [SCHEME ...]

SCHEME (all by default) and the recipe each gets (every Linear but lm_head):
  fp8-dynamic   QuantizationModifier FP8_DYNAMIC: F8_E4M3 weights per output channel, FP8 inputs per token
  w8a8-int8     SmoothQuantModifier(0.8) then GPTQModifier W8A8: INT8 weights per channel, INT8 inputs per token
  w4a16-gptq    GPTQModifier, 4-bit symmetric weights in groups of 64 columns (64 divides the
                576-wide rows of the default model; 128, the preset's size, does not)
GPTQ and SmoothQuant calibrate on scripts/quantize/calibration.txt, cut into 16 sequences of 128
tokens by the model's own tokenizer. Each checkpoint goes to PREFIX-SCHEME/ with the tokenizer files.
"""
import argparse
import os
import shutil

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMES = ("fp8-dynamic", "w8a8-int8", "w4a16-gptq")


def calibration(tokenizer, count=16, length=128):
    """`count` overlapping windows of `length` tokens over the shipped calibration text."""
    from datasets import Dataset
    with open(os.path.join(HERE, "calibration.txt")) as f:
        ids = tokenizer(f.read())["input_ids"]
    step = max(1, (len(ids) - length) // max(count - 1, 1))
    rows = [ids[i * step:i * step + length] for i in range(count) if len(ids[i * step:i * step + length]) == length]
    return Dataset.from_dict({"input_ids": rows, "attention_mask": [[1] * length] * len(rows)})


def recipe(scheme):
    from compressed_tensors.quantization import QuantizationArgs, QuantizationScheme
    from llmcompressor.modifiers.quantization import GPTQModifier, QuantizationModifier
    from llmcompressor.modifiers.smoothquant import SmoothQuantModifier
    if scheme == "fp8-dynamic":
        return [QuantizationModifier(targets="Linear", scheme="FP8_DYNAMIC", ignore=["lm_head"])]
    if scheme == "w8a8-int8":
        return [SmoothQuantModifier(smoothing_strength=0.8), GPTQModifier(targets="Linear", scheme="W8A8", ignore=["lm_head"])]
    weights = QuantizationArgs(num_bits=4, type="int", symmetric=True, strategy="group", group_size=64)
    return [GPTQModifier(config_groups={"group_0": QuantizationScheme(targets=["Linear"], weights=weights)}, ignore=["lm_head"])]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--out-prefix", required=True)
    parser.add_argument("schemes", nargs="*", default=list(SCHEMES))
    args = parser.parse_args()
    from llmcompressor import oneshot
    from transformers import AutoModelForCausalLM, AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    for scheme in args.schemes:
        out = f"{args.out_prefix}-{scheme}"
        model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32).eval()
        if scheme == "fp8-dynamic":
            oneshot(model=model, recipe=recipe(scheme))
        else:
            data = calibration(tokenizer)
            oneshot(model=model, recipe=recipe(scheme), dataset=data, processor=tokenizer,
                    num_calibration_samples=len(data), max_seq_length=len(data[0]["input_ids"]))
        shutil.rmtree(out, ignore_errors=True)
        model.save_pretrained(out, save_compressed=True)
        tokenizer.save_pretrained(out)
        print(out)


if __name__ == "__main__":
    main()
