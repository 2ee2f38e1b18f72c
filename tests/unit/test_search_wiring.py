"""Container wiring: which embedder, vector index and copywriter the settings select."""

from __future__ import annotations

from pathlib import Path

import pytest

from yescount.bootstrap import build
from yescount.config import Settings, VectorBackend
from yescount.errors import ConfigError
from yescount.llm.copy import ExtractiveCopywriter, OpenAICopywriter
from yescount.search.chroma_index import ChromaIndex
from yescount.search.embedder import LocalEmbedder
from yescount.search.openai_embedder import OpenAIEmbedder
from yescount.search.pgvector_index import PgVectorIndex

PG = "postgresql://postgres@127.0.0.1:5432/nowhere"


def settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(
        sqlite_db_path=tmp_path / "db.sqlite",
        chroma_persist_dir=tmp_path / "chroma",
        **overrides,  # type: ignore[arg-type]
    )


def test_sqlite_uses_the_local_model_chroma_and_extractive_copy(tmp_path: Path) -> None:
    container = build(settings(tmp_path, database_url=""))
    assert isinstance(container.embedder, LocalEmbedder)
    index = container.vector_index
    assert isinstance(index, ChromaIndex)
    assert index.persist_dir == tmp_path / "chroma"
    assert index.model_name == container.embedder.model_name
    assert isinstance(container.copywriter, ExtractiveCopywriter)
    assert "engine" not in container.__dict__  # nothing heavy was built


def test_postgres_defaults_to_pgvector_and_can_be_overridden(tmp_path: Path) -> None:
    assert isinstance(build(settings(tmp_path, database_url=PG)).vector_index, PgVectorIndex)
    chroma = build(settings(tmp_path, database_url=PG, vector_backend=VectorBackend.CHROMA))
    assert isinstance(chroma.vector_index, ChromaIndex)
    both = build(settings(tmp_path, database_url=PG))
    assert isinstance(both.vector_index_for(VectorBackend.CHROMA), ChromaIndex)


def test_openai_needs_a_key_and_then_serves_embeddings_and_copy(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        _ = build(settings(tmp_path, embedding_backend="openai")).embedder
    keyed = build(settings(tmp_path, embedding_backend="openai", openai_api_key="sk-test"))
    assert isinstance(keyed.embedder, OpenAIEmbedder)
    assert keyed.vector_index.model_name == "openai/text-embedding-3-small@384"
    assert isinstance(keyed.copywriter, OpenAICopywriter)
