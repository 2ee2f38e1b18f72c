"""Chroma (embedded, on disk) implementation of the vector index."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from yescount.errors import IndexMismatchError, SearchError
from yescount.search.embedder import Vectors
from yescount.search.index import (
    UNKNOWN_FIRST_DAY,
    UNKNOWN_LAST_DAY,
    UNKNOWN_PRICE,
    IndexedEvent,
    IndexInfo,
    VectorFilter,
    VectorHit,
    check_model,
    day_number,
)

COLLECTION = "yescount_events"
# HNSW graph settings are fixed when the collection is created (a new setting takes
# `yescount reindex --fresh`); ef_search applies when a process opens the index:
# the one given, else the one stored with the collection (set by writes, by size).
# benchmarks/search_bench.py, 50,000 events with embedding-like vectors: recall@20
# 0.947 / 0.963 / 0.973 / 0.996 at ef_search 100 / 200 / 400 / 800, the index query
# ~6 ms p50 at each (Chroma's per-call overhead dominates); built in 19 s of CPU
# (M 32, ef_construction 200 took 140 s of CPU on random vectors).
HNSW_CONSTRUCTION = {"space": "cosine", "ef_construction": 100, "max_neighbors": 16}
DEFAULT_EF_SEARCH = 400
# Larger collections need a wider search for the same recall. 200,000 events
# (bench_hnsw.py / search_bench.py, 2026-12-03, load 3-7): recall@20 0.969 / 0.978 at
# 400 / 800 on one build, 0.892 / 0.939 on another of the same vectors (the query
# ~2 -> ~3.5 ms p50 unfiltered). ef_construction 200 built 3x slower and was no
# better (0.950 / 0.969). At 50,000: 0.986 at 400, 0.997 at 800.
LARGE_COLLECTION = 100_000
LARGE_EF_SEARCH = 800
OVERFETCH = 4
MAX_OVERFETCH = 1_000
# Rows whose filter fields a process remembers (3 numbers each) before starting over.
MAX_REMEMBERED = 500_000
# Vectors a process remembers for ``similarities`` (1.5 KB each: ~30 MB) before starting
# over. Chroma's get() by id costs ~70 us a row (100 candidates: 6.5-8 ms, the largest
# part of a search's rows stage at 50,000 events); the same candidates come back
# search after search.
MAX_REMEMBERED_VECTORS = 20_000
_PAGE = 5_000


class ChromaIndex:
    """Vectors in a Chroma collection whose metadata names the model and dimension."""

    def __init__(
        self,
        persist_dir: Path,
        *,
        model_name: str,
        dimension: int,
        ef_search: int | None = None,
        collection: str = COLLECTION,
    ) -> None:
        self.persist_dir = Path(persist_dir)
        self._model = model_name
        self._dimension = dimension
        self._ef_search = ef_search
        self._name = collection
        self._lock = threading.Lock()
        self._client: Any = None
        self._collection: Any = None
        self._fields: dict[int, Fields] = {}
        self._fields_stamp: tuple[int, ...] = ()
        self._vectors: dict[int, Vectors] = {}
        self._vectors_stamp: tuple[int, ...] = ()

    @property
    def backend(self) -> str:
        return "chroma"

    @property
    def model_name(self) -> str:
        return self._model

    @property
    def dimension(self) -> int:
        return self._dimension

    # --- connection ------------------------------------------------------------

    def _client_api(self) -> Any:
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            self.persist_dir.mkdir(parents=True, exist_ok=True)
            settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            self._client = chromadb.PersistentClient(path=str(self.persist_dir), settings=settings)
        return self._client

    def _open(self) -> Any:
        """The collection, created with the current model when missing; checked once."""
        with self._lock:
            if self._collection is None:
                client = self._client_api()
                collection = client.get_or_create_collection(
                    self._name,
                    configuration={
                        "hnsw": {
                            **HNSW_CONSTRUCTION,
                            "ef_search": self._ef_search or DEFAULT_EF_SEARCH,
                        }
                    },
                    metadata={"model": self._model, "dimension": self._dimension},
                    embedding_function=None,
                )
                meta = collection.metadata or {}
                stored = (str(meta["model"]), int(meta["dimension"])) if "model" in meta else None
                check_model("chroma", stored, (self._model, self._dimension))
                hnsw = (collection.configuration or {}).get("hnsw") or {}
                if self._ef_search is not None and hnsw.get("ef_search") != self._ef_search:
                    collection.modify(configuration={"hnsw": {"ef_search": self._ef_search}})
                self._collection = collection
            return self._collection

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except (IndexMismatchError, SearchError):
            raise
        except Exception as exc:
            # Chroma raises many types (sqlite, Rust bindings, OS errors): one answer.
            self._collection = None
            raise SearchError(
                f"Chroma index at {self.persist_dir} unavailable ({action}): {exc}",
                code="vector_index_unavailable",
            ) from exc

    # --- writes ----------------------------------------------------------------

    def upsert(self, items: Sequence[IndexedEvent]) -> None:
        if not items:
            return
        with self._guard("upsert"):
            collection = self._open()
            step = min(_PAGE, int(self._client_api().get_max_batch_size()))
            for start in range(0, len(items), step):
                chunk = items[start : start + step]
                collection.upsert(
                    ids=[str(i.event_id) for i in chunk],
                    embeddings=np.stack([i.vector for i in chunk]).astype(np.float32),
                    metadatas=[_metadata(i) for i in chunk],
                )
            if self._ef_search is None:
                self._store_ef_search(collection)

    def _store_ef_search(self, collection: Any) -> None:
        """Record the ef_search the collection's size calls for (``ef_search_for``).

        A graph keeps the ef_search it was loaded with, and loading happens on the
        first count or query: so the writer records it, for every later open.
        """
        wanted = ef_search_for(int(collection.count()))
        hnsw = (collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("ef_search") != wanted:
            collection.modify(configuration={"hnsw": {"ef_search": wanted}})

    def delete(self, event_ids: Sequence[int]) -> None:
        if not event_ids:
            return
        with self._guard("delete"):
            collection = self._open()
            ids = [str(i) for i in event_ids]
            for start in range(0, len(ids), _PAGE):
                collection.delete(ids=ids[start : start + _PAGE])

    def reset(self) -> None:
        with self._guard("reset"):
            client = self._client_api()
            with self._lock:
                if self._name in {c.name for c in client.list_collections()}:
                    client.delete_collection(self._name)
                self._collection = None
            self._open()

    def begin_bulk(self) -> None:
        """Nothing to prepare: Chroma inserts into its graph as it goes."""

    def finish_bulk(self) -> None:
        """Writes are query-ready; records the ef_search for the collection's size."""
        if self._ef_search is None:
            with self._guard("bulk load"):
                self._store_ef_search(self._open())

    # --- reads -----------------------------------------------------------------

    def query(
        self, vector: Vectors, *, k: int, where: VectorFilter | None = None
    ) -> list[VectorHit]:
        if where is not None and not where.empty:
            found = self._overfetched(vector, k, where)
            if found is not None:
                return found
        return self._query(vector, k, _where(where))

    def _overfetched(self, vector: Vectors, k: int, where: VectorFilter) -> list[VectorHit] | None:
        """The k nearest passing rows among the nearest, or None for the filtered query.

        Chroma's own filtered query selects every passing row in SQLite first (~200 ms
        at 50,000) and fetching metadata with the hits costs ~50 us a row; so this
        fetches ids and distances only, k * OVERFETCH of them (and, when too few
        pass, once more as many as the pass rate needs, up to MAX_OVERFETCH), and
        filters on each row's dates and price from ``_filter_fields``. Exact whenever
        k of the nearest rows pass; only very selective filters pay Chroma's way.
        """
        fetch = k * OVERFETCH
        for _ in range(2):
            nearest = self._query(vector, fetch, None)
            fields = self._filter_fields([h.event_id for h in nearest])
            passing = [
                h for h in nearest if h.event_id in fields and _passes(fields[h.event_id], where)
            ]
            if len(passing) >= k or len(nearest) < fetch:
                return passing[:k]
            fetch = int(fetch * k / max(1, len(passing)) * 1.5)
            if fetch > MAX_OVERFETCH:
                return None
        return None

    def _filter_fields(self, event_ids: Sequence[int]) -> dict[int, Fields]:
        """(first_day, last_day, price_min) of each id, remembered between queries.

        The memory is dropped whenever Chroma's SQLite file changed (any write, by
        this process or another), so a row's fields are never older than the last
        query's check; search re-checks every candidate against its row anyway.
        """
        stamp = self._stamp()
        with self._lock:
            if stamp != self._fields_stamp or len(self._fields) > MAX_REMEMBERED:
                self._fields = {}
                self._fields_stamp = stamp
            known = self._fields
            missing = [i for i in event_ids if i not in known]
        if not missing:
            return known
        with self._guard("query"):
            got = self._open().get(ids=[str(i) for i in missing], include=["metadatas"])
        for id_, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
            known[int(id_)] = _fields(meta or {})
        return known

    def _stamp(self) -> tuple[int, ...]:
        """Modification time and size of Chroma's SQLite files (changed by every write)."""
        stamp: list[int] = []
        for name in ("chroma.sqlite3", "chroma.sqlite3-wal"):
            try:
                info = os.stat(self.persist_dir / name)
            except OSError:
                continue
            stamp += (info.st_mtime_ns, info.st_size)
        return tuple(stamp)

    def _query(self, vector: Vectors, k: int, where: dict[str, Any] | None) -> list[VectorHit]:
        with self._guard("query"):
            result = self._open().query(
                query_embeddings=[np.asarray(vector, dtype=np.float32)],
                n_results=k,
                where=where,
                include=["distances"],
            )
        ids = result["ids"][0] if result["ids"] else []
        distances = result["distances"][0] if result["distances"] else []
        return [VectorHit(int(i), 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def similarities(self, vector: Vectors, event_ids: Sequence[int]) -> dict[int, float]:
        if not event_ids:
            return {}
        known = self._stored_vectors(event_ids)
        ids = [i for i in dict.fromkeys(event_ids) if i in known]
        if not ids:
            return {}
        sims = np.stack([known[i] for i in ids]) @ np.asarray(vector, dtype=np.float32)
        return {i: float(s) for i, s in zip(ids, sims, strict=True)}

    def _stored_vectors(self, event_ids: Sequence[int]) -> dict[int, Vectors]:
        """The stored vector of each id (absent ids left out), remembered between queries
        and dropped whenever Chroma's files changed, as ``_filter_fields`` does."""
        stamp = self._stamp()
        with self._lock:
            if stamp != self._vectors_stamp or len(self._vectors) > MAX_REMEMBERED_VECTORS:
                self._vectors = {}
                self._vectors_stamp = stamp
            known = self._vectors
            missing = [i for i in dict.fromkeys(event_ids) if i not in known]
        if not missing:
            return known
        with self._guard("similarities"):
            got = self._open().get(ids=[str(i) for i in missing], include=["embeddings"])
        embeddings = got["embeddings"]
        if embeddings is not None and len(got["ids"]):
            matrix = np.asarray(embeddings, dtype=np.float32)
            for id_, row in zip(got["ids"], matrix, strict=True):
                known[int(id_)] = row
        return known

    def content_hashes(self) -> dict[int, str]:
        with self._guard("list"):
            collection = self._open()
            hashes: dict[int, str] = {}
            offset = 0
            while True:
                page = collection.get(include=["metadatas"], limit=_PAGE, offset=offset)
                for id_, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
                    hashes[int(id_)] = str((meta or {}).get("content_hash", ""))
                if len(page["ids"]) < _PAGE:
                    return hashes
                offset += _PAGE

    def info(self) -> IndexInfo:
        with self._guard("info"):
            client = self._client_api()
            if self._name not in {c.name for c in client.list_collections()}:
                return IndexInfo("chroma", None, None, 0)
            collection = client.get_collection(self._name, embedding_function=None)
            meta = collection.metadata or {}
            dimension = meta.get("dimension")
            return IndexInfo(
                "chroma",
                str(meta["model"]) if "model" in meta else None,
                int(dimension) if dimension is not None else None,
                int(collection.count()),
            )


def ef_search_for(count: int) -> int:
    """The ef_search recorded for a collection of ``count`` vectors."""
    return LARGE_EF_SEARCH if count >= LARGE_COLLECTION else DEFAULT_EF_SEARCH


def _metadata(item: IndexedEvent) -> dict[str, Any]:
    return {
        "content_hash": item.content_hash,
        "first_day": item.first_day,
        "last_day": item.last_day,
        "price_min": item.price_min,
    }


Fields = tuple[int, int, float]


def _fields(meta: Mapping[str, Any]) -> Fields:
    return (
        int(meta.get("first_day", UNKNOWN_FIRST_DAY)),
        int(meta.get("last_day", UNKNOWN_LAST_DAY)),
        float(meta.get("price_min", UNKNOWN_PRICE)),
    )


def _passes(fields: Fields, where: VectorFilter) -> bool:
    """The ``_where`` conditions evaluated on one row's (first_day, last_day, price_min)."""
    first, last, price = fields
    if where.window is not None:
        start, end = where.window
        if first > day_number(end) or last < day_number(start):
            return False
    if where.max_price is not None:
        return price <= float(where.max_price)
    return True


def _where(where: VectorFilter | None) -> dict[str, Any] | None:
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
