"""The stored vectors a ``ChromaIndex`` remembers between queries (for ``similarities``).

Chroma's get() by id costs ~65 us a row with its embedding (100 candidates: 6.5 ms at
50,000 rows, the largest part of a search's rows stage), and the same candidates come
back search after search: each vector fetched is remembered until Chroma's files change
(any write changes the ``stamp``). ``fill`` reads every stored vector, a page at a time
(40 us a row: 2 s at 50,000 rows), so that after serve's warm-up even a query's first
search finds its candidates' vectors in memory. After a write dropped them, the first
similarities call starts ``refill_when_quiet``: once the files stayed unchanged for
``REFILL_QUIET_S`` (an ingest run writes in bursts), every vector is read again.

A full read is kept as one sorted id array and one matrix of 8-bit codes with a scale
per row (``quantise``: 396 bytes a row with its id and scale, 79 MB at 200,000 rows).
Over 5,000 bench vectors and 50 queries a similarity moved by 3e-4 on average (99th
percentile 1e-3, at most 2e-3; half precision: 1e-5), and the top 20 by similarity kept
99.7% of their rows: near-ties only. Vectors fetched one search at a time go to a small
dict beside it. The web process holding the model, Chroma's graph (+435 MB) and every
vector of 200,000 rows measured 901 MB in half precision with an array per row, 828 MB
in one half-precision matrix, 754 MB like this (after ``release_freed_memory``): the
800 MB it may use.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from yescount.observability import get_logger
from yescount.search.chroma_client import wait_until_quiet

# At most this many vectors are remembered (~400 bytes each: ~100 MB) before starting over.
MAX_REMEMBERED_VECTORS = 250_000

# Seconds Chroma's files must stay unchanged before dropped vectors are read again.
REFILL_QUIET_S = 30.0

# Stored ids and their vectors (rows of a matrix, or None when nothing matched).
Fetched = tuple[Sequence[str], Any]
# Ids, 8-bit codes and per-row scales of some vectors (``quantise``).
Codes = tuple[np.ndarray, np.ndarray, np.ndarray]


def quantise(ids: Sequence[str], embeddings: Any) -> Codes:
    """Each row as int8 codes times its own scale (its largest magnitude / 127)."""
    matrix = np.asarray(embeddings, dtype=np.float32).reshape(len(ids), -1)
    scales = np.abs(matrix).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    codes = np.rint(matrix / scales[:, None]).astype(np.int8)
    return np.array([int(i) for i in ids], dtype=np.int64), codes, scales.astype(np.float32)


class RememberedVectors:
    """Vectors by event id, valid for one stamp of the collection's files."""

    def __init__(self, limit: int = MAX_REMEMBERED_VECTORS) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._base: Codes = _empty()  # a full read, sorted by id
        self._extra: dict[int, tuple[np.ndarray, float]] = {}  # fetched one search at a time
        self._stamp: tuple[int, ...] = ()
        self._generation = 0  # bumped whenever everything is dropped
        self._filled: tuple[int, ...] | None = None  # the stamp of the last full read
        self._refill: threading.Thread | None = None

    def __len__(self) -> int:
        return len(self._base[0]) + len(self._extra)

    def rows(
        self,
        stamp: tuple[int, ...],
        event_ids: Sequence[int],
        fetch: Callable[[list[int]], Fetched],
    ) -> tuple[list[int], np.ndarray]:
        """The stored ones of ``event_ids`` (in order, once each) and their vectors as
        float32 rows; those not yet remembered are fetched with ``fetch`` and remembered."""
        wanted = list(dict.fromkeys(int(i) for i in event_ids))
        with self._lock:
            self._renew(stamp)
            found = self._lookup(wanted)
            generation = self._generation
        missing = [i for i in wanted if i not in found]
        if missing:
            ids, embeddings = fetch(missing)
            if embeddings is not None and len(ids):
                got, codes, scales = quantise(ids, embeddings)
                rows = zip(got.tolist(), codes, scales.tolist(), strict=True)
                fetched = {i: (c, s) for i, c, s in rows}
                found.update(fetched)
                with self._lock:
                    if self._generation == generation:
                        self._extra.update(fetched)
        present = [i for i in wanted if i in found]
        if not present:
            return [], np.zeros((0, 0), dtype=np.float32)
        codes = np.stack([found[i][0] for i in present]).astype(np.float32)
        scales = np.array([found[i][1] for i in present], dtype=np.float32)
        return present, codes * scales[:, None]

    def fill(self, stamp: tuple[int, ...], pages: Iterable[Fetched]) -> int:
        """Remember every vector of ``pages`` (read while the files had ``stamp``), up to
        the limit; stops when the files changed meanwhile. Returns how many it holds."""
        with self._lock:
            self._renew(stamp)
            generation = self._generation
        read: list[Codes] = []
        count, complete = 0, True
        for ids, embeddings in pages:
            with self._lock:
                if self._generation != generation:
                    return len(self)  # a write meanwhile: a refill may follow
            if count + len(ids) > self._limit:
                complete = False  # too many to hold: never refilled
                break
            if embeddings is not None and len(ids):
                read.append(quantise(ids, embeddings))
                count += len(ids)
        base = _sorted(read)
        with self._lock:
            if self._generation == generation:
                self._base = base
                self._extra = {i: v for i, v in self._extra.items() if not _holds(base, i)}
                self._filled = stamp if complete else None
            return len(self)

    @property
    def complete(self) -> bool:
        """Whether every stored vector is remembered (a full read, no write since)."""
        return self._filled is not None and self._filled == self._stamp

    def refill_when_quiet(
        self, stamp: Callable[[], tuple[int, ...]], remember: Callable[[], int]
    ) -> threading.Thread | None:
        """After a full read was dropped by a write: in a daemon thread, wait until the
        files (``stamp``) stayed unchanged for ``REFILL_QUIET_S``, then ``remember``
        every vector again. None when nothing needs it or a refill is under way."""
        with self._lock:
            if self._filled is None or self._filled == self._stamp:
                return None
            if self._refill is not None and self._refill.is_alive():
                return None
            self._refill = thread = threading.Thread(
                target=_refill, args=(stamp, remember), name="yescount-refill", daemon=True
            )
        thread.start()
        return thread

    def _lookup(self, wanted: list[int]) -> dict[int, tuple[np.ndarray, float]]:
        """The remembered ones of ``wanted`` (lock held)."""
        found = {i: self._extra[i] for i in wanted if i in self._extra}
        ids, codes, scales = self._base
        if len(ids) and wanted:
            asked = np.array(wanted, dtype=np.int64)
            at = np.minimum(np.searchsorted(ids, asked), len(ids) - 1)
            hit = ids[at] == asked
            for i, row in zip(asked[hit].tolist(), at[hit].tolist(), strict=True):
                found[i] = (codes[row], float(scales[row]))
        return found

    def _renew(self, stamp: tuple[int, ...]) -> None:
        """Start over when the files changed or too many are remembered (lock held)."""
        if stamp != self._stamp or len(self) > self._limit:
            if stamp == self._stamp:
                self._filled = None  # emptied for size, not by a write: not complete
            self._base, self._extra = _empty(), {}
            self._stamp = stamp
            self._generation += 1


def release_freed_memory() -> None:
    """Hand memory freed since back to the system (glibc's ``malloc_trim``): the pages
    of a full read, freed once coded, stayed in the process (~75-110 MB at 200,000 rows).
    Nothing happens on another C library."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return


def _empty() -> Codes:
    return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.int8), np.zeros(0, np.float32)


def _sorted(parts: list[Codes]) -> Codes:
    """The parts as one read, sorted by id."""
    if not parts:
        return _empty()
    ids = np.concatenate([p[0] for p in parts])
    order = np.argsort(ids, kind="stable")
    codes = np.concatenate([p[1] for p in parts])[order]
    return ids[order], codes, np.concatenate([p[2] for p in parts])[order]


def _holds(base: Codes, event_id: int) -> bool:
    ids = base[0]
    at = int(np.searchsorted(ids, event_id))
    return at < len(ids) and int(ids[at]) == event_id


def _refill(stamp: Callable[[], tuple[int, ...]], remember: Callable[[], int]) -> None:
    wait_until_quiet(stamp, REFILL_QUIET_S)
    try:
        remember()
    except Exception as exc:  # similarities fetch what they need meanwhile
        get_logger().warning("search_vectors_refill_failed", error=str(exc)[:200])
