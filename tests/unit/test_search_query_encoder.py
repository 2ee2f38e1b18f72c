"""The NumPy query encoder's building blocks against their plain definitions.

The whole encoder is checked against the torch model in
tests/integration/test_search_embedder.py; these pin the pieces the speed-ups touched
(column panels, in-place GELU and LayerNorm) on their own, without the model.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from yescount.search.query_encoder import _dense, _gelu, _layer_norm, _panels

RNG = np.random.default_rng(12)


@pytest.mark.parametrize("rows", [1, 3, 7, 128])
@pytest.mark.parametrize(("inputs", "outputs"), [(384, 1152), (384, 384), (1536, 384), (8, 100)])
def test_panel_products_equal_the_plain_product(rows: int, inputs: int, outputs: int) -> None:
    x = RNG.standard_normal((rows, inputs), dtype=np.float32)
    weight = RNG.standard_normal((inputs, outputs), dtype=np.float32)
    bias = RNG.standard_normal(outputs, dtype=np.float32)
    expected = x.astype(np.float64) @ weight.astype(np.float64) + bias
    got = _dense(x, _panels(weight), bias)
    assert got.shape == (rows, outputs)
    assert got.dtype == np.float32
    # float32 rounding of a sum of `inputs` products, whatever order BLAS adds them in
    assert np.allclose(got, expected, rtol=1e-5, atol=1e-5 * math.sqrt(inputs))


def test_panels_split_only_widths_the_panel_divides() -> None:
    assert _panels(np.zeros((384, 1536), dtype=np.float32)).shape == (24, 384, 64)
    assert _panels(np.zeros((8, 100), dtype=np.float32)).shape == (1, 8, 100)


def test_gelu_is_the_exact_erf_gelu() -> None:
    values = np.concatenate(
        [np.linspace(-12, 12, 4001), RNG.standard_normal(2000) * 3, [0.0, -0.0]]
    ).astype(np.float32)
    expected = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in values.tolist()])
    got = _gelu(values.reshape(-1, 1).copy()).ravel()
    assert got.dtype == np.float32
    assert np.max(np.abs(got - expected)) < 2e-6


def test_layer_norm_matches_its_definition() -> None:
    x = RNG.standard_normal((5, 384), dtype=np.float32) * 4 + 1
    weight = RNG.standard_normal(384, dtype=np.float32)
    bias = RNG.standard_normal(384, dtype=np.float32)
    wide = x.astype(np.float64)
    centred = wide - wide.mean(axis=-1, keepdims=True)
    expected = centred / np.sqrt((centred**2).mean(axis=-1, keepdims=True) + 1e-12)
    got = _layer_norm(x.copy(), weight, bias)
    assert got.dtype == np.float32
    assert np.allclose(got, expected * weight + bias, atol=1e-5)
