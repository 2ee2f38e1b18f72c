"""all-MiniLM-L6-v2's six encoder layers for one query in ONNX Runtime (issue 12).

The NumPy encoder (``query_encoder.py``) stays the reference and the fallback. For a
query of 5-12 word pieces it is bound by reading 43 MB of float32 layer weights, more
than this machine's 32 MB L3: one layer ran 1.5 ms with its weights hot against
3.6 ms a layer when the six take turns (load ~5, 2 cores). Here the same layers run
as one ONNX Runtime graph on one thread, written with ``onnx.helper`` from the
model's own ``model.safetensors`` (no torch, so any process can build it) and cached
under ``cache_dir``; ``embed_query`` runs tokenizer, embeddings and LayerNorm in NumPy
as before, the graph the layers and the mean pooling.

Weights (``bits``): 8 (default) stores each product's weight as ``MatMulNBits`` int8
codes with one float scale per 32 inputs (10.6 MB for the six layers, fits L3) and
ONNX Runtime's int8 kernels (``accuracy_level`` 4: the activations quantized per block
of 32 too). Cosine to the float32 torch batch path (how the events are embedded):
0.9995-0.9997 for real queries, 0.998 for the empty one, where per-tensor int8
activations (``quantize_dynamic``'s ``DynamicQuantizeMatMul``) gave 0.986-0.995 and
4-bit weights 0.914 (measured, not kept). CPU per query on the loaded 2-core machine
(load 16, interleaved): NumPy 14.0-14.3 ms, this 5.6 ms p50. ``bits=32`` keeps float32
weights (``YESCOUNT_QUERY_ENCODER=onnx-float32``: cosine 1.0, 7.1 ms there).

The cache file is named by a key over the graph version, ``bits``, the model files'
sizes and modification times and ``config.json``'s content: a reinstalled or changed
model builds a new graph. (Hashing the 90 MB weights took 0.14-0.5 s a process, more
than the cold CLI search can spare.) Writes are atomic (temporary file, then rename);
a cache directory that cannot be written costs only the build (~0.3 s) per process.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from yescount.search.query_encoder import LAYERS, TokenEmbedder, load_token_embedder

Array = npt.NDArray[np.float32]

# Bump when the graph written by ``build_graph`` changes: old cache files are ignored.
GRAPH_VERSION = 1
BLOCK = 32
SUPPORTED_BITS = (8, 32)
_HEADS = 12
_WIDTH = 384
_MODEL_FILES = ("model.safetensors",)
_CONFIG = "config.json"


def default_cache_dir() -> Path:
    """``$YESCOUNT_MODEL_CACHE``, else ``$XDG_CACHE_HOME/yescount`` (``~/.cache/yescount``).

    Per user rather than under the working directory: ``yescount search`` runs from
    anywhere and should find its graph built once.
    """
    configured = os.environ.get("YESCOUNT_MODEL_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "yescount"


def cache_key(model_dir: Path, *, bits: int) -> str:
    """Names the graph of these model files and settings (see the module docstring)."""
    digest = hashlib.sha256(f"graph {GRAPH_VERSION} bits {bits} block {BLOCK}".encode())
    for name in _MODEL_FILES:
        stat = (model_dir / name).stat()
        digest.update(f"|{name} {stat.st_size} {stat.st_mtime_ns}".encode())
    digest.update((model_dir / _CONFIG).read_bytes())
    return digest.hexdigest()[:24]


def graph_path(model_dir: Path, cache_dir: Path, *, bits: int) -> Path:
    return cache_dir / f"minilm-query-{cache_key(model_dir, bits=bits)}.onnx"


def build_graph(weights: Mapping[str, npt.NDArray[Any]], *, bits: int) -> bytes:
    """The six layers and the mean pooling as a serialized ONNX model.

    Input ``x``: the embedding LayerNorm's output, ``(tokens, 384)`` float32; output
    ``pooled``: the mean of the last hidden states, ``(384,)`` (not normalised).
    """
    from onnx import TensorProto, helper

    if bits not in SUPPORTED_BITS:
        raise ValueError(f"bits must be one of {SUPPORTED_BITS}, not {bits}")
    builder = _GraphBuilder(weights, bits=bits)
    x = "x"
    for layer in range(LAYERS):
        x = builder.layer(x, layer)
    builder.node("ReduceMean", [x], "pooled", axes=[0], keepdims=0)
    graph = helper.make_graph(
        builder.nodes,
        "all-MiniLM-L6-v2-query",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["tokens", _WIDTH])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [_WIDTH])],
        builder.initializers,
    )
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="yescount")
    model.ir_version = 8
    blob: bytes = model.SerializeToString()
    return blob


class _GraphBuilder:
    """Nodes and initializers of the encoder graph, one BERT layer at a time."""

    def __init__(self, weights: Mapping[str, npt.NDArray[Any]], *, bits: int) -> None:
        self.weights, self.bits = weights, bits
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.heads = self.const(
            "shape_heads", np.array([-1, _HEADS, _WIDTH // _HEADS], dtype=np.int64)
        )
        self.flat = self.const("shape_flat", np.array([-1, _WIDTH], dtype=np.int64))
        self.scale = self.const(
            "score_scale", np.array(1 / math.sqrt(_WIDTH // _HEADS), dtype=np.float32)
        )

    def const(self, name: str, value: npt.ArrayLike) -> str:
        from onnx import numpy_helper

        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        from onnx import helper

        domain = "com.microsoft" if op in ("MatMulNBits", "Gelu") else ""
        self.nodes.append(helper.make_node(op, inputs, [output], domain=domain, **attrs))
        return output

    def weight(self, name: str) -> Array:
        return np.asarray(self.weights[name], dtype=np.float32)

    def dense(self, x: str, prefix: str, out: str) -> str:
        """``x @ W.T + b`` for torch's (out, in) weight ``W``."""
        w, b = self.weight(f"{prefix}.weight"), self.weight(f"{prefix}.bias")
        if self.bits == 32:
            transposed = self.const(f"{prefix}.wt", np.ascontiguousarray(w.T))
            product = self.node("MatMul", [x, transposed], out + "_")
            return self.node("Add", [product, self.const(f"{prefix}.bias", b)], out)
        codes, scales = quantize_blocks(w)
        inputs = [x, self.const(f"{prefix}.q", codes), self.const(f"{prefix}.s", scales), "", ""]
        n, k = w.shape
        return self.node(
            "MatMulNBits",
            [*inputs, self.const(f"{prefix}.bias", b)],
            out,
            K=k,
            N=n,
            bits=8,
            block_size=BLOCK,
            accuracy_level=4,
        )

    def layer_norm(self, x: str, prefix: str, out: str) -> str:
        scale = self.const(f"{prefix}.w", self.weight(f"{prefix}.weight"))
        shift = self.const(f"{prefix}.b", self.weight(f"{prefix}.bias"))
        return self.node("LayerNormalization", [x, scale, shift], out, axis=-1, epsilon=1e-12)

    def layer(self, x: str, layer: int) -> str:
        """One encoder layer: self-attention over all heads, then the feed-forward."""
        node, dense = self.node, self.dense
        p, t = f"encoder.layer.{layer}.", f"l{layer}."
        split = {
            part: node(
                "Reshape",
                [dense(x, f"{p}attention.self.{part}", t + part), self.heads],
                t + part + "h",
            )
            for part in ("query", "key", "value")
        }
        q = node("Transpose", [split["query"]], t + "q", perm=[1, 0, 2])
        k = node("Transpose", [split["key"]], t + "k", perm=[1, 2, 0])
        v = node("Transpose", [split["value"]], t + "v", perm=[1, 0, 2])
        scores = node("Mul", [node("MatMul", [q, k], t + "qk"), self.scale], t + "scores")
        probs = node("Softmax", [scores], t + "probs", axis=-1)
        context = node(
            "Transpose", [node("MatMul", [probs, v], t + "ctx_h")], t + "ctx_t", perm=[1, 0, 2]
        )
        context = node("Reshape", [context, self.flat], t + "ctx")
        attended = node(
            "Add", [dense(context, f"{p}attention.output.dense", t + "ao"), x], t + "res1"
        )
        x = self.layer_norm(attended, f"{p}attention.output.LayerNorm", t + "h1")
        hidden = node("Gelu", [dense(x, f"{p}intermediate.dense", t + "inter")], t + "gelu")
        out = node("Add", [dense(hidden, f"{p}output.dense", t + "out"), x], t + "res2")
        return self.layer_norm(out, f"{p}output.LayerNorm", t + "h2")


def quantize_blocks(weight: Array) -> tuple[npt.NDArray[np.uint8], Array]:
    """Symmetric int8 codes per block of ``BLOCK`` inputs, as ``MatMulNBits`` reads them.

    ``weight`` is torch's (out, in); codes are (out, in / BLOCK, BLOCK) uint8 with the
    default zero point 128, scales (out * in / BLOCK,) float32, so that
    ``(code - 128) * scale`` is the weight to within half a step.
    """
    rows, cols = weight.shape
    if cols % BLOCK:
        raise ValueError(f"input width {cols} is not a multiple of {BLOCK}")
    blocks = weight.reshape(rows, cols // BLOCK, BLOCK)
    scales = np.abs(blocks).max(axis=2) / np.float32(127)
    scales[scales == 0] = 1.0
    codes = np.clip(np.rint(blocks / scales[..., None]), -127, 127) + 128
    return codes.astype(np.uint8), scales.astype(np.float32).reshape(-1)


def dequantize_blocks(codes: npt.NDArray[np.uint8], scales: Array) -> Array:
    """The float weight (out, in) that ``quantize_blocks``' codes stand for."""
    rows, count, width = codes.shape
    values = (codes.astype(np.float32) - 128) * scales.reshape(rows, count, 1)
    out: Array = values.reshape(rows, count * width)
    return out


def ensure_graph(model_dir: Path, cache_dir: Path | None, *, bits: int) -> Path | bytes:
    """The cached graph's path, building it first when missing; bytes if uncacheable."""
    path = graph_path(model_dir, cache_dir, bits=bits) if cache_dir is not None else None
    if path is not None and path.is_file():
        return path
    from safetensors.numpy import load_file

    blob = build_graph(load_file(str(model_dir / "model.safetensors")), bits=bits)
    if path is None:
        return blob
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(blob)
            os.replace(tmp, path)  # atomic: a concurrent reader sees the old or the new file
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return blob  # read-only cache: build per process
    return path


_CPU = ["CPUExecutionProvider"]


def _source(graph: Path | bytes) -> str | bytes:
    return str(graph) if isinstance(graph, Path) else graph


class OnnxQueryEncoder:
    """Tokenize one text in NumPy, run the layers in ONNX Runtime; ``encode`` -> unit vector."""

    def __init__(
        self, model_dir: str, *, max_length: int, cache_dir: Path | None, bits: int = 8
    ) -> None:
        import onnxruntime as ort

        root = Path(model_dir)
        self.bits = bits
        self._tokens: TokenEmbedder = load_token_embedder(root, max_length=max_length)
        options = ort.SessionOptions()
        # One query's products have a few rows: a second thread gains nothing and
        # competes with the SQL thread on 2 cores; no spinning between queries.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        graph = ensure_graph(root, cache_dir, bits=bits)
        try:
            session = ort.InferenceSession(_source(graph), options, providers=_CPU)
        except Exception:
            if not isinstance(graph, Path):
                raise
            graph.unlink(missing_ok=True)  # a truncated or foreign file: build it again
            graph = ensure_graph(root, cache_dir, bits=bits)
            session = ort.InferenceSession(_source(graph), options, providers=_CPU)
        self.graph = graph if isinstance(graph, Path) else None
        self._session = session

    def token_ids(self, text: str) -> list[int]:
        return self._tokens.token_ids(text)

    def encode(self, text: str) -> Array:
        """The L2-normalised mean of the last hidden states (shape ``(384,)``)."""
        x = self._tokens.embed(self.token_ids(text))
        pooled = np.asarray(self._session.run(None, {"x": x})[0], dtype=np.float32)
        norm = float(np.linalg.norm(pooled))
        out: Array = (pooled / (norm or 1.0)).astype(np.float32)
        return out
