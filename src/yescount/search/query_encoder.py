"""all-MiniLM-L6-v2 for one search query, in NumPy: no torch import on the query path.

A query is one short text, so the BERT encoder (6 layers, 12 heads, 384 wide) is a
handful of small matrix products. Importing torch and transformers to run them costs
~3-5 s of CPU per process (a cold ``yescount search`` took ~9 s, issue 12); NumPy,
``tokenizers`` and ``safetensors`` load in a fraction of that and a query takes ~2 ms.

The weights and the tokenizer are the packaged model's own files
(``model.safetensors``, ``tokenizer.json``); the arithmetic is BertModel's in float32
followed by the sentence-transformers mean pooling (1_Pooling), so a query vector has
cosine > 0.9999 to the torch batch path that embedded the events
(tests/integration/test_search_embedder.py). Document batches keep using torch.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float32]

_LAYERS = 6
_HEADS = 12
_EPS = 1e-12
# Abramowitz & Stegun 7.1.26: erf to 1.5e-7, below float32 resolution; exact GELU
# ("hidden_act": "gelu") needs erf, which NumPy lacks (SciPy costs a second to import).
_ERF_P = 0.3275911
_ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def _erf(x: Array) -> Array:
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + _ERF_P * a)
    a1, a2, a3, a4, a5 = _ERF_A
    poly = ((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t
    out: Array = (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32)
    return out


def _gelu(x: Array) -> Array:
    out: Array = (0.5 * x * (1.0 + _erf(x / np.float32(math.sqrt(2.0))))).astype(np.float32)
    return out


def _layer_norm(x: Array, weight: Array, bias: Array) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: Array = ((x - mean) / np.sqrt(var + _EPS) * weight + bias).astype(np.float32)
    return out


class QueryEncoder:
    """Tokenize one text and run the encoder; ``encode`` returns a unit vector."""

    def __init__(self, model_dir: str, *, max_length: int) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        root = Path(model_dir)
        self._tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=max_length)
        self._tokenizer.no_padding()
        weights = load_file(str(root / "model.safetensors"))
        self._w: dict[str, Any] = {
            k: np.ascontiguousarray(v.T) if v.ndim == 2 and ".layer." in k else v
            for k, v in weights.items()
        }
        for layer in range(_LAYERS):  # one product for query, key and value
            p = f"encoder.layer.{layer}.attention.self."
            names = ("query", "key", "value")
            self._w[f"{p}qkv.weight"] = np.hstack([self._w.pop(f"{p}{n}.weight") for n in names])
            self._w[f"{p}qkv.bias"] = np.concatenate([self._w.pop(f"{p}{n}.bias") for n in names])

    def token_ids(self, text: str) -> list[int]:
        """Word pieces with [CLS] and [SEP], truncated as the batch path does."""
        return list(self._tokenizer.encode(text).ids)

    def encode(self, text: str) -> Array:
        """The L2-normalised mean of the last hidden states (shape ``(384,)``)."""
        ids = self.token_ids(text)
        return self._forward(ids)

    def _forward(self, ids: list[int]) -> Array:
        w = self._w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for layer in range(_LAYERS):
            x = self._layer(x, f"encoder.layer.{layer}.")
        pooled = x.mean(axis=0)
        norm = float(np.linalg.norm(pooled))
        out: Array = (pooled / (norm or 1.0)).astype(np.float32)
        return out

    def _layer(self, x: Array, p: str) -> Array:
        w = self._w
        n, width = x.shape
        size = width // _HEADS

        qkv = x @ w[f"{p}attention.self.qkv.weight"] + w[f"{p}attention.self.qkv.bias"]
        q, k, v = qkv.reshape(n, 3, _HEADS, size).transpose(1, 2, 0, 3)
        scores = q @ k.transpose(0, 2, 1) / np.float32(math.sqrt(size))
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(n, width)
        attended = context @ w[f"{p}attention.output.dense.weight"]
        x = _layer_norm(
            attended + w[f"{p}attention.output.dense.bias"] + x,
            w[f"{p}attention.output.LayerNorm.weight"],
            w[f"{p}attention.output.LayerNorm.bias"],
        )
        hidden = _gelu(x @ w[f"{p}intermediate.dense.weight"] + w[f"{p}intermediate.dense.bias"])
        return _layer_norm(
            hidden @ w[f"{p}output.dense.weight"] + w[f"{p}output.dense.bias"] + x,
            w[f"{p}output.LayerNorm.weight"],
            w[f"{p}output.LayerNorm.bias"],
        )


_BLAS_LIMIT: list[Any] = []


def _one_blas_thread() -> None:
    """NumPy's BLAS on one thread for this process, from the first query on.

    A query's products have a few rows: a second thread gains nothing, and on a busy
    2-core machine handing work to it cost ~8x (5 ms vs 0.6 ms for one layer's
    product). Switching the pool per query from a worker thread was worse still
    (~200 ms of CPU a query: OpenBLAS threads spinning), so the limit is set once
    and kept. Torch (document batches) has its own pool and is not affected.
    """
    from threadpoolctl import ThreadpoolController

    if not _BLAS_LIMIT:
        _BLAS_LIMIT.append(ThreadpoolController().limit(limits=1, user_api="blas"))


_LOCK = threading.Lock()
_ENCODERS: dict[tuple[str, int], QueryEncoder] = {}


def query_encoder(model_dir: str, *, max_length: int) -> QueryEncoder:
    """One encoder per model directory and process (the weights take ~90 MB)."""
    key = (model_dir, max_length)
    with _LOCK:
        encoder = _ENCODERS.get(key)
        if encoder is None:
            _one_blas_thread()
            encoder = _ENCODERS[key] = QueryEncoder(model_dir, max_length=max_length)
        return encoder
