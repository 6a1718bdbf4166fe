"""A float64 NumPy forward pass of a BERT encoder (Hugging Face `BertModel` layout, read straight
from model.safetensors) with sentence-transformers' mean pooling and L2 normalization: the
independent reference for Swiftlet's embeddings (make_reference_minilm.py)."""
import json
import math
import os
import struct

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path):
    with open(path, "rb") as handle:
        size = struct.unpack("<Q", handle.read(8))[0]
        header = json.loads(handle.read(size))
        body = handle.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(body[start:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = array.astype(np.float64) if array.dtype != np.int64 else array
    return tensors


def layer_norm(x, weight, bias, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def gelu_erf(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


class ReferenceBert:
    def __init__(self, directory):
        with open(os.path.join(directory, "config.json")) as handle:
            self.config = json.load(handle)
        self.w = read_safetensors(os.path.join(directory, "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in self.w else ""
        self.p = prefix

    def hidden_states(self, ids):
        c, w, p = self.config, self.w, self.p
        eps = c.get("layer_norm_eps", 1e-12)
        heads = c["num_attention_heads"]
        ids = np.asarray(ids)
        x = (w[p + "embeddings.word_embeddings.weight"][ids]
             + w[p + "embeddings.position_embeddings.weight"][np.arange(len(ids))]
             + w[p + "embeddings.token_type_embeddings.weight"][0])
        x = layer_norm(x, w[p + "embeddings.LayerNorm.weight"], w[p + "embeddings.LayerNorm.bias"], eps)
        tokens, hidden = x.shape
        head_dim = hidden // heads
        for index in range(c["num_hidden_layers"]):
            base = f"{p}encoder.layer.{index}."

            def linear(name, inp):
                return inp @ w[base + name + ".weight"].T + w[base + name + ".bias"]

            q = linear("attention.self.query", x).reshape(tokens, heads, head_dim).transpose(1, 0, 2)
            k = linear("attention.self.key", x).reshape(tokens, heads, head_dim).transpose(1, 0, 2)
            v = linear("attention.self.value", x).reshape(tokens, heads, head_dim).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(head_dim)
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(1, 0, 2).reshape(tokens, hidden)
            x = layer_norm(x + linear("attention.output.dense", context),
                           w[base + "attention.output.LayerNorm.weight"], w[base + "attention.output.LayerNorm.bias"], eps)
            inner = gelu_erf(linear("intermediate.dense", x))
            x = layer_norm(x + linear("output.dense", inner),
                           w[base + "output.LayerNorm.weight"], w[base + "output.LayerNorm.bias"], eps)
        return x

    def embed(self, ids, normalize=True):
        pooled = self.hidden_states(ids).mean(axis=0)
        if normalize:
            pooled = pooled / max(np.linalg.norm(pooled), 1e-12)
        return pooled
