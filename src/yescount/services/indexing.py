"""Use cases: rebuild the vector index (``yescount reindex``) and compare it with the events
table (``yescount index-parity``). The syncer, checker and comparer arrive bound from
``bootstrap`` (the algorithms live in ``search/sync.py`` and ``search/parity.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from yescount.domain.indexing import (
    DEFAULT_BATCH,
    DEFAULT_MIN_OVERLAP,
    ParityReport,
    SyncProgress,
    SyncReport,
)
from yescount.ports import VectorIndex

__all__ = [
    "DEFAULT_BATCH",
    "DEFAULT_MIN_OVERLAP",
    "IndexComparer",
    "IndexSyncer",
    "ParityChecker",
    "index_parity",
    "reindex",
]


class IndexSyncer(Protocol):
    """Embeds the events that belong in ``index`` and drops the ones that do not."""

    def __call__(
        self, index: VectorIndex, *, fresh: bool, batch_size: int, progress: SyncProgress | None
    ) -> SyncReport: ...


class ParityChecker(Protocol):
    """Compares ``index`` with the events that belong in it."""

    def __call__(self, index: VectorIndex) -> ParityReport: ...


class IndexComparer(Protocol):
    """The share (0..1) of top results two indexes agree on for a fixed query set."""

    def __call__(self, first: VectorIndex, second: VectorIndex) -> float: ...


def reindex(
    index: VectorIndex,
    *,
    sync: IndexSyncer,
    fresh: bool = False,
    batch_size: int = DEFAULT_BATCH,
    progress: SyncProgress | None = None,
) -> SyncReport:
    """Rebuild ``index`` (resumable); ``fresh`` drops every vector first."""
    return sync(index, fresh=fresh, batch_size=batch_size, progress=progress)


def index_parity(
    index: VectorIndex,
    *,
    check: ParityChecker,
    against: Callable[[], VectorIndex] | None = None,
    compare: IndexComparer | None = None,
    min_overlap: float = DEFAULT_MIN_OVERLAP,
) -> ParityReport:
    """Parity of ``index``; with ``against`` and ``compare``, also its top-20 agreement
    with that index."""
    report = check(index)
    if against is not None and compare is not None:
        overlap = compare(index, against())
        report = replace(report, overlap=overlap, min_overlap=min_overlap)
    return report
