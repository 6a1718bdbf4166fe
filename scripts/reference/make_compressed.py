"""Build the compressed-tensors test checkpoints and their transformers references.

  python3 scripts/reference/make_compressed.py [NAME ...]   (a venv with the CPU torch wheel and
                                                            llmcompressor==0.14.0.1, plus gguf==0.19.0)

For each fixture NAME (all by default):
1. A small random Llama (2 layers, 4 heads / 2 KV heads, vocabulary 256), written by
   transformers, is quantized by llm-compressor (`oneshot`, every Linear but lm_head) with the
   fixture's recipe, and saved compressed to Tests/ModelsTests/Fixtures/compressed/NAME/:
   - llama-fp8-dynamic: QuantizationModifier FP8_DYNAMIC (F8_E4M3 weights, per-channel scale,
     FP8 activations per token at run time); hidden 64.
   - llama-w8a8-int8: QuantizationModifier W8A8 (I8 weights, per-channel scale, INT8 activations
     per token at run time); hidden 64.
   - llama-w4a16-gptq: GPTQModifier W4A16 (4-bit symmetric, groups of 128 columns, packed in
     I32) calibrated on 16 random sequences; hidden 128.
   - llama-w4a16-asym: QuantizationModifier W4A16_ASYM (4-bit with packed zero points, groups
     of 128); hidden 128.
   - llama-fp8-kv: QuantizationModifier FP8_DYNAMIC with kv_cache_scheme (static per-tensor FP8
     keys and values: k_scale / v_scale per layer) calibrated on 16 random id sequences; hidden
     64. transformers rounds keys and values through FP8 with those scales.
   - llama-fp8-static: QuantizationModifier FP8 (per-tensor weight scales, static per-tensor FP8
     inputs: an input_scale per layer) calibrated on 16 random id sequences; hidden 64.
   The unquantized hidden-64 model (the same for both hidden-64 recipes) is kept as
   Fixtures/compressed/llama-base-64: `--quantization fp8` / `int8` of it must give the same bytes.
2. transformers loads that checkpoint back (compressed-tensors decompresses the weights and runs
   the dynamic activation quantization) and gives the reference logits of four seeded random
   sequences and two greedy continuations, in make_reference.py's format:
   Tests/ModelsTests/Fixtures/reference/NAME-transformers.json. The unquantized model's agreement
   with the same reference is recorded too ("unquantized_vs_reference").
"""
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quantized_fixture import calibration_ids, checkpoint_dir, id_tokenizer, random_llama, write_reference  # noqa: E402

# name: (hidden size, recipe kind, scheme)
RECIPES = {
    "llama-fp8-dynamic": (64, "rtn", "FP8_DYNAMIC"),
    "llama-w8a8-int8": (64, "rtn", "W8A8"),
    "llama-w4a16-gptq": (128, "gptq", "W4A16"),
    "llama-w4a16-asym": (128, "rtn", "W4A16_ASYM"),
    "llama-fp8-kv": (64, "kv", "FP8_DYNAMIC"),
    "llama-fp8-static": (64, "calibrated", "FP8"),
}


def build(name):
    from importlib.metadata import version
    from transformers import AutoModelForCausalLM, LlamaForCausalLM
    from llmcompressor import oneshot
    from llmcompressor.modifiers.quantization import GPTQModifier, QuantizationModifier

    hidden, kind, scheme = RECIPES[name]
    out = checkpoint_dir(name)
    base = random_llama(name, hidden)
    if hidden == 64:  # the unquantized model beside them, for --quantization (one seed: the same for both)
        unquantized = checkpoint_dir("llama-base-64")
        shutil.rmtree(unquantized, ignore_errors=True)
        os.makedirs(unquantized)
        for file in ("config.json", "model.safetensors"):
            shutil.copy(os.path.join(base, file), unquantized)
    model = LlamaForCausalLM.from_pretrained(base).eval()
    if kind == "kv":
        from datasets import Dataset
        ids = calibration_ids()
        calibration = Dataset.from_dict({"input_ids": ids, "attention_mask": [[1] * len(ids[0])] * len(ids)})
        kv = {"num_bits": 8, "type": "float", "strategy": "tensor", "dynamic": False, "symmetric": True}
        oneshot(model=model, dataset=calibration, processor=id_tokenizer(), num_calibration_samples=len(ids),
                max_seq_length=len(ids[0]),
                recipe=QuantizationModifier(targets="Linear", scheme=scheme, ignore=["lm_head"], kv_cache_scheme=kv))
    elif kind == "calibrated":
        from datasets import Dataset
        ids = calibration_ids()
        calibration = Dataset.from_dict({"input_ids": ids, "attention_mask": [[1] * len(ids[0])] * len(ids)})
        oneshot(model=model, dataset=calibration, processor=id_tokenizer(), num_calibration_samples=len(ids),
                max_seq_length=len(ids[0]), recipe=QuantizationModifier(targets="Linear", scheme=scheme, ignore=["lm_head"]))
    elif kind == "gptq":
        from datasets import Dataset
        ids = calibration_ids()
        calibration = Dataset.from_dict({"input_ids": ids, "attention_mask": [[1] * len(ids[0])] * len(ids)})
        oneshot(model=model, dataset=calibration, processor=id_tokenizer(), num_calibration_samples=len(ids),
                max_seq_length=len(ids[0]), recipe=GPTQModifier(targets="Linear", scheme=scheme, ignore=["lm_head"]))
    else:
        oneshot(model=model, recipe=QuantizationModifier(targets="Linear", scheme=scheme, ignore=["lm_head"]))
    shutil.rmtree(out, ignore_errors=True)
    model.save_pretrained(out, save_compressed=True)
    if os.path.exists(os.path.join(out, "recipe.yaml")):
        os.remove(os.path.join(out, "recipe.yaml"))
    reference = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32).eval()
    write_reference(name, reference,
                    "transformers " + version("transformers") + " (torch " + torch.__version__ + ", compressed-tensors "
                    + version("compressed-tensors") + ") running the llm-compressor " + version("llmcompressor") + " "
                    + scheme + {"gptq": " (GPTQ)", "kv": " with an FP8 kv_cache_scheme"}.get(kind, "") + " checkpoint in Fixtures/compressed/" + name
                    + " in float32", "scripts/reference/make_compressed.py", base=base)


if __name__ == "__main__":
    for fixture in sys.argv[1:] or RECIPES:
        build(fixture)
