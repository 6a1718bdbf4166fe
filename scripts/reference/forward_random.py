"""Independent float64 reference forward pass for the random-weight GGUF files make_random_gguf.py
writes in llama.cpp's layouts: mixture-of-experts families (llama as Mixtral, qwen2moe, qwen3moe)
and Phi-3.

What it computes, exactly
-------------------------
Weights: every tensor dequantized with gguf.quants.dequantize to float32, widened to float64; a
GGUF tensor of shape [ne0, ne1, ne2] is the row-major array (ne2, ne1, ne0), so expert e of
ffn_gate_exps is the (expert_ff, hidden) matrix [e] and a projection is y = W @ x.

Per layer (x the residual stream, positions from 0):
  h = rmsnorm(x, attn_norm)                 rmsnorm(v, w) = v / sqrt(mean(v^2) + eps) * w
  q, k, v = W_q h (+ b_q), W_k h (+ b_k), W_v h (+ b_v)      biases: qwen2moe
    (phi3: one attn_qkv matrix whose rows are W_q, then W_k, then W_v)
  qwen3moe: q and k RMS-normed per head (attn_q_norm, attn_k_norm)
  RoPE base {arch}.rope.freq_base on q and k per head: llama pairs adjacent dimensions (2i, 2i+1),
    qwen2moe/qwen3moe/phi3 the halves (i, i + head_dim/2); theta_i = base^(-2i/head_dim)
  causal attention, query head j reads KV head j // (heads / kv_heads), scale 1/sqrt(head_dim)
  x = x + W_o attn
  h = rmsnorm(x, ffn_norm)
  router: p = softmax(W_router h) over all experts; the k = expert_used_count largest p
    (ties: lower expert index first); weights w_j = p_j, divided by their sum for llama (Mixtral)
    and qwen3moe, not for qwen2moe; times {arch}.expert_weights_scale where present (not 0 or 1)
  moe = sum_j w_j * W_down[e_j] (silu(W_gate[e_j] h) * W_up[e_j] h)
  qwen2moe: + sigmoid(w_gate_shexp . h) * W_down_sh (silu(W_gate_sh h) * W_up_sh h)
  x = x + moe
  (phi3 instead: g, u = the first and second halves of the rows of ffn_up applied to h;
   x = x + W_down (silu(g) * u))
logits = W_out rmsnorm(x, output_norm), W_out = output.weight or token_embd.weight when absent.
Everything float64.
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import gguf  # noqa: E402

NORMALIZED_TOP_K = {"llama": True, "qwen3moe": True, "qwen2moe": False, "phi3": None}


class RandomReferenceModel:
    def __init__(self, path):
        reader = gguf.GGUFReader(path)
        fields = {k: f.contents() for k, f in reader.fields.items() if not k.startswith("tokenizer.")}
        self.arch = a = fields["general.architecture"]
        if a not in NORMALIZED_TOP_K:
            raise ValueError(f"unsupported architecture {a}")
        self.num_layers = int(fields[f"{a}.block_count"])
        self.hidden = int(fields[f"{a}.embedding_length"])
        self.num_heads = int(fields[f"{a}.attention.head_count"])
        self.num_kv_heads = int(fields[f"{a}.attention.head_count_kv"])
        self.head_dim = int(fields.get(f"{a}.attention.key_length", self.hidden // self.num_heads))
        self.eps = float(np.float32(fields[f"{a}.attention.layer_norm_rms_epsilon"]))
        self.rope_base = float(np.float32(fields[f"{a}.rope.freq_base"]))
        self.num_experts = int(fields.get(f"{a}.expert_count", 0))
        self.num_used = int(fields.get(f"{a}.expert_used_count", 0))
        self.weights_scale = float(fields.get(f"{a}.expert_weights_scale", 0.0))
        self.weights = {}
        for tensor in reader.tensors:
            values = np.asarray(gguf.quants.dequantize(tensor.data, tensor.tensor_type), dtype=np.float32)
            values = values.reshape(tuple(int(n) for n in reversed(tensor.shape.tolist())))
            self.weights[tensor.name] = values.astype(np.float64)
        self.embedding = self.weights["token_embd.weight"]
        self.output = self.weights.get("output.weight", self.embedding)
        self.vocab_size = self.embedding.shape[0]
        half = self.head_dim // 2
        self.inv_freq = self.rope_base ** (-2.0 * np.arange(half, dtype=np.float64) / self.head_dim)

    def _rmsnorm(self, x, weight):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps) * weight

    def _rope(self, x, positions):
        angles = positions[:, None].astype(np.float64) * self.inv_freq[None, :]
        cos, sin = np.cos(angles)[:, None, :], np.sin(angles)[:, None, :]
        out = np.empty_like(x)
        if self.arch == "llama":
            even, odd = x[..., 0::2], x[..., 1::2]
            out[..., 0::2] = even * cos - odd * sin
            out[..., 1::2] = even * sin + odd * cos
        else:
            half = self.head_dim // 2
            first, second = x[..., :half], x[..., half:]
            out[..., :half] = first * cos - second * sin
            out[..., half:] = first * sin + second * cos
        return out

    @staticmethod
    def _silu(z):
        return z / (1.0 + np.exp(-z))

    def route(self, layer, h):
        """(expert ids, weights) per token: arrays (T, k)."""
        logits = h @ self.weights[f"blk.{layer}.ffn_gate_inp.weight"].T
        logits = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        order = np.argsort(-probs, axis=1, kind="stable")[:, :self.num_used]
        chosen = np.take_along_axis(probs, order, axis=1)
        if NORMALIZED_TOP_K[self.arch]:
            chosen = chosen / chosen.sum(axis=1, keepdims=True)
        if self.weights_scale not in (0.0, 1.0):
            chosen = chosen * self.weights_scale
        return order, chosen

    def _moe(self, layer, h):
        b = f"blk.{layer}."
        gate, up, down = (self.weights[b + f"ffn_{n}_exps.weight"] for n in ("gate", "up", "down"))
        experts, weights = self.route(layer, h)
        out = np.zeros_like(h)
        for t in range(h.shape[0]):
            for e, w in zip(experts[t], weights[t]):
                out[t] += w * (down[e] @ (self._silu(gate[e] @ h[t]) * (up[e] @ h[t])))
        if self.arch == "qwen2moe":
            shared = self.weights[b + "ffn_down_shexp.weight"] @ (
                self._silu(self.weights[b + "ffn_gate_shexp.weight"] @ h.T) * (self.weights[b + "ffn_up_shexp.weight"] @ h.T))
            gate_logit = h @ self.weights[b + "ffn_gate_inp_shexp.weight"]
            out += (1.0 / (1.0 + np.exp(-gate_logit)))[:, None] * shared.T
        return out

    def forward(self, token_ids):
        """Float64 logits (len(token_ids), vocab) of one sequence from position 0."""
        ids = np.asarray(token_ids, dtype=np.int64)
        count = ids.size
        positions = np.arange(count)
        heads, kv_heads, hd = self.num_heads, self.num_kv_heads, self.head_dim
        group = heads // kv_heads
        allowed = positions[None, :] <= positions[:, None]
        x = self.embedding[ids]
        for layer in range(self.num_layers):
            w = lambda name: self.weights[f"blk.{layer}.{name}"]  # noqa: E731
            h = self._rmsnorm(x, w("attn_norm.weight"))
            if self.arch == "phi3":
                qkv = h @ w("attn_qkv.weight").T
                q, k, v = np.split(qkv, [heads * hd, (heads + kv_heads) * hd], axis=1)
            else:
                q, k, v = (h @ w(f"attn_{p}.weight").T for p in ("q", "k", "v"))
            if self.arch == "qwen2moe":
                q, k, v = q + w("attn_q.bias"), k + w("attn_k.bias"), v + w("attn_v.bias")
            q, k, v = q.reshape(count, heads, hd), k.reshape(count, kv_heads, hd), v.reshape(count, kv_heads, hd)
            if self.arch == "qwen3moe":
                q = self._rmsnorm(q, w("attn_q_norm.weight"))
                k = self._rmsnorm(k, w("attn_k_norm.weight"))
            q, k = self._rope(q, positions), self._rope(k, positions)
            attn = np.empty((count, heads, hd))
            for head in range(heads):
                scores = (q[:, head, :] @ k[:, head // group, :].T) / np.sqrt(float(hd))
                scores = np.where(allowed, scores, -np.inf)
                scores -= scores.max(axis=1, keepdims=True)
                probs = np.exp(scores)
                probs /= probs.sum(axis=1, keepdims=True)
                attn[:, head, :] = probs @ v[:, head // group, :]
            x = x + attn.reshape(count, heads * hd) @ w("attn_output.weight").T
            h = self._rmsnorm(x, w("ffn_norm.weight"))
            if self.arch == "phi3":
                gate, up = np.split(h @ w("ffn_up.weight").T, 2, axis=1)
                x = x + (self._silu(gate) * up) @ w("ffn_down.weight").T
            else:
                x = x + self._moe(layer, h)
        return self._rmsnorm(x, self.weights["output_norm.weight"]) @ self.output.T
