"""Every row's filter fields of a Chroma collection, read from Chroma's SQLite file.

``ChromaIndex`` answers filtered queries from this table (which rows pass, one NumPy
pass) instead of Chroma's where-filtered query. At 200,000 rows and load ~10 on 2
cores, Chroma's client read the metadata in 39 s (paged ``get``); its SQLite tables,
read-only, take 1.0-1.4 s of CPU (4-5 s wall at that load; 0.5-0.7 s on a quiet
machine). ``FilterFields`` keeps the table current: writes of this process patch it,
anyone else's are read again in the background while searches go on.
The layout is Chroma's own (chromadb 1.5): a file of another layout raises
``sqlite3.Error`` and the index falls back to Chroma's filter.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from yescount.observability import get_logger
from yescount.search.index import (
    UNKNOWN_FIRST_DAY,
    UNKNOWN_LAST_DAY,
    UNKNOWN_PRICE,
    IndexedEvent,
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
    return _sorted_table(stamp, np.asarray(rows, dtype=np.float64).reshape(-1, 4))


def _sorted_table(stamp: tuple[int, ...], values: np.ndarray) -> FieldTable:
    """A table from rows of (id, first_day, last_day, price_min), sorted by id."""
    values = values[np.argsort(values[:, 0], kind="stable")]
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

    def without(self, event_ids: Iterable[int]) -> FieldTable:
        """This table less the rows of ``event_ids`` (same stamp)."""
        gone = np.fromiter(event_ids, dtype=np.int64)
        keep = ~np.isin(self.ids, gone)
        return FieldTable(
            self.stamp, self.ids[keep], self.first[keep], self.last[keep], self.price[keep]
        )

    def with_rows(self, items: Sequence[IndexedEvent]) -> FieldTable:
        """This table with ``items``' rows added or replaced (same stamp; the last of
        one id wins, as in an upsert)."""
        latest = {i.event_id: i for i in items}
        rest = self.without(latest)
        new = np.array(
            [(i.event_id, i.first_day, i.last_day, i.price_min) for i in latest.values()],
            dtype=np.float64,
        ).reshape(-1, 4)
        old = np.column_stack([rest.ids, rest.first, rest.last, rest.price]).astype(np.float64)
        return _sorted_table(self.stamp, np.concatenate([old, new]))

    def kept(self, keep: np.ndarray, hits: Sequence[VectorHit]) -> list[VectorHit]:
        """The hits whose rows are in the table and pass (``keep``, from ``mask``)."""
        if not hits or len(self.ids) == 0:
            return []
        ids = np.fromiter((h.event_id for h in hits), dtype=np.int64, count=len(hits))
        at = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        ok = (self.ids[at] == ids) & keep[at]
        return [h for h, good in zip(hits, ok.tolist(), strict=True) if good]


class FilterFields:
    """The filter table of one collection, kept current without stalling searches.

    The first ``current`` reads it (``read_table``). Writes made through this process
    patch it at once (``wrote``, ``dropped``). When the files changed otherwise (an
    ingest run in another process), ``current`` starts one re-read in a background
    thread and answers from the table it has meanwhile: rows written elsewhere count
    as failing the filter until the re-read lands (search checks every candidate
    against the filters in SQL anyway). Reading it again on the query that found the
    change stalled that query 0.5-1 s at 200,000 rows.
    """

    def __init__(self, path: Path, collection: str) -> None:
        self._path = path
        self._collection = collection
        self._lock = threading.Lock()
        self._table: FieldTable | None = None
        self._edits = 0  # own writes so far: a re-read begun before one is outdated
        self._reading: threading.Thread | None = None

    def current(self, stamp: tuple[int, ...]) -> FieldTable | None:
        """The table (read now when there is none); None when the file is unreadable."""
        with self._lock:
            table, edits = self._table, self._edits
            if table is not None and table.stamp != stamp and self._reading is None:
                self._reading = threading.Thread(
                    target=self._read, args=(stamp, edits, True),
                    name="yescount-chroma-fields", daemon=True,
                )  # fmt: skip
                self._reading.start()
        return table if table is not None else self._read(stamp, edits, False)

    def wait(self, timeout: float | None = None) -> None:
        """Until a background re-read (if any) finished (tests, benchmarks)."""
        reading = self._reading
        if reading is not None:
            reading.join(timeout)

    def wrote(self, items: Sequence[IndexedEvent]) -> None:
        with self._lock:
            self._edits += 1
            if self._table is not None:
                self._table = self._table.with_rows(items)

    def dropped(self, event_ids: Sequence[int]) -> None:
        with self._lock:
            self._edits += 1
            if self._table is not None:
                self._table = self._table.without(event_ids)

    def forget(self) -> None:
        """The collection is gone (reset): read afresh next time."""
        with self._lock:
            self._edits += 1
            self._table = None

    def _read(self, stamp: tuple[int, ...], edits: int, background: bool) -> FieldTable | None:
        try:
            table = read_table(self._path, self._collection, stamp)
        except sqlite3.Error as exc:
            get_logger().warning("chroma_filter_table_unreadable", error=str(exc)[:300])
            table = None
        with self._lock:
            if background:
                self._reading = None
            # A write of ours since the read began: keep the patched table (its stamp
            # is older than the files, so the next call reads again).
            if table is not None and edits == self._edits:
                self._table = table
        return table


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
