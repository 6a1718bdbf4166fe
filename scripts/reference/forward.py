"""Independent float64 reference forward pass for the Llama-architecture GGUF
model models/SmolLM2-135M-Instruct.Q4_1.gguf (Swiftlet's default model).

What it computes, exactly
-------------------------
Weights.  Every tensor is read with ``gguf.GGUFReader`` and dequantized with
``gguf.quants.dequantize(tensor.data, tensor.tensor_type)`` (Q4_1, Q8_0 and F32
tensors alike) to float32, then cast to float64.  GGUF lists a tensor's shape
ne0-first, so a GGUF matrix of shape [in, out] is the row-major numpy array of
shape (out, in): row r holds the weights of output feature r, and a projection
is ``y = W @ x``.  Optional ``weight_rounding="bf16"`` rounds each dequantized
float32 weight (all tensors, norms included) to bfloat16 with
round-to-nearest-even on the float32 bit pattern before the float64 cast.
No other rounding happens anywhere: activations, the KV cache, attention
scores and logits are all float64 (no activation quantization as llama.cpp's
q8 dot products would do).

Hyperparameters come from the GGUF metadata: 30 blocks, hidden size 576,
9 query heads and 3 KV heads of head_dim 64, FFN size 1536, vocab 49152,
RMSNorm epsilon = the stored float32 value of
``llama.attention.layer_norm_rms_epsilon`` (1e-5 as float32 =
9.999999747378752e-06), rope base = ``llama.rope.freq_base`` (100000).
The file has no ``output.weight``; the output projection is tied to
``token_embd.weight`` (shape (49152, 576)).

Forward over token ids t_0..t_{T-1} (positions p = 0..T-1, plus any cached
prefix length):
  x = token_embd[t]                                    (no embedding scaling)
  for each block l:
    h = rmsnorm(x, attn_norm)        rmsnorm(v, w) = v / sqrt(mean(v**2) + eps) * w
    q = attn_q @ h (9x64), k = attn_k @ h (3x64), v = attn_v @ h (3x64)
    rope on q and k, per head, ADJACENT pairs (GGML "normal" mode, which is
      what llama.cpp's converter prepares by permuting attn_q/attn_k rows):
      for i in 0..31: theta_i = base ** (-2 i / 64), a = p * theta_i,
        (x[2i], x[2i+1]) <- (x[2i] cos a - x[2i+1] sin a,
                             x[2i] sin a + x[2i+1] cos a)
    query head h attends with KV head h // 3 (GQA), causal (key positions
      <= query position), scores = q.k / sqrt(64), softmax over keys,
      output = sum of softmax weights times v
    x = x + attn_output @ concat(heads)
    h = rmsnorm(x, ffn_norm)
    x = x + ffn_down @ (silu(ffn_gate @ h) * (ffn_up @ h)),  silu(z) = z / (1 + exp(-z))
  logits = token_embd @ rmsnorm(x, output_norm)        (float64, one row per position)

Incremental use (a KV cache holding float64 rotated keys and values) gives the
same numbers as a single full pass up to float64 summation-order noise
(~1e-13 in logits).

Usage:
  model = ReferenceModel("models/SmolLM2-135M-Instruct.Q4_1.gguf")
  logits = model.forward([1, 9690, 198])          # (3, 49152) float64
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import gguf  # noqa: E402


def round_to_bf16(weights_f32):
    """Round float32 values to bfloat16 (round-to-nearest-even on the bits),
    returned as float32 holding exactly representable bf16 values."""
    bits = np.ascontiguousarray(weights_f32, dtype=np.float32).view(np.uint32)
    bits = bits.astype(np.uint64)
    lsb = (bits >> 16) & 1
    rounded = ((bits + 0x7FFF + lsb) >> 16) << 16
    # NaN stays NaN (not expected in these weights); rounding cannot create NaN.
    return rounded.astype(np.uint32).view(np.float32)


class ReferenceModel:
    """Float64 Llama forward pass over dequantized GGUF weights."""

    def __init__(self, path, weight_rounding=None):
        if weight_rounding not in (None, "bf16"):
            raise ValueError("weight_rounding must be None or 'bf16'")
        self.path = path
        self.weight_rounding = weight_rounding
        reader = gguf.GGUFReader(path)
        self.metadata = {}
        for key in (
            "general.architecture", "llama.block_count", "llama.embedding_length",
            "llama.feed_forward_length", "llama.attention.head_count",
            "llama.attention.head_count_kv", "llama.rope.freq_base",
            "llama.attention.layer_norm_rms_epsilon", "llama.vocab_size",
            "llama.rope.dimension_count",
        ):
            field = reader.fields.get(key)
            self.metadata[key] = None if field is None else field.contents()
        if self.metadata["general.architecture"] != "llama":
            raise ValueError("expected a llama architecture GGUF")
        self.num_layers = int(self.metadata["llama.block_count"])
        self.hidden = int(self.metadata["llama.embedding_length"])
        self.num_heads = int(self.metadata["llama.attention.head_count"])
        self.num_kv_heads = int(self.metadata["llama.attention.head_count_kv"])
        self.head_dim = self.hidden // self.num_heads
        # The float32 stored value, widened exactly (not the decimal 1e-5).
        self.eps = float(np.float32(self.metadata["llama.attention.layer_norm_rms_epsilon"]))
        self.rope_base = float(np.float32(self.metadata["llama.rope.freq_base"]))
        rope_dims = self.metadata["llama.rope.dimension_count"]
        if rope_dims is not None and int(rope_dims) != self.head_dim:
            raise ValueError("partial rotary embedding is not supported")

        self.tensor_types = {}
        self.weights = {}
        for tensor in reader.tensors:
            values = gguf.quants.dequantize(tensor.data, tensor.tensor_type)
            values = np.asarray(values, dtype=np.float32)
            expected = tuple(int(n) for n in reversed(tensor.shape.tolist()))
            values = values.reshape(expected)
            if weight_rounding == "bf16":
                values = round_to_bf16(values)
            self.weights[tensor.name] = values.astype(np.float64)
            self.tensor_types[tensor.name] = tensor.tensor_type.name
        self.embedding = self.weights["token_embd.weight"]
        self.output = self.weights.get("output.weight", self.embedding)
        self.tied_embeddings = "output.weight" not in self.weights
        self.vocab_size = self.embedding.shape[0]
        half = self.head_dim // 2
        self.inv_freq = self.rope_base ** (-2.0 * np.arange(half, dtype=np.float64) / self.head_dim)

    def new_cache(self):
        """An empty KV cache: per layer lists of (keys, values) float64 arrays."""
        return {"length": 0, "keys": [None] * self.num_layers, "values": [None] * self.num_layers}

    def _rmsnorm(self, x, weight):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps) * weight

    def _rope(self, x, positions):
        """x: (T, heads, head_dim); rotates adjacent pairs (2i, 2i+1)."""
        angles = positions[:, None].astype(np.float64) * self.inv_freq[None, :]  # (T, half)
        cos = np.cos(angles)[:, None, :]
        sin = np.sin(angles)[:, None, :]
        even = x[..., 0::2]
        odd = x[..., 1::2]
        out = np.empty_like(x)
        out[..., 0::2] = even * cos - odd * sin
        out[..., 1::2] = even * sin + odd * cos
        return out

    def forward(self, token_ids, cache=None):
        """Float64 logits, shape (len(token_ids), vocab), for each new token.
        With a cache, positions continue after the cached prefix and the cache
        is extended in place."""
        return self.final_hidden(token_ids, cache) @ self.output.T

    def final_hidden(self, token_ids, cache=None):
        """Float64 final hidden states after the output norm, shape
        (len(token_ids), hidden): what a pooling runner pools (forward's input
        to the LM head)."""
        ids = np.asarray(token_ids, dtype=np.int64)
        if ids.ndim != 1 or ids.size == 0:
            raise ValueError("token_ids must be a non-empty 1-D sequence")
        if ids.min() < 0 or ids.max() >= self.vocab_size:
            raise ValueError("token id out of range")
        if cache is None:
            cache = self.new_cache()
        start = cache["length"]
        count = ids.size
        positions = np.arange(start, start + count)
        total = start + count
        heads, kv_heads, hd = self.num_heads, self.num_kv_heads, self.head_dim
        group = heads // kv_heads
        scale = 1.0 / np.sqrt(float(hd))
        # causal mask over (query, key) for the new queries against all keys
        key_pos = np.arange(total)
        allowed = key_pos[None, :] <= positions[:, None]  # (count, total)

        x = self.embedding[ids]  # (count, hidden)
        for layer in range(self.num_layers):
            w = lambda name: self.weights[f"blk.{layer}.{name}.weight"]  # noqa: E731
            h = self._rmsnorm(x, w("attn_norm"))
            q = (h @ w("attn_q").T).reshape(count, heads, hd)
            k = (h @ w("attn_k").T).reshape(count, kv_heads, hd)
            v = (h @ w("attn_v").T).reshape(count, kv_heads, hd)
            q = self._rope(q, positions)
            k = self._rope(k, positions)
            if cache["keys"][layer] is None:
                keys, values = k, v
            else:
                keys = np.concatenate([cache["keys"][layer], k], axis=0)
                values = np.concatenate([cache["values"][layer], v], axis=0)
            cache["keys"][layer] = keys
            cache["values"][layer] = values
            attn = np.empty((count, heads, hd), dtype=np.float64)
            for head in range(heads):
                kv = head // group
                scores = (q[:, head, :] @ keys[:, kv, :].T) * scale  # (count, total)
                scores = np.where(allowed, scores, -np.inf)
                scores = scores - scores.max(axis=1, keepdims=True)
                probs = np.exp(scores)
                probs = probs / probs.sum(axis=1, keepdims=True)
                attn[:, head, :] = probs @ values[:, kv, :]
            x = x + attn.reshape(count, heads * hd) @ w("attn_output").T
            h = self._rmsnorm(x, w("ffn_norm"))
            gate = h @ w("ffn_gate").T
            up = h @ w("ffn_up").T
            x = x + (gate / (1.0 + np.exp(-gate)) * up) @ w("ffn_down").T
        cache["length"] = total
        return self._rmsnorm(x, self.weights["output_norm.weight"])


def log_softmax(logits):
    """Row-wise float64 log-softmax; also returns the log-sum-exp per row."""
    peak = logits.max(axis=-1, keepdims=True)
    lse = peak + np.log(np.exp(logits - peak).sum(axis=-1, keepdims=True))
    return logits - lse, lse[..., 0]
