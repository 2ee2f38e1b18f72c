"""Chroma (embedded, on disk) implementation of the vector index."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from yescount.errors import IndexMismatchError, SearchError
from yescount.search.chroma_client import LiveCollection
from yescount.search.chroma_fields import FieldTable, FilterFields, where_clause
from yescount.search.chroma_vectors import Fetched, RememberedVectors, release_freed_memory
from yescount.search.embedder import Vectors
from yescount.search.index import (
    IndexedEvent,
    IndexInfo,
    VectorFilter,
    VectorHit,
    check_model,
)

COLLECTION = "yescount_events"
# HNSW graph settings are fixed when the collection is created (a new setting takes
# `yescount reindex --fresh`; a collection built with earlier settings keeps them and
# still opens, answers and takes writes); ef_search applies when a process opens the
# index: the one given, else the one stored with the collection (set by writes, by size).
# 200,000 events (benchmarks/bench_chroma.py, composed vectors, seed 61, 2026-12-03,
# load 7-13 on 2 cores): max_neighbors 16 -> 32 at ef_construction 100, recall@20 at
# ef_search 400 / 800: M 16 0.900 / 0.944 (filtered 0.942-0.951 at 800); M 32 0.972 /
# 0.985 on one build, 0.958 / 0.971 on another (filtered at 800, with ``_overfetched``,
# 0.962-0.982; price <= $25 0.962-0.965): builds still vary, by less. Build 188-213 s
# of CPU for M 32 vs 204 for M 16 (wall 392-508 s vs 674 s at that load), 474 vs 450
# MB on disk; the unfiltered query 5.3 vs 4.2 ms p50 (6.9 vs 5.9 p95) at ef_search
# 800, back to back. Earlier, M 16: one build 0.969 / 0.978, another 0.892 / 0.939;
# ef_construction 200 built 3x slower and was no better (0.950 / 0.969). At 50,000
# (M 16): 0.986 at 400, 0.997 at 800.
HNSW_CONSTRUCTION = {"space": "cosine", "ef_construction": 100, "max_neighbors": 32}
DEFAULT_EF_SEARCH = 400
# Larger collections need a wider search for the same recall. 200,000 rows (M 32, quiet
# machine, search_bench.py --seed 91), recall@20 unfiltered / price <= $25 / a week /
# both and end-to-end p50/p95 ms: ef_search 800 0.969 / 0.957 / 0.962 / 0.965, 13.3/21.3;
# 1200 0.982 / 0.971 / 0.982 / 0.975, 14.4/21.9; 1600 0.983-0.985 (0.979), 18.2/26.5.
LARGE_COLLECTION = 100_000
LARGE_EF_SEARCH = 1_200
# Filtered queries (``_overfetched``), 200,000 rows at load ~10: an unfiltered query
# filtered here costs with the rows it returns (Chroma maps each to its id): 50 ~5 ms,
# 1,000 13-27 ms, 8,000 130-600 ms; far less than Chroma's where-filtered query (3-9 s;
# 0.7-2.5 s on a quieter machine) or a query over allowed ids (0.1-0.4 s for thousands
# of ids, 1.5-2.7 s for a few hundred: it walks the whole graph for them); fetching
# vectors by id for an exact comparison costs ~0.2 ms a row.
OVERFETCH = 4
MAX_OVERFETCH = 8_000
MAX_WIDENED = 2_000
# Filtered queries with at most this many passing rows compare their vectors exactly.
MAX_EXACT = 2_000
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
        self._live = LiveCollection(self.persist_dir, self._create, self._stamp, dimension)
        self._fields = FilterFields(self.persist_dir / "chroma.sqlite3", collection)
        self._vectors = RememberedVectors()  # for ``similarities`` (chroma_vectors.py)

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
        return self._live.client()

    def _open(self) -> Any:
        """The collection, created with the current model when missing; checked once
        (opened again after another process wrote: ``chroma_client``)."""
        return self._live.collection()

    def _create(self, client: Any) -> Any:
        collection = client.get_or_create_collection(
            self._name,
            configuration={
                "hnsw": {**HNSW_CONSTRUCTION, "ef_search": self._ef_search or DEFAULT_EF_SEARCH}
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
        return collection

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except (IndexMismatchError, SearchError):
            raise
        except Exception as exc:
            # Chroma raises many types (sqlite, Rust bindings, OS errors): one answer.
            self._live.forget()
            raise SearchError(
                f"Chroma index at {self.persist_dir} unavailable ({action}): {exc}",
                code="vector_index_unavailable",
            ) from exc

    # --- writes ----------------------------------------------------------------

    def upsert(self, items: Sequence[IndexedEvent]) -> None:
        if not items:
            return
        with self._guard("upsert"), self._live.writing():
            collection = self._open()
            step = min(_PAGE, int(self._client_api().get_max_batch_size()))
            for start in range(0, len(items), step):
                chunk = items[start : start + step]
                collection.upsert(
                    ids=[str(i.event_id) for i in chunk],
                    embeddings=np.stack([i.vector for i in chunk]).astype(np.float32),
                    metadatas=[_metadata(i) for i in chunk],
                )
                self._fields.wrote(chunk)
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
        with self._guard("delete"), self._live.writing():
            collection = self._open()
            ids = [str(i) for i in event_ids]
            for start in range(0, len(ids), _PAGE):
                collection.delete(ids=ids[start : start + _PAGE])
                self._fields.dropped(event_ids[start : start + _PAGE])

    def reset(self) -> None:
        with self._guard("reset"), self._live.writing():
            client = self._client_api()
            if self._name in {c.name for c in client.list_collections()}:
                client.delete_collection(self._name)
            self._live.forget()
            self._fields.forget()
            self._open()

    def begin_bulk(self) -> None:
        """Nothing to prepare: Chroma inserts into its graph as it goes."""

    def finish_bulk(self) -> None:
        """Writes are query-ready; records the ef_search for the collection's size."""
        if self._ef_search is None:
            with self._guard("bulk load"), self._live.writing():
                self._store_ef_search(self._open())

    # --- reads -----------------------------------------------------------------

    def query(
        self, vector: Vectors, *, k: int, where: VectorFilter | None = None
    ) -> list[VectorHit]:
        if where is not None and not where.empty:
            found = self._overfetched(vector, k, where)
            if found is not None:
                return found
        return self._query(vector, k, where_clause(where))

    def _overfetched(self, vector: Vectors, k: int, where: VectorFilter) -> list[VectorHit] | None:
        """The k nearest passing rows, from the filter fields of every row (``_table``).

        Chroma's own filtered query selects every passing row in SQLite first (0.7-2.5 s
        at 200,000). The table says which rows pass in one NumPy pass; then:
        - when the ``k / pass rate * 1.5`` nearest (at least k * OVERFETCH, at most
          MAX_OVERFETCH) are likely to hold k passing rows, an unfiltered query of
          that many, filtered by the table (when fewer than k pass near the query
          than overall, again as many as the rate seen there needs while that is
          at most MAX_WIDENED);
        - else (or when the first way found fewer than k), when at most MAX_EXACT rows
          pass, the exact answer: their vectors fetched by id and compared here;
        - else one query restricted to the passing ids (Chroma's filtered graph search
          over an allowed list: no SQL filter; far slower for few ids, which it
          searches the whole graph for).
        None (Chroma's where-filtered query) only when the table cannot be read.
        """
        table = self._table()
        if table is None:
            return None
        keep = table.mask(where)
        passing = int(np.count_nonzero(keep))
        if passing == 0:
            return []
        fetch = max(k * OVERFETCH, int(k * len(keep) / passing * 1.5))
        if fetch <= MAX_OVERFETCH:
            while True:
                nearest = self._query(vector, fetch, None)
                found = table.kept(keep, nearest)
                if len(found) >= k or len(nearest) < fetch:
                    return found[:k]
                # Fewer pass near the query than overall: widen by the rate seen here,
                # while that stays within MAX_WIDENED (past it, the graph's far
                # neighbours miss too many of the passing rows: allowed ids instead).
                fetch = max(fetch * 2, int(fetch * k / max(1, len(found)) * 1.5))
                if fetch > MAX_WIDENED:
                    break
        allowed = table.ids[keep].tolist()
        if passing <= MAX_EXACT:
            return self._exact(vector, k, allowed, table, keep)
        hits = self._query(vector, min(k, passing), None, allowed=[str(i) for i in allowed])
        return table.kept(keep, hits)[:k]

    def _exact(
        self, vector: Vectors, k: int, ids: list[int], table: FieldTable, keep: np.ndarray
    ) -> list[VectorHit]:
        sims = self.similarities(vector, ids)
        hits = table.kept(keep, [VectorHit(i, s) for i, s in sims.items()])
        return sorted(hits, key=lambda h: (-h.similarity, h.event_id))[:k]

    def _table(self) -> FieldTable | None:
        """(first_day, last_day, price_min) of every row, read straight from Chroma's
        SQLite file (``chroma_fields``: the client's paged get took 39 s at 200,000
        rows), kept current by ``FilterFields``; None when that file does not have the
        expected layout (another Chroma version)."""
        return self._fields.current(self._stamp())

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

    def _query(
        self,
        vector: Vectors,
        k: int,
        where: dict[str, Any] | None,
        *,
        allowed: list[str] | None = None,
    ) -> list[VectorHit]:
        with self._guard("query"):
            result = self._open().query(
                query_embeddings=[np.asarray(vector, dtype=np.float32)],
                n_results=k,
                where=where,
                ids=allowed,
                include=["distances"],
            )
        ids = result["ids"][0] if result["ids"] else []
        distances = result["distances"][0] if result["distances"] else []
        return [VectorHit(int(i), 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def similarities(self, vector: Vectors, event_ids: Sequence[int]) -> dict[int, float]:
        if not event_ids:
            return {}
        ids, rows = self._vectors.rows(self._stamp(), event_ids, self._fetch_vectors)
        self._vectors.refill_when_quiet(self._stamp, self.remember_vectors)  # after writes
        if not ids:
            return {}
        sims = rows @ np.asarray(vector, dtype=np.float32)
        return {i: float(s) for i, s in zip(ids, sims, strict=True)}

    def _fetch_vectors(self, event_ids: list[int]) -> Fetched:
        with self._guard("similarities"):
            got = self._open().get(ids=[str(i) for i in event_ids], include=["embeddings"])
        return got["ids"], got["embeddings"]

    def remember_vectors(self) -> int:
        """Read every stored vector into memory for ``similarities`` (serve's warm-up);
        returns how many. A write drops them, to be read again once the files are quiet
        (the stamp is read once the collection is open: opening may write)."""
        with self._guard("remember vectors"):
            self._open()
        stamp = self._stamp()

        def pages() -> Iterator[Fetched]:
            offset = 0
            while True:
                with self._guard("remember vectors"):
                    page = self._open().get(include=["embeddings"], limit=_PAGE, offset=offset)
                yield page["ids"], page["embeddings"]
                if len(page["ids"]) < _PAGE:
                    return
                offset += _PAGE

        count = self._vectors.fill(stamp, pages())
        release_freed_memory()
        return count

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
