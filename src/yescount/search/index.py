"""The vector index port: what hybrid search and reindexing need from Chroma or pgvector."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

from yescount.domain.events import Event
from yescount.domain.search import VectorFilter
from yescount.errors import IndexMismatchError
from yescount.search.embedder import Vectors

__all__ = [
    "IndexInfo",
    "IndexedEvent",
    "VectorFilter",
    "VectorHit",
    "VectorIndex",
    "check_model",
    "day_number",
]

# Unknown dates widen the range so "may happen in this window" filters keep them.
UNKNOWN_FIRST_DAY = 0
UNKNOWN_LAST_DAY = 99_991_231
UNKNOWN_PRICE = -1.0


def day_number(day: date) -> int:
    """A date as an orderable integer (20261115): Chroma filters compare numbers only."""
    return day.year * 10_000 + day.month * 100 + day.day


@dataclass(frozen=True, slots=True)
class IndexedEvent:
    """One vector with the fields the index filters on."""

    event_id: int
    vector: Vectors
    content_hash: str
    first_day: int = UNKNOWN_FIRST_DAY
    last_day: int = UNKNOWN_LAST_DAY
    price_min: float = UNKNOWN_PRICE

    @classmethod
    def for_event(cls, event: Event, vector: Vectors) -> IndexedEvent:
        """Vector plus the event's dates and price in the index's encoding."""
        last = event.last_day()
        return cls(
            event_id=event.id,
            vector=vector,
            content_hash=event.content_hash,
            first_day=day_number(event.date_start) if event.date_start else UNKNOWN_FIRST_DAY,
            last_day=day_number(last) if last else UNKNOWN_LAST_DAY,
            price_min=float(event.price_min) if event.price_min is not None else UNKNOWN_PRICE,
        )


@dataclass(frozen=True, slots=True)
class VectorHit:
    event_id: int
    similarity: float


@dataclass(frozen=True, slots=True)
class IndexInfo:
    backend: str
    model: str | None
    dimension: int | None
    count: int


@runtime_checkable
class VectorIndex(Protocol):
    """Nearest-neighbour search over event vectors, with the model that made them.

    Every method raises ``SearchError`` when the index is unavailable and
    ``IndexMismatchError`` when it was built by another model or dimension.
    """

    @property
    def backend(self) -> str: ...

    @property
    def model_name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def upsert(self, items: Sequence[IndexedEvent]) -> None:
        """Insert or replace vectors (one batch write)."""
        ...

    def delete(self, event_ids: Sequence[int]) -> None:
        """Remove vectors; unknown ids are ignored."""
        ...

    def query(
        self, vector: Vectors, *, k: int, where: VectorFilter | None = None
    ) -> list[VectorHit]:
        """The ``k`` most similar events (cosine similarity, best first)."""
        ...

    def similarities(self, vector: Vectors, event_ids: Sequence[int]) -> dict[int, float]:
        """Exact cosine similarity of ``vector`` to each indexed id (missing ids absent)."""
        ...

    def content_hashes(self) -> dict[int, str]:
        """Every indexed id with the content hash its vector was made from."""
        ...

    def info(self) -> IndexInfo:
        """Backend, stored model/dimension (None when never built) and vector count."""
        ...

    def reset(self) -> None:
        """Drop every vector and record the current model/dimension."""
        ...

    def begin_bulk(self) -> None:
        """Prepare for a large load (e.g. drop the ANN index to build it once at the end)."""
        ...

    def finish_bulk(self) -> None:
        """Make the index query-ready after writes; idempotent and cheap when ready."""
        ...


def check_model(backend: str, stored: tuple[str, int] | None, expected: tuple[str, int]) -> None:
    """Raise ``IndexMismatchError`` when stored vectors come from another model/dimension."""
    if stored is None or stored == expected:
        return
    raise IndexMismatchError(
        f"The {backend} index was built with {stored[0]} ({stored[1]} dimensions) but the "
        f"embedder is {expected[0]} ({expected[1]} dimensions). Rebuild it: "
        f"`yescount reindex --backend {backend} --fresh`.",
        details={"backend": backend, "stored_model": stored[0], "expected_model": expected[0]},
    )
