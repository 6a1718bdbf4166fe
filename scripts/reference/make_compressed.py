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
2. transformers loads that checkpoint back (compressed-tensors decompresses the weights and runs
   the dynamic activation quantization) and gives the reference logits of four seeded random
   sequences and two greedy continuations, in make_reference.py's format:
   Tests/ModelsTests/Fixtures/reference/NAME-transformers.json. The unquantized model's agreement
   with the same reference is recorded too ("unquantized_vs_reference").
"""
import json
import os
import shutil
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from forward import log_softmax  # noqa: E402
from make_reference import RecomputingModel, greedy_record, sequence_record, write_document  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(REPO, "Tests", "ModelsTests", "Fixtures")

# name: (hidden size, recipe kind, scheme)
RECIPES = {
    "llama-fp8-dynamic": (64, "rtn", "FP8_DYNAMIC"),
    "llama-w8a8-int8": (64, "rtn", "W8A8"),
    "llama-w4a16-gptq": (128, "gptq", "W4A16"),
    "llama-w4a16-asym": (128, "rtn", "W4A16_ASYM"),
}


def logits_of(model):
    """A function from token ids to float64 logits of one sequence."""
    def run(ids):
        with torch.no_grad():
            return model(torch.tensor([list(ids)])).logits[0].double().numpy()
    return run


def id_tokenizer():
    """A word-level tokenizer over the 256 ids: llm-compressor wants a processor beside a dataset,
    though the calibration rows are already token ids."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast
    tokenizer = Tokenizer(models.WordLevel({f"t{i}": i for i in range(256)}, unk_token="t0"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="t0", pad_token="t0")


def build(name):
    from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM
    from llmcompressor import oneshot
    from llmcompressor.modifiers.quantization import GPTQModifier, QuantizationModifier

    hidden, kind, scheme = RECIPES[name]
    out = os.path.join(FIXTURES, "compressed", name)
    ref = os.path.join(FIXTURES, "reference", name + "-transformers.json")
    torch.manual_seed(0)
    work = os.path.join(REPO, ".cache", "compressed-work", name)
    shutil.rmtree(work, ignore_errors=True)
    config = LlamaConfig(hidden_size=hidden, intermediate_size=2 * hidden, num_hidden_layers=2, num_attention_heads=4,
                         num_key_value_heads=2, vocab_size=256, max_position_embeddings=256, rms_norm_eps=1e-5,
                         tie_word_embeddings=False, bos_token_id=1, eos_token_id=2)
    base = LlamaForCausalLM(config).eval()
    with torch.no_grad():  # logits spread enough to have clear winners
        base.lm_head.weight.mul_(8)
    base.save_pretrained(os.path.join(work, "base"), safe_serialization=True)
    model = LlamaForCausalLM.from_pretrained(os.path.join(work, "base")).eval()
    if kind == "gptq":
        from datasets import Dataset
        generator = torch.Generator().manual_seed(1)
        ids = torch.randint(3, 256, (16, 64), generator=generator).tolist()
        calibration = Dataset.from_dict({"input_ids": ids, "attention_mask": [[1] * 64] * 16})
        oneshot(model=model, dataset=calibration, processor=id_tokenizer(), num_calibration_samples=16, max_seq_length=64,
                recipe=GPTQModifier(targets="Linear", scheme=scheme, ignore=["lm_head"]))
    else:
        oneshot(model=model, recipe=QuantizationModifier(targets="Linear", scheme=scheme, ignore=["lm_head"]))
    shutil.rmtree(out, ignore_errors=True)
    model.save_pretrained(out, save_compressed=True)
    for extra in ("recipe.yaml",):
        if os.path.exists(os.path.join(out, extra)):
            os.remove(os.path.join(out, extra))

    reference = AutoModelForCausalLM.from_pretrained(out, torch_dtype=torch.float32).eval()
    forward = RecomputingModel(logits_of(reference))
    rng = np.random.default_rng(5)
    sequences = []
    for i, length in enumerate([48, 40, 32, 24]):
        ids = [1] + [int(t) for t in rng.integers(3, 256, size=length - 1)]
        sequences.append(sequence_record(f"random-{i}", "ids", "", ids, forward.forward(ids, []), 10))
    greedy = [greedy_record(forward, f"greedy-{i}", s["token_ids"][:10]) for i, s in enumerate(sequences[:2])]

    unquantized = RecomputingModel(logits_of(LlamaForCausalLM.from_pretrained(os.path.join(work, "base")).eval()))
    top1, deltas = 0, []
    for s in sequences:
        logprobs, _ = log_softmax(unquantized.forward(s["token_ids"], []))
        for pos, row in enumerate(logprobs):
            top1 += int(np.argmax(row) == s["top_ids"][pos][0])
            deltas.append(abs(row[s["top_ids"][pos][0]] - s["top_logprobs"][pos][0]))
    from importlib.metadata import version
    document = {
        "format": "swiftlet-reference-logprobs v1",
        "description": ("transformers " + version("transformers") + " (torch " + torch.__version__ + ", compressed-tensors "
                        + version("compressed-tensors") + ") running the llm-compressor " + version("llmcompressor")
                        + " " + scheme + (" (GPTQ)" if kind == "gptq" else "") + " checkpoint in Fixtures/compressed/" + name + " in float32: per position the "
                        "top-10 ids of log_softmax(logits) and their log-probs; greedy argmax continuations."),
        "model_file": name,
        "generator": "scripts/reference/make_compressed.py",
        "unquantized_vs_reference": {"top1_agreement": top1 / len(deltas), "mean_abs_delta": float(np.mean(deltas))},
        "num_positions": sum(len(s["token_ids"]) for s in sequences),
        "sequences": sequences,
        "greedy": greedy,
    }
    write_document(ref, document)
    print(name, json.dumps(document["unquantized_vs_reference"]), os.path.getsize(os.path.join(out, "model.safetensors")))


if __name__ == "__main__":
    for fixture in sys.argv[1:] or RECIPES:
        build(fixture)
