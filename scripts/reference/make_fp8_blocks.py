"""Build a vLLM-format FP8 test checkpoint (`quant_method: fp8`, 128x128 weight blocks) and its
transformers reference.

  python3 scripts/reference/make_fp8_blocks.py     (the make_compressed.py venv)

1. A small random Llama (2 layers, hidden 256, 4 heads / 2 KV heads, vocabulary 256), written by
   transformers, has every Linear but lm_head quantized the way DeepSeek-V3 and Qwen3-FP8
   checkpoints are: per [128, 128] tile, scale = max|w| / 448, weight = float8_e4m3fn(w / scale)
   (torch's round-to-nearest-even cast), stored as F8_E4M3 `X.weight` with the F32
   `X.weight_scale_inv` = scale, and `quantization_config` {"quant_method": "fp8",
   "activation_scheme": "dynamic", "weight_block_size": [128, 128], "fmt": "e4m3"}:
   Tests/ModelsTests/Fixtures/compressed/llama-fp8-blocks/.
2. transformers loads that checkpoint (on the CPU its fine-grained FP8 support dequantizes the
   weights, code * weight_scale_inv) and gives the reference logits in make_reference.py's format:
   Tests/ModelsTests/Fixtures/reference/llama-fp8-blocks-transformers.json.
"""
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quantized_fixture import checkpoint_dir, random_llama, write_reference  # noqa: E402

NAME = "llama-fp8-blocks"
BLOCK = 128


def quantize_blocks(w):
    """F8_E4M3 codes and F32 per-tile scales of a [rows, cols] float32 matrix."""
    rows, cols = w.shape
    tiles = torch.zeros((rows + BLOCK - 1) // BLOCK, (cols + BLOCK - 1) // BLOCK)
    codes = torch.zeros(rows, cols, dtype=torch.float8_e4m3fn)
    for i in range(tiles.shape[0]):
        for j in range(tiles.shape[1]):
            tile = w[i * BLOCK:(i + 1) * BLOCK, j * BLOCK:(j + 1) * BLOCK]
            scale = tile.abs().max() / 448
            tiles[i, j] = scale
            codes[i * BLOCK:(i + 1) * BLOCK, j * BLOCK:(j + 1) * BLOCK] = (tile / scale).to(torch.float8_e4m3fn)
    return codes, tiles


def main():
    from importlib.metadata import version
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM, LlamaForCausalLM

    out = checkpoint_dir(NAME)
    base_path = random_llama(NAME, 256, 256)
    base = LlamaForCausalLM.from_pretrained(base_path).eval()
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    tensors = {}
    for name, value in base.state_dict().items():
        if name.endswith("_proj.weight"):
            codes, scales = quantize_blocks(value.float())
            tensors[name] = codes
            tensors[name + "_scale_inv"] = scales.contiguous()
        else:
            tensors[name] = value.contiguous()
    save_file(tensors, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
    document = base.config.to_dict()
    document["quantization_config"] = {"quant_method": "fp8", "activation_scheme": "dynamic",
                                       "weight_block_size": [BLOCK, BLOCK], "fmt": "e4m3"}
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(document, f, indent=2, sort_keys=True)
    reference = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32, device_map="cpu").eval()
    write_reference(NAME, reference,
                    "transformers " + version("transformers") + " (torch " + torch.__version__ + ") running the "
                    "vLLM-format FP8 checkpoint with 128x128 weight blocks in Fixtures/compressed/" + NAME
                    + " in float32 on the CPU (weights dequantized)", "scripts/reference/make_fp8_blocks.py", base=base_path)


if __name__ == "__main__":
    main()
