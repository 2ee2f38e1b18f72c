"""An in-memory vector index (exact cosine search) for service unit tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from yescount.search.embedder import Vectors
from yescount.search.index import IndexedEvent, IndexInfo, VectorFilter, VectorHit, day_number


class FakeVectorIndex:
    """The ``VectorIndex`` port over a dict; applies ``VectorFilter`` like the real ones.

    ``fail`` makes every query raise (the index is "down").
    """

    backend = "fake"

    def __init__(self, *, model_name: str = "test/hashing", dimension: int = 384) -> None:
        self.model_name = model_name
        self.dimension = dimension
        self.items: dict[int, IndexedEvent] = {}
        self.fail = False
        self.queries: list[VectorFilter | None] = []

    def upsert(self, items: Sequence[IndexedEvent]) -> None:
        self.items.update({i.event_id: i for i in items})

    def delete(self, event_ids: Sequence[int]) -> None:
        for event_id in event_ids:
            self.items.pop(event_id, None)

    def _similarity(self, vector: Vectors, item: IndexedEvent) -> float:
        return float(np.dot(np.asarray(vector).ravel(), np.asarray(item.vector).ravel()))

    def query(
        self, vector: Vectors, *, k: int, where: VectorFilter | None = None
    ) -> list[VectorHit]:
        if self.fail:
            raise RuntimeError("index down (test)")
        self.queries.append(where)
        hits = [
            VectorHit(i.event_id, self._similarity(vector, i))
            for i in self.items.values()
            if _fits(i, where)
        ]
        hits.sort(key=lambda h: (-h.similarity, h.event_id))
        return hits[:k]

    def similarities(self, vector: Vectors, event_ids: Sequence[int]) -> dict[int, float]:
        return {i: self._similarity(vector, self.items[i]) for i in event_ids if i in self.items}

    def content_hashes(self) -> dict[int, str]:
        return {i: item.content_hash for i, item in self.items.items()}

    def info(self) -> IndexInfo:
        return IndexInfo(self.backend, self.model_name, self.dimension, len(self.items))

    def reset(self) -> None:
        self.items.clear()

    def begin_bulk(self) -> None:
        return None

    def finish_bulk(self) -> None:
        return None


def _fits(item: IndexedEvent, where: VectorFilter | None) -> bool:
    if where is None:
        return True
    if where.window is not None:
        start, end = (day_number(d) for d in where.window)
        if item.first_day > end or item.last_day < start:
            return False
    return not (where.max_price is not None and item.price_min > where.max_price)
