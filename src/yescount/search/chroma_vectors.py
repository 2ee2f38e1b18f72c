"""The stored vectors a ``ChromaIndex`` remembers between queries (for ``similarities``).

Chroma's get() by id costs ~65 us a row with its embedding (100 candidates: 6.5 ms at
50,000 rows, the largest part of a search's rows stage), and the same candidates come
back search after search: each vector fetched is remembered until Chroma's files change
(any write changes the ``stamp``). ``fill`` reads every stored vector, a page at a time
(40 us a row: 2 s at 50,000 rows), so that after serve's warm-up even a query's first
search finds its candidates' vectors in memory. After a write dropped them, the first
similarities call starts ``refill_when_quiet``: once the files stayed unchanged for
``REFILL_QUIET_S`` (an ingest run writes in bursts), every vector is read again.

They are kept in half precision (768 bytes a row: 37 MB at 50,000 rows, 147 MB at
200,000): a similarity moves by at most ~1e-3, far below what ranking tells apart, and
the web process holding Chroma's own graph, the model and every vector of 200,000 rows
measured 839 MB in float32 (search_bench.py), over the 800 MB it may use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from yescount.observability import get_logger
from yescount.search.chroma_client import wait_until_quiet
from yescount.search.embedder import Vectors

# At most this many vectors are remembered (768 bytes each: ~180 MB) before starting over.
MAX_REMEMBERED_VECTORS = 250_000

# Seconds Chroma's files must stay unchanged before dropped vectors are read again.
REFILL_QUIET_S = 30.0

# Stored ids and their vectors (rows of a matrix, or None when nothing matched).
Fetched = tuple[Sequence[str], Any]


class RememberedVectors:
    """Vectors by event id, valid for one stamp of the collection's files."""

    def __init__(self, limit: int = MAX_REMEMBERED_VECTORS) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._vectors: dict[int, Vectors] = {}
        self._stamp: tuple[int, ...] = ()
        self._filled: tuple[int, ...] | None = None  # the stamp of the last full read
        self._refill: threading.Thread | None = None

    def __len__(self) -> int:
        return len(self._vectors)

    def known(
        self,
        stamp: tuple[int, ...],
        event_ids: Sequence[int],
        fetch: Callable[[list[int]], Fetched],
    ) -> dict[int, Vectors]:
        """The remembered vectors, holding every stored one of ``event_ids`` (those not
        yet remembered are fetched with ``fetch`` and remembered; absent ids stay out)."""
        with self._lock:
            self._renew(stamp)
            known = self._vectors
            missing = [i for i in dict.fromkeys(event_ids) if i not in known]
        if missing:
            self._add(known, fetch(missing))
        return known

    def fill(self, stamp: tuple[int, ...], pages: Iterable[Fetched]) -> int:
        """Remember every vector of ``pages`` (read while the files had ``stamp``), up to
        the limit; stops when the files changed meanwhile. Returns how many it holds."""
        with self._lock:
            self._renew(stamp)
            known = self._vectors
        for page in pages:
            with self._lock:
                if self._stamp != stamp or self._vectors is not known:
                    return len(self._vectors)  # a write meanwhile: a refill may follow
                if len(known) + len(page[0]) > self._limit:
                    self._filled = None  # too many to hold: never refilled
                    return len(known)
            self._add(known, page)
        with self._lock:
            if self._vectors is known:
                self._filled = stamp
        return len(self._vectors)

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

    def _renew(self, stamp: tuple[int, ...]) -> None:
        """Start over when the files changed or too many are remembered (lock held)."""
        if stamp != self._stamp or len(self._vectors) > self._limit:
            if stamp == self._stamp:
                self._filled = None  # emptied for size, not by a write: not complete
            self._vectors = {}
            self._stamp = stamp

    @staticmethod
    def _add(known: dict[int, Vectors], fetched: Fetched) -> None:
        ids, embeddings = fetched
        if embeddings is None or not len(ids):
            return
        matrix = np.asarray(embeddings, dtype=np.float16)
        known.update(zip((int(i) for i in ids), matrix, strict=True))


def _refill(stamp: Callable[[], tuple[int, ...]], remember: Callable[[], int]) -> None:
    wait_until_quiet(stamp, REFILL_QUIET_S)
    try:
        remember()
    except Exception as exc:  # similarities fetch what they need meanwhile
        get_logger().warning("search_vectors_refill_failed", error=str(exc)[:200])
