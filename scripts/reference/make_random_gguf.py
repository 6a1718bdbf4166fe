"""Write small random-weight GGUF files in llama.cpp's tensor names, for architectures no small real
checkpoint in an installable package has (mixture-of-experts families, Phi-3).

  python3 scripts/reference/make_random_gguf.py --arch llama --out F.gguf      # Mixtral layout
  python3 scripts/reference/make_random_gguf.py --arch qwen3moe --out F.gguf   # Qwen3-MoE layout
  python3 scripts/reference/make_random_gguf.py --arch qwen2moe --out F.gguf   # + shared expert
  python3 scripts/reference/make_random_gguf.py --arch phi3 --out F.gguf       # dense, fused tensors
  ... --hidden 768 --layers 12 --experts 32 --used 4 --expert-ff 512 --vocab 49152 --type Q8_0

Mixture-of-experts layouts (llama.cpp's names and shapes, ne0 first):
  blk.N.ffn_gate_inp.weight   [hidden, experts]             router, F32
  blk.N.ffn_{gate,up}_exps    [hidden, expert_ff, experts]  stacked experts
  blk.N.ffn_down_exps         [expert_ff, hidden, experts]
  qwen2moe adds ffn_{gate,up,down}_shexp (a dense SiLU MLP of --shared-ff) and
  ffn_gate_inp_shexp [hidden] (its sigmoid gate), and q/k/v biases.
  qwen3moe has per-head q/k norms and {arch}.expert_feed_forward_length.
Phi-3 (dense, --ff wide): blk.N.attn_qkv.weight [hidden, q + k + v rows] holds q, k and v one after
  the other, blk.N.ffn_up.weight [hidden, 2 ff] the gate rows then the up rows (llama.cpp's swiglu
  takes the first half as the gate); query width = hidden.
The vocabulary is the first --vocab tokens of the SmolLM2 GGUF (ChatML specials, the 256 byte
tokens, then merges), with the merges whose parts and result all stay inside it, and its chat
template, so llama.cpp and Swiftlet tokenize and chat with the file. Deterministic for a --seed.
"""
import argparse
import os

import numpy as np
import gguf

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOKENIZER_SOURCE = os.path.join(REPO, "models", "SmolLM2-135M-Instruct.Q4_1.gguf")


def truncated_vocab(path, size):
    reader = gguf.GGUFReader(path)
    fields = {k: f.contents() for k, f in reader.fields.items() if k.startswith("tokenizer.")}
    tokens = fields["tokenizer.ggml.tokens"][:size]
    kept = set(tokens)
    merges = [m for m in fields["tokenizer.ggml.merges"]
              if all(part in kept for part in m.split(" ")) and m.replace(" ", "") in kept]
    return tokens, fields["tokenizer.ggml.token_type"][:size], merges, fields["tokenizer.chat_template"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", choices=["llama", "qwen3moe", "qwen2moe", "phi3"], required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--kv-heads", type=int, default=2)
    p.add_argument("--head-dim", type=int, default=16)
    p.add_argument("--experts", type=int, default=8)
    p.add_argument("--used", type=int, default=2)
    p.add_argument("--expert-ff", type=int, default=64)
    p.add_argument("--shared-ff", type=int, default=96)
    p.add_argument("--ff", type=int, default=96, help="dense MLP width (phi3)")
    p.add_argument("--vocab", type=int, default=512)
    p.add_argument("--type", default="Q8_0", help="type of the projection and expert matrices (F32, F16, Q8_0, Q4_0, Q4_1)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    qtype = gguf.GGMLQuantizationType[a.type]
    arch = a.arch
    w = gguf.GGUFWriter(a.out, arch)
    moe = arch != "phi3"
    w.add_name("swiftlet random weights")  # no family name: llama.cpp keys vocabulary quirks on it
    w.add_block_count(a.layers)
    w.add_context_length(4096)
    w.add_embedding_length(a.hidden)
    w.add_feed_forward_length(a.expert_ff if moe else a.ff)
    w.add_head_count(a.heads)
    w.add_head_count_kv(a.kv_heads)
    w.add_key_length(a.head_dim)
    w.add_value_length(a.head_dim)
    w.add_rope_dimension_count(a.head_dim)
    w.add_rope_freq_base(1_000_000.0 if arch.startswith("qwen") else 10000.0)
    w.add_layer_norm_rms_eps(1e-6)
    if moe:
        w.add_expert_count(a.experts)
        w.add_expert_used_count(a.used)
    if arch in ("qwen3moe", "qwen2moe"):
        w.add_expert_feed_forward_length(a.expert_ff)
    if arch == "qwen2moe":
        w.add_expert_shared_feed_forward_length(a.shared_ff)
    w.add_vocab_size(a.vocab)
    w.add_file_type({"F32": gguf.LlamaFileType.ALL_F32, "F16": gguf.LlamaFileType.MOSTLY_F16, "Q8_0": gguf.LlamaFileType.MOSTLY_Q8_0,
                     "Q4_0": gguf.LlamaFileType.MOSTLY_Q4_0, "Q4_1": gguf.LlamaFileType.MOSTLY_Q4_1}[a.type])
    tokens, types, merges, template = truncated_vocab(TOKENIZER_SOURCE, a.vocab)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("smollm")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_add_bos_token(False)
    w.add_chat_template(template)

    def matrix(name, shape, std):
        """A row-major numpy array (ne reversed) in the chosen type."""
        values = (rng.standard_normal(shape) * std).astype(np.float32)
        if qtype in (gguf.GGMLQuantizationType.F32,):
            w.add_tensor(name, values)
        elif qtype == gguf.GGMLQuantizationType.F16:
            w.add_tensor(name, values.astype(np.float16))
        else:
            w.add_tensor(name, gguf.quants.quantize(values, qtype), raw_dtype=qtype)

    def vector(name, n, mean=1.0, std=0.1):
        w.add_tensor(name, (mean + rng.standard_normal(n) * std).astype(np.float32))

    h, q_dim, kv_dim = a.hidden, a.heads * a.head_dim, a.kv_heads * a.head_dim
    if arch == "phi3" and q_dim != h:
        p.error("phi3 needs heads x head-dim = hidden")
    # embeddings and LM head spread enough that the logits have clear winners
    w.add_tensor("token_embd.weight", gguf.quants.quantize((rng.standard_normal((a.vocab, h)) * 0.5).astype(np.float32),
                                                           gguf.GGMLQuantizationType.Q8_0),
                 raw_dtype=gguf.GGMLQuantizationType.Q8_0)
    vector("output_norm.weight", h)
    if arch != "qwen3moe":  # qwen3moe ties the LM head to the embeddings
        matrix("output.weight", (a.vocab, h), 0.5)
    for i in range(a.layers):
        b = f"blk.{i}."
        vector(b + "attn_norm.weight", h)
        if arch == "phi3":
            matrix(b + "attn_qkv.weight", (q_dim + 2 * kv_dim, h), h ** -0.5)
        else:
            matrix(b + "attn_q.weight", (q_dim, h), h ** -0.5)
            matrix(b + "attn_k.weight", (kv_dim, h), h ** -0.5)
            matrix(b + "attn_v.weight", (kv_dim, h), h ** -0.5)
        matrix(b + "attn_output.weight", (h, q_dim), q_dim ** -0.5)
        if arch == "qwen2moe":
            for part, n in (("q", q_dim), ("k", kv_dim), ("v", kv_dim)):
                vector(b + f"attn_{part}.bias", n, mean=0.0, std=0.2)
        if arch == "qwen3moe":
            vector(b + "attn_q_norm.weight", a.head_dim)
            vector(b + "attn_k_norm.weight", a.head_dim)
        vector(b + "ffn_norm.weight", h)
        if arch == "phi3":
            matrix(b + "ffn_up.weight", (2 * a.ff, h), h ** -0.5)
            matrix(b + "ffn_down.weight", (h, a.ff), a.ff ** -0.5)
            continue
        w.add_tensor(b + "ffn_gate_inp.weight", (rng.standard_normal((a.experts, h)) * (2.0 / h ** 0.5)).astype(np.float32))
        matrix(b + "ffn_gate_exps.weight", (a.experts, a.expert_ff, h), h ** -0.5)
        matrix(b + "ffn_up_exps.weight", (a.experts, a.expert_ff, h), h ** -0.5)
        matrix(b + "ffn_down_exps.weight", (a.experts, h, a.expert_ff), a.expert_ff ** -0.5)
        if arch == "qwen2moe":
            w.add_tensor(b + "ffn_gate_inp_shexp.weight", (rng.standard_normal(h) * h ** -0.5).astype(np.float32))
            matrix(b + "ffn_gate_shexp.weight", (a.shared_ff, h), h ** -0.5)
            matrix(b + "ffn_up_shexp.weight", (a.shared_ff, h), h ** -0.5)
            matrix(b + "ffn_down_shexp.weight", (h, a.shared_ff), a.shared_ff ** -0.5)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    print(f"wrote {a.out} ({os.path.getsize(a.out)} bytes)")


if __name__ == "__main__":
    main()
