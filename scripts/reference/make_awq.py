"""Build the AWQ test checkpoint and its reference.

  python3 scripts/reference/make_awq.py    (a venv with the CPU torch wheel, autoawq==0.2.9
                                            installed --no-deps, transformers==4.51.3,
                                            accelerate<1.8, datasets, zstandard, gguf==0.19.0)

1. The random Llama of quantized_fixture.random_llama (hidden 128) is quantized by AutoAWQ 0.2.9
   on the CPU (`quantize` with w_bit 4, q_group_size 64, zero_point, version GEMM; calibration:
   16 texts of random id words) and saved with `save_quantized` to
   Tests/ModelsTests/Fixtures/compressed/llama-awq-g64/ (`quant_method: awq`, I32 qweight and
   qzeros in AutoAWQ's interleaved nibble order, F16 scales).
2. The reference: transformers' float32 LlamaForCausalLM holding the checkpoint's weights
   unpacked by AutoAWQ's own helpers (`unpack_awq`, `reverse_awq_order`) and dequantized as
   (q - zero) * scale in float32 (AutoAWQ's `dequantize_gemm` multiplies in the scales' F16; the
   CPU kernels here compute in F32). Written to reference/llama-awq-g64-transformers.json.
"""
import os
import random
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quantized_fixture import checkpoint_dir, id_tokenizer, random_llama, write_reference  # noqa: E402

NAME = "llama-awq-g64"
GROUP = 64


def dequantized_model(path):
    """A float32 LlamaForCausalLM with the AWQ checkpoint's weights dequantized in float32."""
    from awq.utils.packing_utils import reverse_awq_order, unpack_awq
    from safetensors.torch import load_file
    from transformers import LlamaConfig, LlamaForCausalLM
    config = LlamaConfig.from_pretrained(path)
    del config.quantization_config
    stored = load_file(os.path.join(path, "model.safetensors"))
    dense = {}
    for name, value in stored.items():
        if name.endswith(".qweight"):
            base = name[:-len(".qweight")]
            q, z = reverse_awq_order(*unpack_awq(value, stored[base + ".qzeros"], 4), 4)
            q, z = torch.bitwise_and(q, 15), torch.bitwise_and(z, 15)
            scales = stored[base + ".scales"].float().repeat_interleave(GROUP, dim=0)
            dense[base + ".weight"] = ((q - z.repeat_interleave(GROUP, dim=0)).float() * scales).t().contiguous()
        elif not name.endswith((".qzeros", ".scales")):
            dense[name] = value.float()
    model = LlamaForCausalLM(config).float().eval()
    missing, unexpected = model.load_state_dict(dense, strict=False)
    assert not [k for k in missing if "rotary" not in k] and not unexpected, (missing, unexpected)
    return model


def main():
    from importlib.metadata import version
    from awq import AutoAWQForCausalLM

    out = checkpoint_dir(NAME)
    base = random_llama(NAME, 128)
    model = AutoAWQForCausalLM.from_pretrained(base, device_map="cpu")
    rng = random.Random(1)
    texts = [" ".join(f"t{rng.randrange(3, 256)}" for _ in range(48)) for _ in range(16)]
    model.quantize(id_tokenizer(), quant_config={"zero_point": True, "q_group_size": GROUP, "w_bit": 4, "version": "GEMM"},
                   calib_data=texts, n_parallel_calib_samples=4, max_calib_samples=16, max_calib_seq_len=64)
    shutil.rmtree(out, ignore_errors=True)
    model.save_quantized(out)
    write_reference(NAME, dequantized_model(out),
                    "transformers " + version("transformers") + " (torch " + torch.__version__ + ") in float32 holding the AutoAWQ "
                    + version("autoawq") + " GEMM checkpoint in Fixtures/compressed/" + NAME + " unpacked by AutoAWQ's "
                    "unpack_awq and reverse_awq_order, (q - zero) * scale in float32", "scripts/reference/make_awq.py", base=base)


if __name__ == "__main__":
    main()
