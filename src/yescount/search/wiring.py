"""Builds the search collaborators from settings (used by ``bootstrap.Container``).

Nothing heavy happens here: the model loads on the first embedding, Chroma
opens on the first index call, so building a container stays instant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from yescount.config import Settings, VectorBackend
from yescount.errors import ConfigError
from yescount.ports import Clock
from yescount.search.embedder import Embedder, LocalEmbedder

if TYPE_CHECKING:  # each adapter is imported when chosen: a cold CLI search pays for one
    from sqlalchemy import Engine

    from yescount.llm.cache import TextCache
    from yescount.llm.copy import Copywriter
    from yescount.search.index import VectorIndex


def _openai_key(settings: Settings) -> str | None:
    key = settings.openai_api_key
    return key.get_secret_value() if key is not None and key.get_secret_value() else None


def make_embedder(settings: Settings) -> Embedder:
    """Local MiniLM unless EMBEDDING_BACKEND=openai (which needs OPENAI_API_KEY)."""
    if settings.embedding_backend == "openai":
        key = _openai_key(settings)
        if key is None:
            raise ConfigError(
                "EMBEDDING_BACKEND=openai needs OPENAI_API_KEY (or use EMBEDDING_BACKEND=local).",
                code="config_invalid",
            )
        from yescount.llm.openai_http import OpenAIHttp
        from yescount.search.openai_embedder import OpenAIEmbedder

        return OpenAIEmbedder(OpenAIHttp(key))
    return LocalEmbedder()


def make_vector_index(
    backend: VectorBackend,
    settings: Settings,
    embedder: Embedder,
    engine: Callable[[], Engine],
    clock: Clock,
) -> VectorIndex:
    """A Chroma index under CHROMA_PERSIST_DIR or pgvector in the application database."""
    if backend is VectorBackend.AUTO:
        backend = settings.effective_vector_backend
    if backend is VectorBackend.PGVECTOR:
        from yescount.search.pgvector_index import PgVectorIndex

        return PgVectorIndex(
            engine(), model_name=embedder.model_name, dimension=embedder.dimension, clock=clock
        )
    from yescount.search.chroma_index import ChromaIndex

    return ChromaIndex(
        settings.chroma_persist_dir, model_name=embedder.model_name, dimension=embedder.dimension
    )


def make_copywriter(settings: Settings, cache: Callable[[], TextCache]) -> Copywriter:
    """OpenAI copy (kept in ``cache``, built only then) with a key, else the extractive copy."""
    from yescount.llm.copy import ExtractiveCopywriter, OpenAICopywriter
    from yescount.llm.openai_http import OpenAIHttp

    key = _openai_key(settings)
    if key is None:
        return ExtractiveCopywriter()
    return OpenAICopywriter(OpenAIHttp(key), cache())
