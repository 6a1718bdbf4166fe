"""Independent float64 reference forward pass for Gemma 3 GGUF files
(models/gemma-3-270m-q4_k_m.gguf, `scripts/fetch-model gemma3`).

What it computes, exactly
-------------------------
Weights: as forward.py (every tensor dequantized by ``gguf.quants.dequantize``
to float32, widened to float64, a GGUF [in, out] matrix as the (out, in) array).
llama.cpp's converter stores Gemma's RMSNorm weights with the 1 of
``x * (1 + w)`` already added, so every norm here is ``rmsnorm(v, w) =
v / sqrt(mean(v**2) + eps) * w`` with the stored w.

Hyperparameters from the metadata (``gemma3.*``): 18 blocks, hidden 640,
4 query heads and 1 KV head of ``attention.key_length`` 256, FFN 2048,
eps = the stored float32 ``attention.layer_norm_rms_epsilon`` (1e-6),
global rotary base ``rope.freq_base`` (1e6), window
``attention.sliding_window`` (512). Not in the file (the values llama.cpp and
transformers use for this model): layers l with (l + 1) % 6 != 0 are
sliding-window layers with rotary base 10000, the others global; queries are
scaled by 1 / sqrt(256) (query_pre_attn_scalar = head size); no logit
soft-capping.

Forward over token ids at positions p (after any cached prefix):
  x = token_embd[t] * sqrt(640)
  for each block l:
    h = rmsnorm(x, attn_norm)
    q = attn_q @ h (4 x 256), k = attn_k @ h (1 x 256), v = attn_v @ h
    q = rmsnorm(q per head, attn_q_norm), k = rmsnorm(k per head, attn_k_norm)
    rope on q and k, HALVES pairing (i, i + 128), theta_i = base ** (-2 i / 256)
    attention: key j visible to query p when j <= p, and on sliding-window
      layers also p - j < 512; scores q.k / sqrt(256), softmax, weights @ v
    x = x + rmsnorm(attn_output @ heads, post_attention_norm)
    h = rmsnorm(x, ffn_norm)
    x = x + rmsnorm(ffn_down @ (gelu_tanh(ffn_gate @ h) * (ffn_up @ h)), post_ffw_norm)
      gelu_tanh(z) = 0.5 z (1 + tanh(sqrt(2 / pi) (z + 0.044715 z**3)))
  logits = token_embd @ rmsnorm(x, output_norm)     (tied embeddings)
Everything in float64.

Usage:
  model = Gemma3ReferenceModel("models/gemma-3-270m-q4_k_m.gguf")
  logits = model.forward([2, 818, 5279])            # (3, 262144) float64
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import gguf  # noqa: E402

SLIDING_WINDOW_PATTERN = 6
LOCAL_ROPE_BASE = 10000.0


class Gemma3ReferenceModel:
    """Float64 Gemma 3 forward pass over dequantized GGUF weights."""

    def __init__(self, path):
        self.path = path
        reader = gguf.GGUFReader(path)

        def meta(key):
            field = reader.fields.get(key)
            return None if field is None else field.contents()

        if meta("general.architecture") != "gemma3":
            raise ValueError("expected a gemma3 architecture GGUF")
        self.num_layers = int(meta("gemma3.block_count"))
        self.hidden = int(meta("gemma3.embedding_length"))
        self.num_heads = int(meta("gemma3.attention.head_count"))
        self.num_kv_heads = int(meta("gemma3.attention.head_count_kv"))
        self.head_dim = int(meta("gemma3.attention.key_length"))
        self.eps = float(np.float32(meta("gemma3.attention.layer_norm_rms_epsilon")))
        self.rope_base = float(np.float32(meta("gemma3.rope.freq_base")))
        self.window = int(meta("gemma3.attention.sliding_window"))
        self.weights = {}
        self.tensor_types = {}
        for tensor in reader.tensors:
            values = np.asarray(gguf.quants.dequantize(tensor.data, tensor.tensor_type), dtype=np.float32)
            values = values.reshape(tuple(int(n) for n in reversed(tensor.shape.tolist())))
            self.weights[tensor.name] = values.astype(np.float64)
            self.tensor_types[tensor.name] = tensor.tensor_type.name
        self.embedding = self.weights["token_embd.weight"]
        self.vocab_size = self.embedding.shape[0]
        half = self.head_dim // 2
        exponents = -2.0 * np.arange(half, dtype=np.float64) / self.head_dim
        self.inv_freq_global = self.rope_base ** exponents
        self.inv_freq_local = LOCAL_ROPE_BASE ** exponents

    def is_sliding(self, layer):
        return (layer + 1) % SLIDING_WINDOW_PATTERN != 0

    def new_cache(self):
        return {"length": 0, "keys": [None] * self.num_layers, "values": [None] * self.num_layers}

    def _rmsnorm(self, x, weight):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps) * weight

    @staticmethod
    def _rope(x, positions, inv_freq):
        """x: (T, heads, head_dim); rotates (i, i + head_dim / 2)."""
        angles = positions[:, None].astype(np.float64) * inv_freq[None, :]
        cos, sin = np.cos(angles)[:, None, :], np.sin(angles)[:, None, :]
        half = x.shape[-1] // 2
        a, b = x[..., :half], x[..., half:]
        return np.concatenate([a * cos - b * sin, a * sin + b * cos], axis=-1)

    def forward(self, token_ids, cache=None):
        """Float64 logits (len(token_ids), vocab); with a cache, positions continue after it."""
        ids = np.asarray(token_ids, dtype=np.int64)
        if ids.ndim != 1 or ids.size == 0 or ids.min() < 0 or ids.max() >= self.vocab_size:
            raise ValueError("token_ids must be a non-empty 1-D sequence of vocabulary ids")
        if cache is None:
            cache = self.new_cache()
        start, count = cache["length"], ids.size
        positions = np.arange(start, start + count)
        key_pos = np.arange(start + count)
        causal = key_pos[None, :] <= positions[:, None]
        windowed = causal & (positions[:, None] - key_pos[None, :] < self.window)
        heads, kv_heads, hd = self.num_heads, self.num_kv_heads, self.head_dim
        group = heads // kv_heads
        scale = 1.0 / np.sqrt(float(hd))
        x = self.embedding[ids] * np.sqrt(float(self.hidden))
        for layer in range(self.num_layers):
            w = lambda name: self.weights[f"blk.{layer}.{name}.weight"]  # noqa: E731
            sliding = self.is_sliding(layer)
            inv_freq = self.inv_freq_local if sliding else self.inv_freq_global
            h = self._rmsnorm(x, w("attn_norm"))
            q = self._rmsnorm((h @ w("attn_q").T).reshape(count, heads, hd), w("attn_q_norm"))
            k = self._rmsnorm((h @ w("attn_k").T).reshape(count, kv_heads, hd), w("attn_k_norm"))
            v = (h @ w("attn_v").T).reshape(count, kv_heads, hd)
            q = self._rope(q, positions, inv_freq)
            k = self._rope(k, positions, inv_freq)
            if cache["keys"][layer] is not None:
                k = np.concatenate([cache["keys"][layer], k], axis=0)
                v = np.concatenate([cache["values"][layer], v], axis=0)
            cache["keys"][layer], cache["values"][layer] = k, v
            allowed = windowed if sliding else causal
            attn = np.empty((count, heads, hd), dtype=np.float64)
            for head in range(heads):
                kv = head // group
                scores = np.where(allowed, (q[:, head, :] @ k[:, kv, :].T) * scale, -np.inf)
                scores = scores - scores.max(axis=1, keepdims=True)
                probs = np.exp(scores)
                attn[:, head, :] = (probs / probs.sum(axis=1, keepdims=True)) @ v[:, kv, :]
            x = x + self._rmsnorm(attn.reshape(count, heads * hd) @ w("attn_output").T, w("post_attention_norm"))
            h = self._rmsnorm(x, w("ffn_norm"))
            gate, up = h @ w("ffn_gate").T, h @ w("ffn_up").T
            gelu = 0.5 * gate * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (gate + 0.044715 * gate ** 3)))
            x = x + self._rmsnorm((gelu * up) @ w("ffn_down").T, w("post_ffw_norm"))
        cache["length"] = start + count
        return self._rmsnorm(x, self.weights["output_norm.weight"]) @ self.embedding.T
