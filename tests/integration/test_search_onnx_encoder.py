"""The ONNX Runtime query encoder on the real model: vectors, graph cache and fallback."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from yescount.search import onnx_encoder, query_encoder
from yescount.search.embedder import LOCAL_MAX_SEQ_LENGTH, LocalEmbedder, local_model_path
from yescount.search.onnx_encoder import OnnxQueryEncoder, graph_path
from yescount.search.query_encoder import QueryEncoder

pytestmark = pytest.mark.model

TEXTS = [
    "spooky ghost stories",
    "Séance à Brooklyn — café ☕",
    "cheap immersive art",
    "something chill near Union Square",
    "birthday thing for 8 under $40",
    "rainy Sunday",
    "",
    "jazz " * 200,
]
MODEL = Path(local_model_path())


@pytest.fixture(scope="module")
def documents() -> np.ndarray:
    """The float32 torch batch path: how the events' vectors are made."""
    return LocalEmbedder(bf16=False).embed(TEXTS)


@pytest.fixture(autouse=True)
def fresh_encoders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query_encoder, "_ENCODERS", {})


def _encoder(cache: Path, *, bits: int = 8, model: Path = MODEL) -> OnnxQueryEncoder:
    return OnnxQueryEncoder(str(model), max_length=LOCAL_MAX_SEQ_LENGTH, cache_dir=cache, bits=bits)


def test_float32_graph_is_the_model(tmp_path: Path, documents: np.ndarray) -> None:
    encoder = _encoder(tmp_path, bits=32)
    for text, row in zip(TEXTS, documents, strict=True):
        assert float(encoder.encode(text) @ row) > 0.99999


def test_int8_graph_keeps_the_direction(tmp_path: Path, documents: np.ndarray) -> None:
    # Measured: 0.9995-0.9997 for real queries, 0.9982 for the empty one ([CLS] [SEP]).
    encoder = _encoder(tmp_path)
    cosines = [float(encoder.encode(t) @ row) for t, row in zip(TEXTS, documents, strict=True)]
    assert min(cosines) > 0.997
    assert float(np.mean(cosines)) > 0.999
    vector = encoder.encode("live jazz in brooklyn")
    assert vector.shape == (384,)
    assert vector.dtype == np.float32
    assert abs(float(np.linalg.norm(vector)) - 1) < 1e-5


def test_int8_ranks_documents_as_the_model_does(tmp_path: Path) -> None:
    exact = LocalEmbedder(bf16=False)
    docs = exact.embed(
        [
            "Stand-up comedy night in a Brooklyn laundromat",
            "Candlelit string quartet at a church",
            "Haunted ghost walk through the Village",
            "Free outdoor yoga in the park",
            "Jazz trio at a Harlem supper club",
            "Sunset boat cruise around Manhattan",
        ]
    )
    fast = _encoder(tmp_path)
    reference = query_encoder.query_encoder(
        str(MODEL), max_length=LOCAL_MAX_SEQ_LENGTH, kind="numpy"
    )
    for query in ["comedy", "classical music concert", "spooky ghost stories", "boat ride"]:
        got, expected = docs @ fast.encode(query), docs @ reference.encode(query)
        assert int(np.argmax(got)) == int(np.argmax(expected))  # the event the query means
        assert float(np.max(np.abs(got - expected))) < 0.01  # near ties may swap, no more


def test_the_graph_is_built_once_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _encoder(tmp_path)
    assert first.graph is not None
    assert first.graph == graph_path(MODEL, tmp_path, bits=8)
    assert first.graph.stat().st_size < 16_000_000  # int8: a quarter of the float32 weights

    def no_build(*_: object, **__: object) -> bytes:
        raise AssertionError("rebuilt a cached graph")

    monkeypatch.setattr(onnx_encoder, "build_graph", no_build)
    again = _encoder(tmp_path)
    assert again.graph == first.graph
    assert np.array_equal(again.encode("comedy"), first.encode("comedy"))
    assert [p.name for p in tmp_path.iterdir()] == [first.graph.name]  # no temporary left


def _model_copy(root: Path) -> Path:
    copy = root / "model"
    copy.mkdir()
    for item in MODEL.iterdir():
        if item.is_file():
            shutil.copy2(item, copy / item.name)
    return copy


def test_changed_model_files_build_a_new_graph(tmp_path: Path) -> None:
    model = _model_copy(tmp_path)
    cache = tmp_path / "cache"
    before = _encoder(cache, model=model)
    vector = before.encode("comedy")
    # Other weights (here: the last LayerNorm's shift moved) must not reuse the graph.
    from safetensors.numpy import load_file, save_file

    weights = load_file(str(model / "model.safetensors"))
    shift = "encoder.layer.5.output.LayerNorm.bias"
    weights[shift] = weights[shift] + np.random.default_rng(5).standard_normal(384).astype(
        weights[shift].dtype
    )
    save_file(weights, str(model / "model.safetensors"), metadata={"format": "pt"})
    after = _encoder(cache, model=model)
    assert after.graph != before.graph
    assert float(after.encode("comedy") @ vector) < 0.9999  # the new weights answer
    # So does a changed config.json, even with the same weights.
    config = model / "config.json"
    config.write_text(config.read_text().replace("}", ', "note": "edited"}', 1))
    assert graph_path(model, cache, bits=8) != after.graph
    assert graph_path(model, cache, bits=32) != graph_path(model, cache, bits=8)


def test_a_broken_cache_file_is_rebuilt(tmp_path: Path, documents: np.ndarray) -> None:
    path = graph_path(MODEL, tmp_path, bits=8)
    path.write_bytes(b"not an onnx model")
    encoder = _encoder(tmp_path)
    assert encoder.graph == path
    assert path.stat().st_size > 1_000_000
    assert float(encoder.encode(TEXTS[0]) @ documents[0]) > 0.997


def test_an_unwritable_cache_builds_in_memory(tmp_path: Path, documents: np.ndarray) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    encoder = _encoder(blocker / "cache")  # cannot be a directory, even as root
    assert encoder.graph is None
    assert float(encoder.encode(TEXTS[0]) @ documents[0]) > 0.997


def test_the_default_is_onnx_and_numpy_can_be_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YESCOUNT_MODEL_CACHE", str(tmp_path))
    monkeypatch.delenv("YESCOUNT_QUERY_ENCODER", raising=False)
    path = str(MODEL)
    default = query_encoder.query_encoder(path, max_length=LOCAL_MAX_SEQ_LENGTH)
    assert isinstance(default, OnnxQueryEncoder)
    assert default.graph is not None
    assert default.graph.parent == tmp_path
    monkeypatch.setenv("YESCOUNT_QUERY_ENCODER", "numpy")
    chosen = query_encoder.query_encoder(path, max_length=LOCAL_MAX_SEQ_LENGTH)
    assert isinstance(chosen, QueryEncoder)
    with pytest.raises(ValueError, match="Unknown query encoder"):
        query_encoder.query_encoder(path, max_length=LOCAL_MAX_SEQ_LENGTH, kind="tensorrt")


def test_without_onnx_runtime_the_numpy_encoder_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, documents: np.ndarray
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if uninstalled
    encoder = query_encoder.query_encoder(
        str(MODEL), max_length=LOCAL_MAX_SEQ_LENGTH, cache_dir=tmp_path, kind="onnx"
    )
    assert isinstance(encoder, QueryEncoder)
    assert float(encoder.encode(TEXTS[0]) @ documents[0]) > 0.99999
    assert list(tmp_path.iterdir()) == []


def test_a_graph_that_cannot_be_built_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # the builder's package missing
    encoder = query_encoder.query_encoder(
        str(MODEL), max_length=LOCAL_MAX_SEQ_LENGTH, cache_dir=tmp_path, kind="onnx"
    )
    assert isinstance(encoder, QueryEncoder)
