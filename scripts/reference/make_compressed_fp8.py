"""Build the compressed-tensors FP8 test checkpoint and its transformers reference.

  python3 scripts/reference/make_compressed_fp8.py     (a venv with the CPU torch wheel and
                                                        llmcompressor==0.14.0.1, plus gguf==0.19.0)

1. A small random Llama (2 layers, hidden 64, 4 heads / 2 KV heads, vocabulary 256), written by
   transformers, is quantized by llm-compressor's `oneshot` with QuantizationModifier(scheme=
   "FP8_DYNAMIC", targets="Linear", ignore=["lm_head"]): F8_E4M3 weights with a per-channel F32
   `weight_scale`, activations quantized dynamically per token. The compressed checkpoint goes to
   Tests/ModelsTests/Fixtures/compressed/llama-fp8-dynamic/.
2. transformers loads that checkpoint back (compressed-tensors decompresses the weights to float:
   code widened times scale) and gives the reference logits of four seeded random sequences and two
   greedy continuations, in make_reference.py's format:
   Tests/ModelsTests/Fixtures/reference/llama-fp8-dynamic-transformers.json. The unquantized
   model's agreement with the same reference is recorded too ("unquantized_vs_reference").
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
OUT = os.path.join(REPO, "Tests", "ModelsTests", "Fixtures", "compressed", "llama-fp8-dynamic")
REF = os.path.join(REPO, "Tests", "ModelsTests", "Fixtures", "reference", "llama-fp8-dynamic-transformers.json")


def logits_of(model):
    """A function from token ids to float64 logits of one sequence."""
    def run(ids):
        with torch.no_grad():
            return model(torch.tensor([list(ids)])).logits[0].double().numpy()
    return run


def main():
    from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM
    from llmcompressor import oneshot
    from llmcompressor.modifiers.quantization import QuantizationModifier

    torch.manual_seed(0)
    work = os.path.join(REPO, ".cache", "compressed-fp8-work")
    shutil.rmtree(work, ignore_errors=True)
    config = LlamaConfig(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                         num_key_value_heads=2, vocab_size=256, max_position_embeddings=256, rms_norm_eps=1e-5,
                         tie_word_embeddings=False, bos_token_id=1, eos_token_id=2)
    base = LlamaForCausalLM(config).eval()
    with torch.no_grad():  # logits spread enough to have clear winners
        base.lm_head.weight.mul_(8)
    base.save_pretrained(os.path.join(work, "base"), safe_serialization=True)
    model = LlamaForCausalLM.from_pretrained(os.path.join(work, "base")).eval()
    oneshot(model=model, recipe=QuantizationModifier(targets="Linear", scheme="FP8_DYNAMIC", ignore=["lm_head"]))
    shutil.rmtree(OUT, ignore_errors=True)
    model.save_pretrained(OUT, save_compressed=True)
    for extra in ("recipe.yaml",):
        if os.path.exists(os.path.join(OUT, extra)):
            os.remove(os.path.join(OUT, extra))

    reference = AutoModelForCausalLM.from_pretrained(OUT, torch_dtype=torch.float32).eval()
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
                        + " FP8_DYNAMIC checkpoint in Fixtures/compressed/llama-fp8-dynamic in float32: per position the "
                        "top-10 ids of log_softmax(logits) and their log-probs; greedy argmax continuations."),
        "model_file": "llama-fp8-dynamic",
        "generator": "scripts/reference/make_compressed_fp8.py",
        "unquantized_vs_reference": {"top1_agreement": top1 / len(deltas), "mean_abs_delta": float(np.mean(deltas))},
        "num_positions": sum(len(s["token_ids"]) for s in sequences),
        "sequences": sequences,
        "greedy": greedy,
    }
    write_document(REF, document)
    print(json.dumps(document["unquantized_vs_reference"]), os.path.getsize(os.path.join(OUT, "model.safetensors")))


if __name__ == "__main__":
    main()
