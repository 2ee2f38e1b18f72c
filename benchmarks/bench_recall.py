"""Recall@20 of an approximate index against the exact scan, with and without filters.

Filtered queries compare with the exact top-20 among the rows that pass the filter,
and count any returned row that breaks it (must be 0). For each ``ef_search`` the
sweep also times the index query alone (k = 50, as ``search_events`` asks).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from yescount.search.embedder import Vectors
from yescount.search.index import IndexedEvent, VectorFilter, VectorIndex, day_number

K = 20
SEARCH_K = 50
FILTERS = {
    "price <= $25": VectorFilter(max_price=25.0),
    "Dec 20-27": VectorFilter(window=(date(2026, 12, 20), date(2026, 12, 27))),
    "Dec 20-27, <= $25": VectorFilter(
        window=(date(2026, 12, 20), date(2026, 12, 27)), max_price=25.0
    ),
}


class Exact:
    """The reference: every similarity computed, optionally only over passing rows."""

    def __init__(self, items: Sequence[IndexedEvent], vectors: Vectors) -> None:
        self.ids = np.array([i.event_id for i in items])
        self.matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        self.first = np.array([i.first_day for i in items])
        self.last = np.array([i.last_day for i in items])
        self.price = np.array([i.price_min for i in items])
        self.row = {int(i): n for n, i in enumerate(self.ids)}

    def mask(self, where: VectorFilter | None) -> np.ndarray:
        keep = np.ones(len(self.ids), dtype=bool)
        if where is not None and where.window is not None:
            start, end = (day_number(d) for d in where.window)
            keep &= (self.first <= end) & (self.last >= start)
        if where is not None and where.max_price is not None:
            keep &= self.price <= where.max_price  # unknown prices (-1) pass
        return keep

    def kth(self, vector: Vectors, where: VectorFilter | None) -> tuple[float, int]:
        """The 20th best similarity among passing rows, and how many rows pass."""
        sims = self.matrix @ vector
        keep = self.mask(where)
        passing = sims[keep]
        if len(passing) <= K:
            return -1.0, len(passing)
        return float(np.partition(-passing, K - 1)[K - 1] * -1), len(passing)

    def similarity(self, vector: Vectors, event_id: int) -> float:
        return float(self.matrix[self.row[event_id]] @ vector)


@dataclass
class Recall:
    ef_search: int
    unfiltered: float
    filtered: dict[str, float]
    violations: int
    query_ms: tuple[float, float]  # p50, p95 of index.query(k=50), no filter and filtered


def recall(
    index: VectorIndex, exact: Exact, queries: Vectors, where: VectorFilter | None
) -> tuple[float, int]:
    """Mean share of the exact top-20 found (ties at the 20th count), and violations."""
    shares, violations = [], 0
    keep = exact.mask(where)
    for vector in queries:
        kth, passing = exact.kth(vector, where)
        hits = index.query(vector, k=K, where=where)
        violations += sum(1 for h in hits if not keep[exact.row[h.event_id]])
        found = sum(
            1
            for h in hits
            if keep[exact.row[h.event_id]] and exact.similarity(vector, h.event_id) >= kth - 1e-6
        )
        shares.append(min(found, K, passing) / min(K, passing) if passing else 1.0)
    return float(np.mean(shares)), violations


def _p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def query_ms(index: VectorIndex, queries: Vectors) -> tuple[float, float]:
    """p50/p95 ms of the vector query alone, half unfiltered, half with each filter."""
    wheres: list[VectorFilter | None] = [None, *FILTERS.values()]
    timings = []
    for _ in range(2):
        for n, vector in enumerate(queries):
            where = wheres[n % len(wheres)] if n % 2 else None
            started = time.perf_counter()
            index.query(vector, k=SEARCH_K, where=where)
            timings.append((time.perf_counter() - started) * 1000)
    return _p50_p95(timings)


def sweep(
    make: Callable[[int], VectorIndex], exact: Exact, queries: Vectors, efs: Sequence[int]
) -> list[Recall]:
    """Recall and query time of the index opened with each ``ef_search``."""
    rows = []
    for ef in efs:
        index = make(ef)
        index.query(queries[0], k=SEARCH_K)  # open and load the graph
        unfiltered, violations = recall(index, exact, queries, None)
        filtered = {}
        for name, where in FILTERS.items():
            filtered[name], bad = recall(index, exact, queries, where)
            violations += bad
        rows.append(Recall(ef, unfiltered, filtered, violations, query_ms(index, queries)))
    return rows


def print_sweep(label: str, rows: list[Recall]) -> None:
    names = list(FILTERS)
    print(f"\n{label}: recall@20 vs the exact scan (filtered: exact top-20 of the passing rows)")
    print(
        f"  {'ef_search':>9} {'no filter':>10} "
        + " ".join(f"{n:>18}" for n in names)
        + f" {'wrong rows':>10} {'query p50/p95 ms':>17}"
    )
    for r in rows:
        print(
            f"  {r.ef_search:>9} {r.unfiltered:>10.3f} "
            + " ".join(f"{r.filtered[n]:>18.3f}" for n in names)
            + f" {r.violations:>10} {r.query_ms[0]:>8.2f}/{r.query_ms[1]:<8.2f}"
        )
