"""Use cases: rebuild the vector index (``yescount reindex``) and compare it with the events
table (``yescount index-parity``). The database-bound parts arrive wired from ``bootstrap``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from yescount.ports import Embedder, VectorIndex
from yescount.search.parity import DEFAULT_MIN_OVERLAP, ParityReport, compare_backends
from yescount.search.sync import DEFAULT_BATCH, Progress, SyncReport

__all__ = [
    "DEFAULT_BATCH",
    "DEFAULT_MIN_OVERLAP",
    "IndexSyncer",
    "ParityChecker",
    "index_parity",
    "reindex",
]


class IndexSyncer(Protocol):
    """Embeds the events that belong in ``index`` and drops the ones that do not."""

    def __call__(
        self, index: VectorIndex, *, fresh: bool, batch_size: int, progress: Progress | None
    ) -> SyncReport: ...


class ParityChecker(Protocol):
    """Compares ``index`` with the events that belong in it."""

    def __call__(self, index: VectorIndex) -> ParityReport: ...


def reindex(
    index: VectorIndex,
    *,
    sync: IndexSyncer,
    fresh: bool = False,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> SyncReport:
    """Rebuild ``index`` (resumable); ``fresh`` drops every vector first."""
    return sync(index, fresh=fresh, batch_size=batch_size, progress=progress)


def index_parity(
    index: VectorIndex,
    *,
    check: ParityChecker,
    against: Callable[[], VectorIndex] | None = None,
    embedder: Callable[[], Embedder] | None = None,
    min_overlap: float = DEFAULT_MIN_OVERLAP,
) -> ParityReport:
    """Parity of ``index``; with ``against``, also its top-20 agreement with that index."""
    report = check(index)
    if against is not None and embedder is not None:
        overlap = compare_backends(index, against(), embedder())
        report = replace(report, overlap=overlap, min_overlap=min_overlap)
    return report
