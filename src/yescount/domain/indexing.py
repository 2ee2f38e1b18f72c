"""Vector index bookkeeping: what a sync did and whether an index matches the rows.

The algorithms (``search/sync.py``, ``search/parity.py``) produce these values;
``services/indexing.py`` hands them on; the edges print them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_BATCH = 256
DEFAULT_MIN_OVERLAP = 0.9

SyncProgress = Callable[[int, int], None]
"""Called after each written batch with (events embedded so far, events to embed)."""


@dataclass(frozen=True, slots=True)
class SyncReport:
    backend: str
    indexed: int
    embedded: int
    removed: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class ParityReport:
    backend: str
    expected_model: str
    stored_model: str | None
    rows: int
    indexed: int
    missing: tuple[int, ...] = ()
    extra: tuple[int, ...] = ()
    stale: tuple[int, ...] = ()
    overlap: float | None = None
    min_overlap: float = DEFAULT_MIN_OVERLAP
    problems: tuple[str, ...] = field(default=())

    @property
    def model_ok(self) -> bool:
        return self.stored_model is None or self.stored_model == self.expected_model

    @property
    def ok(self) -> bool:
        overlap_ok = self.overlap is None or self.overlap >= self.min_overlap
        return (
            self.model_ok
            and not (self.missing or self.extra or self.stale or self.problems)
            and overlap_ok
        )
