"""llama.cpp's own accuracy against a float64 reference file, with the metric Swiftlet's tests use:
top-1 agreement (llama.cpp's argmax equals the reference's top token) and |delta log-prob of the
reference's top token|, over every position of the file's sequences.

  python3 scripts/reference/llama_cpp_agreement.py FIXTURE.json MODEL.gguf [--llama-cpp DIR] [--f32-cache]

llama.cpp runs through llama_logits.c (compiled here against the llama.cpp that
scripts/build-llama-cpp built): one sequence at a time from position 0, default context settings
(F16 KV cache unless --f32-cache).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from forward import log_softmax  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def build_tool(llama_cpp):
    """Compiles llama_logits.c; returns the executable's path."""
    tool = os.path.join(tempfile.gettempdir(), "swiftlet_llama_logits")
    lib = os.path.join(llama_cpp, "build", "bin")
    subprocess.run(["gcc", "-O2", "-o", tool, os.path.join(HERE, "llama_logits.c"),
                    "-I" + os.path.join(llama_cpp, "src", "include"), "-I" + os.path.join(llama_cpp, "src", "ggml", "include"),
                    "-L" + lib, "-lllama", "-lggml", "-lggml-base", "-Wl,-rpath," + lib], check=True)
    return tool


def agreement(tool, model, sequences, f32_cache=False):
    """Figures over `sequences` (reference records: token_ids, top_ids, top_logprobs)."""
    top1, deltas = 0, []
    env = dict(os.environ, **({"LLAMA_LOGITS_F32_CACHE": "1"} if f32_cache else {}))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "logits.f32")
        for seq in sequences:
            ids = seq["token_ids"]
            subprocess.run([tool, model, out] + [str(i) for i in ids], check=True, capture_output=True, env=env)
            logits = np.fromfile(out, dtype=np.float32).reshape(len(ids), -1)
            for start in range(0, len(ids), 64):  # float64 rows a few at a time (262,144-token vocabularies)
                rows = logits[start:start + 64].astype(np.float64)
                logprobs, _ = log_softmax(rows)
                for offset in range(rows.shape[0]):
                    pos = start + offset
                    ref_top = seq["top_ids"][pos][0]
                    top1 += int(np.argmax(rows[offset]) == ref_top)
                    deltas.append(abs(logprobs[offset, ref_top] - seq["top_logprobs"][pos][0]))
    return {"num_positions": len(deltas), "top1_agreement": top1 / len(deltas),
            "mean_abs_delta": float(np.mean(deltas)), "max_abs_delta": float(np.max(deltas))}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("fixture")
    parser.add_argument("model")
    parser.add_argument("--llama-cpp", default=os.path.join(REPO, ".cache", "llama.cpp"))
    parser.add_argument("--f32-cache", action="store_true")
    args = parser.parse_args()
    with open(args.fixture) as handle:
        sequences = json.load(handle)["sequences"]
    figures = agreement(build_tool(args.llama_cpp), args.model, sequences, args.f32_cache)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
