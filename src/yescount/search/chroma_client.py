"""The Chroma client and collection a ``ChromaIndex`` uses, opened again after another
process wrote to them.

Chroma's embedded client loads a collection's graph once per process and never reads
the vectors another process adds or changes: ``count`` and ``get`` see them, ``query``
does not (chroma-core/chroma#3792). With ``serve`` running and ``yescount ingest`` run
beside it (the weekly cron line), the week's new events would be found by their words
and tags only, until a restart. So ``LiveCollection`` remembers the files' stamp as of
its own last open or write; when a query finds them changed otherwise, a background
thread waits until they stayed unchanged for ``REOPEN_QUIET_S`` (an ingest run writes
in bursts), opens the collection through a client of its own, loads its graph with one
query and swaps it in. Searches use the old graph meanwhile; the old client is closed
``CLOSE_AFTER_S`` later, once the searches that held it are done. A reopen took 0.27 s
at 50,000 rows (RSS 200 -> 305 MB with both graphs, 219 after the close) and 0.59 s at
200,000 (498 -> 903 -> 559 MB), over search_bench.py's catalogues.

Chroma shares one client per path string in a process, so the new client names the
same directory spelled another way (``/data/chroma/.``): it gets its own graph.
A write made through this process while the new graph loaded went to the old graph and
might be missing from the new one: that reopen is dropped and the next query asks again.
A change made elsewhere *while* this process writes is taken for its own (one stamp
covers the files); one made before is not.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from yescount.observability import get_logger

# Seconds the files must stay unchanged before the collection is opened again.
REOPEN_QUIET_S = 30.0
# Seconds the replaced client stays open for the searches that were using it (a Chroma
# query takes milliseconds; a slower one fails over to words-only search). Its graph
# is memory held twice meanwhile: ~400 MB more at 200,000 rows.
CLOSE_AFTER_S = 5.0
# Spellings of the directory cycled through (a client closed long ago frees its own).
_SPELLINGS = 8

Stamp = Callable[[], tuple[int, ...]]


def wait_until_quiet(stamp: Stamp, quiet_s: float) -> None:
    """Return once ``stamp()`` stayed the same for ``quiet_s`` seconds."""
    seen = stamp()
    while True:
        time.sleep(quiet_s)
        now = stamp()
        if now == seen:
            return
        seen = now


class LiveCollection:
    """One collection of a persistent Chroma directory, current with other processes."""

    def __init__(
        self,
        persist_dir: Path,
        open_collection: Callable[[Any], Any],
        stamp: Stamp,
        dimension: int,
    ) -> None:
        self._dir = persist_dir
        self._open_collection = open_collection  # (client) -> collection, checked
        self._stamp = stamp
        self._dimension = dimension
        self._lock = threading.Lock()
        self._client: Any = None
        self._collection: Any = None
        self._seen: tuple[int, ...] | None = None  # the stamp as of our last open/write
        self._foreign = False  # changed elsewhere before a write of ours (not in the graph)
        self._spelling = 0
        self._writes = 0  # odd while a write of ours is under way
        self._reopening: threading.Thread | None = None

    def client(self) -> Any:
        with self._lock:
            return self._client_locked()

    def collection(self) -> Any:
        """The collection, opened when needed; a change made elsewhere since our last
        open or write starts a reopen in the background (``reopen_when_quiet``)."""
        with self._lock:
            if self._collection is None:
                self._collection = self._open_collection(self._client_locked())
                self._seen = self._stamp()  # opening may write
            collection = self._collection
        self.reopen_when_quiet()
        return collection

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Around a write through this client: afterwards its graph holds the files'
        state, less any change made elsewhere before (still to be read)."""
        with self._lock:
            self._writes += 1
            self._foreign |= self._seen is not None and self._changed()
        try:
            yield
        finally:
            with self._lock:
                self._writes += 1
                self._seen = self._stamp()

    def forget(self) -> None:
        """Open the collection afresh next time (it failed, or it was deleted)."""
        with self._lock:
            self._collection = None

    def reopen_when_quiet(self) -> threading.Thread | None:
        """The background reopen started now, when the files changed since our last open
        or write and none is under way; else None."""
        with self._lock:
            if self._seen is None or self._reopening is not None or not self._changed():
                return None
            self._reopening = thread = threading.Thread(
                target=self._reopen, name="yescount-chroma-reopen", daemon=True
            )
        thread.start()
        return thread

    def wait(self, timeout: float | None = None) -> None:
        """Until a background reopen (if any) is done (tests)."""
        reopening = self._reopening
        if reopening is not None:
            reopening.join(timeout)

    def _changed(self) -> bool:
        """Whether the files hold changes the graph lacks (lock held)."""
        return self._foreign or self._stamp() != self._seen

    def _client_locked(self) -> Any:
        if self._client is None:
            self._dir.mkdir(parents=True, exist_ok=True)
            self._client = self._new_client(self._spelling)
        return self._client

    def _new_client(self, spelling: int) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        path = str(self._dir) + (os.sep + ".") * spelling
        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        return chromadb.PersistentClient(path=path, settings=settings)

    def _reopen(self) -> None:
        old = client = None
        try:
            wait_until_quiet(self._stamp, REOPEN_QUIET_S)
            with self._lock:
                if not self._changed() or not self._dir.is_dir():
                    return  # our own writes caught up, or the index is gone
                spelling, writes = (self._spelling + 1) % _SPELLINGS, self._writes
                if writes % 2:
                    return  # one of ours is under way: the next query asks again
            client = self._new_client(spelling)
            collection = self._open_collection(client)
            seen = self._stamp()  # opening may write; queries do not
            _load_graph(collection, self._dimension)
            with self._lock:
                if self._writes != writes:
                    old = client  # a write of ours went to the old graph only
                else:
                    old = self._client
                    self._client, self._collection = client, collection
                    self._spelling, self._seen, self._foreign = spelling, seen, False
            get_logger().info("chroma_collection_reopened", replaced=old is not client)
        except Exception as exc:  # searches keep the graph they have; asked again later
            get_logger().warning("chroma_reopen_failed", error=str(exc)[:300])
            old = client
        finally:
            with self._lock:
                self._reopening = None
        if old is not None:
            time.sleep(CLOSE_AFTER_S)
            old.close()


def _load_graph(collection: Any, dimension: int) -> None:
    """One query, which loads the collection's graph (an empty one has none)."""
    if collection.count():
        probe = np.full(dimension, 1.0 / np.sqrt(dimension), dtype=np.float32)
        collection.query(query_embeddings=[probe], n_results=1, include=[])
