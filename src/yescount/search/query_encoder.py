"""all-MiniLM-L6-v2 for one search query, in NumPy: no torch import on the query path.

A query is one short text, so the BERT encoder (6 layers, 12 heads, 384 wide) is a
handful of small matrix products. Importing torch and transformers to run them costs
~3-5 s of CPU per process (a cold ``yescount search`` took ~9 s, issue 12); NumPy,
``tokenizers`` and ``safetensors`` load in a fraction of that. A query (~5 word
pieces) is bound by reading the 43 MB of layer weights: ~5.6 ms of CPU on the shared
2-core machine (12.4 ms before the column panels below; benchmarks/search_bench.py).

The weights and the tokenizer are the packaged model's own files
(``model.safetensors``, ``tokenizer.json``); the arithmetic is BertModel's in float32
followed by the sentence-transformers mean pooling (1_Pooling), so a query vector has
cosine > 0.9999 to the torch batch path that embedded the events
(tests/integration/test_search_embedder.py). Document batches keep using torch.

``query_encoder`` hands out the faster ONNX Runtime encoder (``onnx_encoder.py``: the
same layers with int8 weights) and falls back to this one when ONNX Runtime or the
``onnx`` package is missing or the graph cannot be built or loaded;
``YESCOUNT_QUERY_ENCODER=numpy`` asks for this one.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float32]

LAYERS = 6
_HEADS = 12
_EPS = 1e-12
# Output columns per weight panel. OpenBLAS packs the whole right-hand matrix of a
# product before multiplying: for a query's 3-12 rows against a 384x1536 weight that
# copy costs more than the arithmetic. Products with 64 columns take its small-matrix
# path, which reads the weights in place: the encoder's 24 products took 5.7 ms of
# CPU instead of 12 (7 rows, loaded machine), equal to the unsplit product within
# float32 rounding (summation order: relative difference <= 2e-6).
_PANEL = 64
# Abramowitz & Stegun 7.1.26: erf to 1.5e-7, below float32 resolution; exact GELU
# ("hidden_act": "gelu") needs erf, which NumPy lacks (SciPy costs a second to import).
_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(
    np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
)
_SQRT_HALF = np.float32(math.sqrt(0.5))


def _gelu(x: Array) -> Array:
    """Exact GELU, ``x * Phi(x)``, in place: ``0.5 * (x + |x| * erf(|x| / sqrt 2))``."""
    magnitude = np.abs(x)
    z = magnitude * _SQRT_HALF
    t = z * _ERF_P
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * _ERF_A[0]
    for coefficient in _ERF_A[1:]:  # Horner: erf(z) = 1 - poly(t) * exp(-z^2)
        poly += coefficient
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z
    poly *= magnitude
    x += magnitude
    x -= poly
    x *= 0.5
    return x


def _layer_norm(x: Array, weight: Array, bias: Array) -> Array:
    """LayerNorm over the last axis, in place (biased variance, as torch computes it)."""
    x -= x.mean(axis=-1, keepdims=True)
    scale = np.square(x).mean(axis=-1, keepdims=True)
    scale += _EPS
    np.sqrt(scale, out=scale)
    x /= scale
    x *= weight
    x += bias
    return x


def _panels(weight: Array) -> Array:
    """An (in, out) weight as contiguous (out / _PANEL, in, _PANEL) column panels."""
    rows, cols = weight.shape
    width = _PANEL if cols % _PANEL == 0 else cols
    return np.ascontiguousarray(weight.reshape(rows, cols // width, width).transpose(1, 0, 2))


def _dense(x: Array, panels: Array, bias: Array) -> Array:
    """``x @ weight + bias`` with the weight in column panels (see ``_PANEL``)."""
    count, width = panels.shape[0], panels.shape[2]
    out: Array = np.empty((x.shape[0], count * width), dtype=np.float32)
    np.matmul(x, panels, out=out.reshape(x.shape[0], count, width).transpose(1, 0, 2))
    out += bias
    return out


@dataclass(frozen=True, slots=True)
class _Layer:
    """One encoder layer's weights, ready for the products (panels) and the norms."""

    qkv: Array
    qkv_bias: Array
    attention_out: Array
    attention_out_bias: Array
    attention_norm: tuple[Array, Array]
    intermediate: Array
    intermediate_bias: Array
    output: Array
    output_bias: Array
    output_norm: tuple[Array, Array]

    @classmethod
    def load(cls, weights: dict[str, Array], layer: int) -> _Layer:
        p = f"encoder.layer.{layer}."

        def dense(name: str) -> tuple[Array, Array]:
            # torch stores (out, in); the query's rows multiply (in, out).
            return _panels(weights[f"{p}{name}.weight"].T), weights[f"{p}{name}.bias"]

        def norm(name: str) -> tuple[Array, Array]:
            return weights[f"{p}{name}.weight"], weights[f"{p}{name}.bias"]

        heads = [weights[f"{p}attention.self.{n}.weight"].T for n in ("query", "key", "value")]
        biases = [weights[f"{p}attention.self.{n}.bias"] for n in ("query", "key", "value")]
        return cls(
            _panels(np.hstack(heads)),  # one product for query, key and value
            np.concatenate(biases),
            *dense("attention.output.dense"),
            norm("attention.output.LayerNorm"),
            *dense("intermediate.dense"),
            *dense("output.dense"),
            norm("output.LayerNorm"),
        )


class Encoder(Protocol):
    """What the query path needs of an encoder (NumPy here, ONNX Runtime in onnx_encoder)."""

    def token_ids(self, text: str) -> list[int]: ...

    def encode(self, text: str) -> Array: ...


@dataclass(frozen=True, slots=True)
class TokenEmbedder:
    """The tokenizer and the embedding layer: word pieces to the first layer's input."""

    tokenizer: Any
    words: Array
    positions: Array
    token_type: Array
    norm: tuple[Array, Array]

    @classmethod
    def from_weights(cls, tokenizer: Any, weights: dict[str, Array]) -> TokenEmbedder:
        e = "embeddings."
        return cls(
            tokenizer,
            weights[f"{e}word_embeddings.weight"],
            weights[f"{e}position_embeddings.weight"],
            weights[f"{e}token_type_embeddings.weight"][0],
            (weights[f"{e}LayerNorm.weight"], weights[f"{e}LayerNorm.bias"]),
        )

    def token_ids(self, text: str) -> list[int]:
        """Word pieces with [CLS] and [SEP], truncated as the batch path does."""
        return list(self.tokenizer.encode(text).ids)

    def embed(self, ids: list[int]) -> Array:
        """Word + position + token type embeddings after their LayerNorm, ``(len(ids), 384)``."""
        x = self.words[ids] + self.positions[: len(ids)]
        x += self.token_type
        return _layer_norm(x, *self.norm)


def _tokenizer(root: Path, *, max_length: int) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.no_padding()
    return tokenizer


def load_token_embedder(root: Path, *, max_length: int) -> TokenEmbedder:
    """Only the embedding tensors of ``model.safetensors`` (the layers stay on disk)."""
    from safetensors import safe_open

    weights: dict[str, Array] = {}
    with safe_open(str(root / "model.safetensors"), framework="numpy") as tensors:
        for name in tensors.keys():  # noqa: SIM118 - safe_open is not a mapping
            if name.startswith("embeddings.") and not name.endswith("position_ids"):
                weights[name] = np.asarray(tensors.get_tensor(name), dtype=np.float32)
    return TokenEmbedder.from_weights(_tokenizer(root, max_length=max_length), weights)


class QueryEncoder:
    """Tokenize one text and run the encoder; ``encode`` returns a unit vector."""

    def __init__(self, model_dir: str, *, max_length: int) -> None:
        from safetensors.numpy import load_file

        root = Path(model_dir)
        weights: dict[str, Array] = {
            k: v.astype(np.float32, copy=False)
            for k, v in load_file(str(root / "model.safetensors")).items()
        }
        self._tokens = TokenEmbedder.from_weights(_tokenizer(root, max_length=max_length), weights)
        self._layers = tuple(_Layer.load(weights, layer) for layer in range(LAYERS))

    def token_ids(self, text: str) -> list[int]:
        """Word pieces with [CLS] and [SEP], truncated as the batch path does."""
        return self._tokens.token_ids(text)

    def encode(self, text: str) -> Array:
        """The L2-normalised mean of the last hidden states (shape ``(384,)``)."""
        ids = self.token_ids(text)
        return self._forward(ids)

    def _forward(self, ids: list[int]) -> Array:
        x = self._tokens.embed(ids)
        for layer in self._layers:
            x = _attend(x, layer)
        pooled = x.mean(axis=0)
        norm = float(np.linalg.norm(pooled))
        out: Array = (pooled / (norm or 1.0)).astype(np.float32)
        return out


def _attend(x: Array, w: _Layer) -> Array:
    """One BERT layer: self-attention over all heads at once, then the feed-forward."""
    n, width = x.shape
    size = width // _HEADS
    qkv = _dense(x, w.qkv, w.qkv_bias)
    q, k, v = qkv.reshape(n, 3, _HEADS, size).transpose(1, 2, 0, 3)
    scores = q @ k.transpose(0, 2, 1)
    scores *= np.float32(1.0 / math.sqrt(size))
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ v).transpose(1, 0, 2).reshape(n, width).astype(np.float32, copy=False)
    attended = _dense(context, w.attention_out, w.attention_out_bias)
    attended += x
    x = _layer_norm(attended, *w.attention_norm)
    hidden = _gelu(_dense(x, w.intermediate, w.intermediate_bias))
    out = _dense(hidden, w.output, w.output_bias)
    out += x
    return _layer_norm(out, *w.output_norm)


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
_ENCODERS: dict[tuple[str, int, str], Encoder] = {}


def query_encoder(
    model_dir: str, *, max_length: int, cache_dir: Path | None = None, kind: str | None = None
) -> Encoder:
    """One encoder per model directory and process.

    ``kind``: ``onnx`` (ONNX Runtime, int8 weights; the default), ``onnx-float32`` or
    ``numpy``; ``None`` reads ``YESCOUNT_QUERY_ENCODER``. ONNX Runtime falls back to
    NumPy, with a warning in the log, when it cannot be loaded. ``cache_dir`` (default
    ``onnx_encoder.default_cache_dir()``) keeps the built graph.
    """
    chosen = (kind or os.environ.get("YESCOUNT_QUERY_ENCODER") or "onnx").strip().lower()
    key = (model_dir, max_length, chosen)
    with _LOCK:
        encoder = _ENCODERS.get(key)
        if encoder is None:
            encoder = _ENCODERS[key] = _load(model_dir, max_length, cache_dir, chosen)
        return encoder


def _load(model_dir: str, max_length: int, cache_dir: Path | None, kind: str) -> Encoder:
    _one_blas_thread()  # the rest of the query path (exact scan, fusion) uses NumPy's BLAS
    if kind in ("onnx", "onnx-float32"):
        try:
            from yescount.search.onnx_encoder import OnnxQueryEncoder, default_cache_dir

            return OnnxQueryEncoder(
                model_dir,
                max_length=max_length,
                cache_dir=cache_dir if cache_dir is not None else default_cache_dir(),
                bits=32 if kind == "onnx-float32" else 8,
            )
        except Exception as exc:  # any failure: the NumPy reference answers instead
            from yescount.observability import get_logger

            get_logger().warning("query_encoder_fallback", encoder=kind, error=str(exc)[:300])
    elif kind != "numpy":
        raise ValueError(f"Unknown query encoder {kind!r}: onnx, onnx-float32 or numpy")
    return QueryEncoder(model_dir, max_length=max_length)
