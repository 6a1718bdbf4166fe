"""Build the GPTQ test checkpoints (GPTQModel's own format) and their references.

  python3 scripts/reference/make_gptq.py [NAME ...]
      (a venv with the CPU torch wheel, gptqmodel==7.7.0 installed --no-deps --no-build-isolation
       over its requirements.txt minus torch/ninja/maturin, and gguf==0.19.0; on a 2-core machine
       GPTQMODEL_CPU_WORKERS=2 is needed, which this script sets)

1. The random Llama of quantized_fixture.random_llama (hidden 128) is quantized by GPTQModel on
   the CPU (`GPTQModel.load(base, QuantizeConfig(...))`, `quantize` on 16 random id sequences of
   64 tokens, `save`) into Tests/ModelsTests/Fixtures/compressed/NAME/: `quant_method: gptq`,
   `checkpoint_format: gptq` (v1: zero points stored minus one), I32 qweight/qzeros, F16 scales,
   I32 g_idx, the rest in BF16 (GPTQModel's CPU dtype).
2. The reference: GPTQModel loads the checkpoint back with its torch kernel (BACKEND.GPTQ_TORCH),
   whose own `dequantize_weight` unpacks every layer (given the file's F16 scales widened to
   float32, as loading would round them to the model's BF16, so (q - zero) * scale is float32), and transformers' float32 LlamaForCausalLM holding
   those weights gives the logits: reference/NAME-transformers.json.
"""
import gc
import os
import sys

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("GPTQMODEL_CPU_WORKERS", "2")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quantized_fixture import calibration_ids, checkpoint_dir, random_llama, write_reference  # noqa: E402

VARIANTS = {
    "llama-gptq-4bit-g128": dict(bits=4, group_size=128, desc_act=False, sym=True),
    "llama-gptq-4bit-g32-actorder": dict(bits=4, group_size=32, desc_act=True, sym=True),
    "llama-gptq-4bit-asym-g64": dict(bits=4, group_size=64, desc_act=False, sym=False),
    "llama-gptq-8bit-g128": dict(bits=8, group_size=128, desc_act=False, sym=True),
    "llama-gptq-4bit-channel": dict(bits=4, group_size=-1, desc_act=False, sym=True, act_group_aware=False),
}


def dequantized_model(path):
    """transformers' float32 Llama with every GPTQ layer dequantized by GPTQModel's torch kernel."""
    import json
    from gptqmodel import BACKEND, GPTQModel
    from gptqmodel.nn_modules.qlinear.torch import TorchLinear
    from safetensors.torch import load_file
    from transformers import LlamaConfig, LlamaForCausalLM
    loaded = GPTQModel.load(path, device="cpu", backend=BACKEND.GPTQ_TORCH)
    stored = load_file(os.path.join(path, "model.safetensors"))
    dense = {}
    for name, module in loaded.model.named_modules():
        if isinstance(module, TorchLinear):
            # the file's F16 scales widened to float32 (loading converts them to the model's BF16)
            module.scales = stored[name + ".scales"].float()
            with torch.no_grad():
                dense[name + ".weight"] = module.dequantize_weight().float().t().contiguous()
    del loaded
    gc.collect()
    for name, value in stored.items():
        if not name.endswith((".qweight", ".qzeros", ".scales", ".g_idx")):
            dense[name] = value.float()
    with open(os.path.join(path, "config.json")) as f:
        document = json.load(f)
    document.pop("quantization_config")
    config = LlamaConfig.from_dict(document)
    model = LlamaForCausalLM(config).float().eval()
    missing, unexpected = model.load_state_dict(dense, strict=False)
    assert not [k for k in missing if "rotary" not in k] and not unexpected, (missing, unexpected)
    return model


def build(name):
    from importlib.metadata import version
    from gptqmodel import GPTQModel, QuantizeConfig
    out = checkpoint_dir(name)
    base = random_llama(name, 128)
    model = GPTQModel.load(base, QuantizeConfig(**VARIANTS[name]), device="cpu")
    ids = calibration_ids()
    model.quantize([{"input_ids": row, "attention_mask": [1] * len(row)} for row in ids], batch_size=1)
    model.save(out)
    del model
    gc.collect()
    settings = ", ".join(f"{k}={v}" for k, v in VARIANTS[name].items())
    write_reference(name, dequantized_model(out),
                    "transformers " + version("transformers") + " (torch " + torch.__version__ + ") in float32 holding the GPTQModel "
                    + version("gptqmodel") + " checkpoint (" + settings + ") in Fixtures/compressed/" + name
                    + ", each layer dequantized by GPTQModel's torch kernel with the F16 scales in float32",
                    "scripts/reference/make_gptq.py", base=base)
    for extra in os.listdir(out):  # keep the checkpoint proper (the reference load needed the tokenizer): config, weights, quantize_config
        if extra not in ("config.json", "model.safetensors", "quantize_config.json", "generation_config.json"):
            os.remove(os.path.join(out, extra))


if __name__ == "__main__":
    for variant in sys.argv[1:] or VARIANTS:
        build(variant)
