"""The ONNX Runtime query graph against the NumPy reference layers, on made-up weights.

No model needed: random weights of the model's shapes go through ``build_graph`` and
through ``query_encoder._attend``; the two must agree (float32 exactly to rounding, the
int8 graph to within its quantization). The real model is compared with the torch
batch path in tests/integration/test_search_onnx_encoder.py.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
import pytest

from yescount.search.onnx_encoder import BLOCK, build_graph, dequantize_blocks, quantize_blocks
from yescount.search.query_encoder import LAYERS, _attend, _Layer

RNG = np.random.default_rng(81)
Weights = dict[str, npt.NDArray[np.float32]]


def _weights() -> Weights:
    """BERT-layer tensors named and shaped as in all-MiniLM-L6-v2's model.safetensors."""
    shapes = {
        "attention.self.query": (384, 384),
        "attention.self.key": (384, 384),
        "attention.self.value": (384, 384),
        "attention.output.dense": (384, 384),
        "intermediate.dense": (1536, 384),
        "output.dense": (384, 1536),
    }
    out: Weights = {}
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."
        for name, (rows, cols) in shapes.items():
            out[f"{p}{name}.weight"] = RNG.standard_normal((rows, cols), dtype=np.float32) / (
                math.sqrt(cols)
            )
            out[f"{p}{name}.bias"] = RNG.standard_normal(rows, dtype=np.float32) * 0.1
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            out[f"{p}{norm}.weight"] = 1 + RNG.standard_normal(384, dtype=np.float32) * 0.1
            out[f"{p}{norm}.bias"] = RNG.standard_normal(384, dtype=np.float32) * 0.1
    return out


WEIGHTS = _weights()


def _reference(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    for layer in range(LAYERS):
        x = _attend(x, _Layer.load(WEIGHTS, layer))
    pooled: npt.NDArray[np.float32] = x.mean(axis=0)
    return pooled


def _session(bits: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(build_graph(WEIGHTS, bits=bits), options)


@pytest.fixture(scope="module", params=[32, 8], ids=["float32", "int8"])
def graph(request: pytest.FixtureRequest) -> tuple[int, ort.InferenceSession]:
    return request.param, _session(request.param)


@pytest.mark.parametrize("tokens", [1, 2, 7, 40])
def test_graph_computes_the_reference_layers(
    graph: tuple[int, ort.InferenceSession], tokens: int
) -> None:
    bits, session = graph
    x = RNG.standard_normal((tokens, 384), dtype=np.float32)
    expected = _reference(x.copy())
    got = session.run(None, {"x": x})[0]
    assert got.shape == (384,)
    assert got.dtype == np.float32
    if bits == 32:  # the same arithmetic in another order: float32 rounding only
        assert np.allclose(got, expected, atol=2e-4, rtol=1e-4)
    else:  # int8 weights and activations per block of 32: close in direction and size
        cosine = float(got @ expected) / float(np.linalg.norm(got) * np.linalg.norm(expected))
        assert cosine > 0.999
        assert abs(np.linalg.norm(got) / np.linalg.norm(expected) - 1) < 0.02


def test_block_codes_stand_for_the_weight_within_half_a_step() -> None:
    weight = RNG.standard_normal((96, 4 * BLOCK), dtype=np.float32)
    weight[3, :BLOCK] = 0  # an all-zero block keeps a usable scale
    codes, scales = quantize_blocks(weight)
    assert codes.shape == (96, 4, BLOCK)
    assert codes.dtype == np.uint8
    assert scales.shape == (96 * 4,)
    step = np.repeat(scales.reshape(96, 4), BLOCK, axis=1)
    error = np.abs(dequantize_blocks(codes, scales) - weight)
    assert np.all(error <= step / 2 + 1e-7)
    assert np.all(dequantize_blocks(codes, scales)[3, :BLOCK] == 0)
    # each block's largest weight is exactly +-127 steps (full int8 range)
    assert set(np.abs(codes.astype(int) - 128).max(axis=2).ravel().tolist()) <= {0, 127}


def test_widths_the_block_does_not_divide_are_refused() -> None:
    with pytest.raises(ValueError, match="multiple"):
        quantize_blocks(np.zeros((4, BLOCK + 1), dtype=np.float32))
    with pytest.raises(ValueError, match="bits"):
        build_graph(WEIGHTS, bits=4)
