"""The real local model: offline load, normalised vectors, query vectors = batch vectors."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from yescount.search.embedder import (
    LOCAL_DIMENSION,
    LOCAL_MAX_SEQ_LENGTH,
    LOCAL_MODEL_NAME,
    LocalEmbedder,
    local_model_path,
)
from yescount.search.query_encoder import query_encoder

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def embedder() -> LocalEmbedder:
    model = LocalEmbedder()
    model.warm_up()
    return model


def test_vectors_are_normalised_with_the_recorded_model_and_dimension(
    embedder: LocalEmbedder,
) -> None:
    vectors = embedder.embed(["Jazz night in Harlem", "Pottery class in Greenpoint"])
    assert vectors.shape == (2, LOCAL_DIMENSION)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.model_name == LOCAL_MODEL_NAME
    assert embedder.embed([]).shape == (0, LOCAL_DIMENSION)


def test_query_path_matches_the_batch_path(embedder: LocalEmbedder) -> None:
    texts = ["jazz", "free outdoor music in brooklyn", "a long query about weekend plans " * 30]
    batch = embedder.embed(texts)
    for text, row in zip(texts, batch, strict=True):
        assert float(embedder.embed_query(text) @ row) > 0.999


def test_query_path_is_the_float32_model(embedder: LocalEmbedder) -> None:
    exact = LocalEmbedder(bf16=False)
    texts = ["spooky ghost stories", "Séance à Brooklyn — café ☕", "", "jazz " * 200]
    path, length = local_model_path(), LOCAL_MAX_SEQ_LENGTH
    references = [query_encoder(path, max_length=length, kind=k) for k in ("numpy", "onnx-float32")]
    for text, row in zip(texts, exact.embed(texts), strict=True):
        # The default path has int8 weights (search/onnx_encoder.py): measured 0.9982
        # for the empty query, >= 0.9995 for real ones; the float32 encoders are exact.
        assert float(embedder.embed_query(text) @ row) > 0.997
        for reference in references:
            assert float(reference.encode(text) @ row) > 0.99999


def test_queries_keep_numpy_blas_on_one_thread(embedder: LocalEmbedder) -> None:
    embedder.embed_query("comedy night")
    blas = [
        lib["num_threads"]
        for lib in threadpool_info()
        if lib["user_api"] == "blas" and "numpy" in lib["filepath"]  # SciPy's has its own
    ]
    assert blas == [1]


def test_a_query_never_imports_torch() -> None:
    code = (
        "import sys; from yescount.search.embedder import LocalEmbedder;"
        "v = LocalEmbedder().embed_query('live jazz in brooklyn');"
        "print(v.shape[0], 'torch' in sys.modules, 'transformers' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["384", "False", "False"]


def test_meaning_beats_words(embedder: LocalEmbedder) -> None:
    query = embedder.embed_query("get some exercise")
    yoga, opera = embedder.embed(["Morning yoga class, all levels", "An evening at the opera"])
    assert float(query @ yoga) > float(query @ opera)


def test_bfloat16_and_float32_agree() -> None:
    texts = ["Candlelit string quartet", "Warehouse techno party"]
    fast = LocalEmbedder(bf16=True).embed(texts)
    exact = LocalEmbedder(bf16=False).embed(texts)
    assert np.all(np.sum(fast * exact, axis=1) > 0.999)
