"""Every row's filter fields of a Chroma collection, read from Chroma's SQLite file.

``ChromaIndex`` answers filtered queries from this table (which rows pass, one NumPy
pass) instead of Chroma's where-filtered query. At 200,000 rows and load ~10 on 2
cores, Chroma's client read the metadata in 39 s (paged ``get``); its SQLite tables,
read-only, take 1.0-1.4 s of CPU (4-5 s wall at that load).
The layout is Chroma's own (chromadb 1.5): a file of another layout raises
``sqlite3.Error`` and the index falls back to Chroma's filter.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from yescount.search.index import (
    UNKNOWN_FIRST_DAY,
    UNKNOWN_LAST_DAY,
    UNKNOWN_PRICE,
    VectorFilter,
    VectorHit,
    day_number,
)

_SEGMENT_SQL = """
SELECT s.id FROM collections c JOIN segments s ON s.collection = c.id
WHERE c.name = ? AND s.scope = 'METADATA'
"""
_TABLE_SQL = """
SELECT CAST(e.embedding_id AS INTEGER),
  coalesce((SELECT int_value FROM embedding_metadata WHERE id = e.id AND key = 'first_day'), ?),
  coalesce((SELECT int_value FROM embedding_metadata WHERE id = e.id AND key = 'last_day'), ?),
  coalesce((SELECT float_value FROM embedding_metadata WHERE id = e.id AND key = 'price_min'), ?)
FROM embeddings e WHERE e.segment_id = ?
"""


def read_table(path: Path, collection: str, stamp: tuple[int, ...]) -> FieldTable:
    """Every row's filter fields from Chroma's own SQLite tables (read-only)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        segment = conn.execute(_SEGMENT_SQL, (collection,)).fetchone()
        defaults = (UNKNOWN_FIRST_DAY, UNKNOWN_LAST_DAY, UNKNOWN_PRICE)
        rows = (
            [] if segment is None else conn.execute(_TABLE_SQL, (*defaults, segment[0])).fetchall()
        )
    finally:
        conn.close()
    values = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
    order = np.argsort(values[:, 0], kind="stable")
    values = values[order]
    return FieldTable(
        stamp,
        values[:, 0].astype(np.int64),
        values[:, 1].astype(np.int64),
        values[:, 2].astype(np.int64),
        values[:, 3],
    )


@dataclass(frozen=True)
class FieldTable:
    """Every row's filter fields as arrays, sorted by id (~20 bytes a row)."""

    stamp: tuple[int, ...]
    ids: np.ndarray
    first: np.ndarray
    last: np.ndarray
    price: np.ndarray

    def mask(self, where: VectorFilter) -> np.ndarray:
        """Which rows meet the ``_where`` conditions (unknown prices, -1, pass)."""
        keep = np.ones(len(self.ids), dtype=bool)
        if where.window is not None:
            start, end = where.window
            keep &= (self.first <= day_number(end)) & (self.last >= day_number(start))
        if where.max_price is not None:
            keep &= self.price <= float(where.max_price)
        return keep

    def kept(self, keep: np.ndarray, hits: Sequence[VectorHit]) -> list[VectorHit]:
        """The hits whose rows are in the table and pass (``keep``, from ``mask``)."""
        if not hits or len(self.ids) == 0:
            return []
        ids = np.fromiter((h.event_id for h in hits), dtype=np.int64, count=len(hits))
        at = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        ok = (self.ids[at] == ids) & keep[at]
        return [h for h, good in zip(hits, ok.tolist(), strict=True) if good]


def where_clause(where: VectorFilter | None) -> dict[str, Any] | None:
    """The filter as Chroma's where clause (the conditions ``FieldTable.mask`` applies)."""
    if where is None or where.empty:
        return None
    clauses: list[dict[str, Any]] = []
    if where.window is not None:
        start, end = where.window
        clauses.append({"first_day": {"$lte": day_number(end)}})
        clauses.append({"last_day": {"$gte": day_number(start)}})
    if where.max_price is not None:
        # Unknown prices are stored as -1 and therefore kept.
        clauses.append({"price_min": {"$lte": float(where.max_price)}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
