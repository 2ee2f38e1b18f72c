"""pgvector implementation of the vector index: vectors live beside the rows in PostgreSQL."""

from __future__ import annotations

import functools
import re
import struct
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from pgvector.sqlalchemy import HALFVEC, VECTOR
from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    String,
    and_,
    any_,
    bindparam,
    cast,
    delete,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import SQLAlchemyError

from yescount.errors import IndexMismatchError, SearchError
from yescount.ports import Clock, system_clock
from yescount.search.embedder import Vectors
from yescount.search.index import IndexedEvent, IndexInfo, VectorFilter, VectorHit, check_model
from yescount.storage.repositories.events import may_happen_between
from yescount.storage.search_schema import EMBEDDING_DIMENSION, event_embeddings
from yescount.storage.tables import events, search_index_meta

BACKEND = "pgvector"
HNSW_INDEX = "ix_event_embeddings_hnsw"
# The graph indexes half-precision copies of the vectors (``embedding::halfvec``, an
# expression index, migration 0008); searches order by the same cast and report the
# float32 similarity. Built after bulk loads (faster than row by row); ``finish_bulk``
# rebuilds an index with other settings.
# benchmarks/bench_hnsw.py, 2026-12-03 (load 4-8, 2 cores), recall@20 at ef_search
# 100 / 200 / 400 (index size, build): 50,000 rows, m 16, ef_construction 256, float32
# 0.956 / 0.988 / 0.997 (98 MB, 53 s), halfvec 0.957 / 0.980 / 0.995 (56 MB, 33 s;
# server p50 1.2 / 2.3 / 3.8 ms); m 32 / 128 float32 0.918 / 0.950 / 0.994 (65 s).
# 200,000: float32 0.877 / 0.940 / 0.963, halfvec 0.856 / 0.930 / 0.946 (both 0.973
# at 800; 391 / 223 MB, 224 / 203 s; server p50 ~10 ms at 400, ~36 at 800). m 32
# doubles the build for no better recall per millisecond. At 200,000 a query at 400
# touches ~2,900 index pages: 12 ms in shared_buffers, 37 ms from the OS cache, so
# the server needs shared_buffers above the index size (the default is 128 MB).
HNSW_DDL = (
    f"CREATE INDEX IF NOT EXISTS {HNSW_INDEX} ON event_embeddings USING hnsw "
    f"((embedding::halfvec({EMBEDDING_DIMENSION})) halfvec_cosine_ops) "
    "WITH (m = 16, ef_construction = 256)"
)
# Candidates explored per query (see above), by the table's size: below LARGE_TABLE
# rows 200 (search_bench.py at 50,000: recall@20 0.982, filtered 0.974-0.997; 400 gave
# 0.992 for ~1.6x the server time), from there 400 (200,000: 0.974, filtered
# 0.936-0.969; 800 reaches 0.981 but triples the query time).
SMALL_EF_SEARCH = 200
DEFAULT_EF_SEARCH = 400
LARGE_TABLE = 100_000
_ROWS = "yescount_hnsw_rows"
_ROWS_TTL = 600.0
RERANK = 2  # rows fetched by the half-precision order per row kept by float32 order
_BATCH = 1_000
_TUNED = "yescount_hnsw_settings"
_STAGING_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS event_embeddings_in "
    "(LIKE event_embeddings INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
)
_COPY_STAGING = (
    "COPY event_embeddings_in (event_id, embedding, content_hash, model, updated_at) "
    "FROM STDIN (FORMAT binary)"
)
_MERGE_STAGING = (
    "INSERT INTO event_embeddings (event_id, embedding, content_hash, model, updated_at) "
    "SELECT event_id, embedding, content_hash, model, updated_at FROM event_embeddings_in "
    "ON CONFLICT (event_id) DO UPDATE SET embedding = excluded.embedding, "
    "content_hash = excluded.content_hash, model = excluded.model, "
    "updated_at = excluded.updated_at"
)
# PostgreSQL's binary COPY framing: signature, flags, header extension; -1 ends it.
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_COPY_TRAILER, _PG_EPOCH = struct.pack(">h", -1), datetime(2000, 1, 1, tzinfo=UTC)


class PgVectorIndex:
    """Vectors in ``event_embeddings``; model and dimension in ``search_index_meta``."""

    def __init__(
        self,
        engine: Engine,
        *,
        model_name: str,
        dimension: int,
        ef_search: int | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.engine = engine
        self._model = model_name
        self._dimension = dimension
        self.ef_search = ef_search
        self._clock = clock
        self._checked = False
        self._iterative_scan: bool | None = None

    @property
    def backend(self) -> str:
        return BACKEND

    @property
    def model_name(self) -> str:
        return self._model

    @property
    def dimension(self) -> int:
        return self._dimension

    @contextmanager
    def _conn(self, action: str, *, check: bool = True, read: bool = False) -> Iterator[Connection]:
        """A transaction for writes; an autocommit connection (no BEGIN/COMMIT) for reads."""
        if self.engine.dialect.name != "postgresql":
            raise SearchError(
                "The pgvector index needs DATABASE_URL to point at PostgreSQL.",
                code="vector_backend_unsupported",
                retryable=False,
            )
        try:
            opened = (
                self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                if read
                else self.engine.begin()
            )
            with opened as conn:
                if check and not self._checked:
                    self._check(conn)
                yield conn
        except (IndexMismatchError, SearchError):
            raise
        except SQLAlchemyError as exc:
            raise SearchError(
                f"pgvector index unavailable ({action}): {str(exc).splitlines()[0]}",
                code="vector_index_unavailable",
            ) from exc

    def _check(self, conn: Connection) -> None:
        """Compare the stored model with ours; record ours on first use."""
        row = conn.execute(
            select(search_index_meta.c.model, search_index_meta.c.dimension).where(
                search_index_meta.c.backend == BACKEND
            )
        ).first()
        stored = (str(row.model), int(row.dimension)) if row else None
        if stored is None:
            other = conn.execute(
                select(event_embeddings.c.model)
                .where(event_embeddings.c.model != self._model)
                .limit(1)
            ).scalar()
            stored = (str(other), self._dimension) if other else None
        check_model(BACKEND, stored, (self._model, self._dimension))
        if row is None:
            self._write_meta(conn)
        self._checked = True

    def _write_meta(self, conn: Connection) -> None:
        values = {"model": self._model, "dimension": self._dimension, "updated_at": self._clock()}
        stmt = pg_insert(search_index_meta).values(backend=BACKEND, **values)
        conn.execute(stmt.on_conflict_do_update(index_elements=["backend"], set_=values))

    # --- writes ----------------------------------------------------------------

    def upsert(self, items: Sequence[IndexedEvent]) -> None:
        """One binary COPY into a staging table, then one INSERT ... ON CONFLICT.

        ~20x faster than multi-row VALUES, where every vector went through Python as
        text (200,000 vectors: minutes of client CPU).
        """
        if not items:
            return
        now = self._clock()
        with self._conn("upsert") as conn:
            conn.execute(text(_STAGING_DDL))
            raw = conn.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cur, cur.copy(_COPY_STAGING) as copy:
                copy.write(_COPY_SIGNATURE)
                for start in range(0, len(items), _BATCH):
                    chunk = items[start : start + _BATCH]
                    copy.write(_copy_rows(chunk, self._model, now))
                copy.write(_COPY_TRAILER)
            conn.execute(text(_MERGE_STAGING))

    def delete(self, event_ids: Sequence[int]) -> None:
        if not event_ids:
            return
        with self._conn("delete") as conn:
            ids = list(event_ids)
            for start in range(0, len(ids), _BATCH):
                chunk = ids[start : start + _BATCH]
                conn.execute(delete(event_embeddings).where(event_embeddings.c.event_id.in_(chunk)))

    def reset(self) -> None:
        self._checked = True  # a reset is how a mismatch gets resolved
        with self._conn("reset") as conn:
            conn.execute(text("TRUNCATE event_embeddings"))
            self._write_meta(conn)

    def begin_bulk(self) -> None:
        with self._conn("bulk load") as conn:
            conn.execute(text(f"DROP INDEX IF EXISTS {HNSW_INDEX}"))

    def finish_bulk(self) -> None:
        """Build the HNSW index when missing, or rebuild it when its settings or its
        operator class are not ``HNSW_DDL``'s (an index built by older code)."""
        with self._conn("index build") as conn:
            current = conn.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                {"name": HNSW_INDEX},
            ).scalar()
            if current is not None and _graph_settings(current) == _graph_settings(HNSW_DDL):
                return
            conn.execute(text(f"DROP INDEX IF EXISTS {HNSW_INDEX}"))
            # The graph must fit in memory while it is built (~2 KB a vector), or the
            # build falls back to slow on-disk inserts.
            conn.execute(text("SELECT set_config('maintenance_work_mem', '1GB', true)"))
            conn.execute(text(HNSW_DDL))

    # --- reads -----------------------------------------------------------------

    def query(
        self, vector: Vectors, *, k: int, where: VectorFilter | None = None
    ) -> list[VectorHit]:
        # The graph orders by the half-precision distance, which cannot tell near-ties
        # apart: RERANK times k rows come back and the k best by float32 are kept.
        distance = event_embeddings.c.embedding.cosine_distance(_QUERY).label("distance")
        stmt: Any = select(event_embeddings.c.event_id, distance)
        filtered = where is not None and not where.empty
        if filtered:
            assert where is not None
            stmt = stmt.select_from(
                event_embeddings.join(events, events.c.id == event_embeddings.c.event_id)
            ).where(*_conditions(where))
        fetch = k * RERANK
        stmt = stmt.order_by(_HALF.cosine_distance(cast(_QUERY, _HALF.type))).limit(fetch)
        with self._conn("query", read=True) as conn:
            self._tune(conn, max(self._ef_search(conn), fetch))
            rows = conn.execute(stmt, {"vec": _vec(vector)}).all()
        hits = [VectorHit(int(r.event_id), 1.0 - float(r.distance)) for r in rows]
        return sorted(hits, key=lambda h: -h.similarity)[:k]

    def _ef_search(self, conn: Connection) -> int:
        """The given ef_search, else one for the table's size, estimated again by a
        pooled connection every _ROWS_TTL seconds (the planner's row estimate; a count
        when the table was never analyzed)."""
        if self.ef_search is not None:
            return self.ef_search
        known = conn.info.get(_ROWS)
        if known is None or time.monotonic() - known[1] > _ROWS_TTL:
            rows = conn.execute(
                text("SELECT reltuples FROM pg_class WHERE oid = 'event_embeddings'::regclass")
            ).scalar()
            if rows is None or rows < 0:
                rows = conn.execute(select(func.count()).select_from(event_embeddings)).scalar()
            known = conn.info[_ROWS] = (int(rows or 0), time.monotonic())
        return DEFAULT_EF_SEARCH if known[0] >= LARGE_TABLE else SMALL_EF_SEARCH

    def _tune(self, conn: Connection, ef_search: int) -> None:
        """Session settings of this pooled connection, sent only when they change.

        Both only affect HNSW scans. Iterative scans (pgvector >= 0.8) keep walking
        the graph until ``k`` rows pass a filter; results may come slightly out of
        order, which ``query`` re-sorts.
        """
        wanted = (ef_search, self._supports_iterative_scan(conn))
        if conn.info.get(_TUNED) == wanted:
            return
        conn.execute(
            text("SELECT set_config('hnsw.ef_search', :ef, false)"), {"ef": str(ef_search)}
        )
        if wanted[1]:
            conn.execute(text("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', false)"))
        conn.info[_TUNED] = wanted

    def _supports_iterative_scan(self, conn: Connection) -> bool:
        if self._iterative_scan is None:
            version = conn.execute(
                text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
            ).scalar()
            parts = tuple(int(p) for p in str(version or "0").split(".")[:2] if p.isdigit())
            self._iterative_scan = parts >= (0, 8)
        return self._iterative_scan

    def similarities(self, vector: Vectors, event_ids: Sequence[int]) -> dict[int, float]:
        if not event_ids:
            return {}
        # One array parameter (``= ANY(:ids)``), not an IN list of ~150 parameters: the
        # statement text stays the same whatever the count, so psycopg and the server
        # reuse it (50,000 events: this stage 9.9 -> 1.4 ms p50, search_bench.py).
        ids = [int(i) for i in event_ids]
        with self._conn("similarities", read=True) as conn:
            rows = conn.execute(_SIMILARITIES, {"vec": _vec(vector), "ids": ids})
            return {int(r.event_id): 1.0 - float(r.distance) for r in rows}

    def content_hashes(self) -> dict[int, str]:
        stmt = select(event_embeddings.c.event_id, event_embeddings.c.content_hash)
        with self._conn("list") as conn:
            return {int(r.event_id): str(r.content_hash) for r in conn.execute(stmt)}

    def info(self) -> IndexInfo:
        with self._conn("info", check=False) as conn:
            row = conn.execute(
                select(search_index_meta.c.model, search_index_meta.c.dimension).where(
                    search_index_meta.c.backend == BACKEND
                )
            ).first()
            count = conn.execute(select(func.count()).select_from(event_embeddings)).scalar_one()
        return IndexInfo(
            BACKEND,
            str(row.model) if row else None,
            int(row.dimension) if row else None,
            int(count),
        )


_HALF = cast(event_embeddings.c.embedding, HALFVEC(EMBEDDING_DIMENSION))
# The query vector: one bound text (``_vec``), cast in the server (to halfvec too).
_QUERY = cast(bindparam("vec", type_=String()), VECTOR(EMBEDDING_DIMENSION))
_SIMILARITIES = select(
    event_embeddings.c.event_id,
    event_embeddings.c.embedding.cosine_distance(_QUERY).label("distance"),
).where(event_embeddings.c.event_id == any_(bindparam("ids", type_=ARRAY(BigInteger))))


def _copy_rows(items: Sequence[IndexedEvent], model: str, now: datetime) -> bytes:
    """Binary COPY tuples (event_id, embedding, content_hash, model, updated_at)."""
    matrix = np.stack([i.vector for i in items]).astype(">f4")
    dimension = matrix.shape[1]
    vector_head = struct.pack(">ihh", 4 + 4 * dimension, dimension, 0)
    model_field = _text_field(model)
    aware = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    micros = (aware - _PG_EPOCH) // timedelta(microseconds=1)
    stamp_field = struct.pack(">iq", 8, micros)
    parts: list[bytes] = []
    for item, row in zip(items, matrix, strict=True):
        parts += (
            struct.pack(">hiq", 5, 8, item.event_id),
            vector_head,
            row.tobytes(),
            _text_field(item.content_hash),
            model_field,
            stamp_field,
        )
    return b"".join(parts)


def _graph_settings(ddl: str) -> dict[str, int | str]:
    """``{"ops": "halfvec_cosine_ops", "m": 16, "ef_construction": 256}`` from an
    index definition."""
    found: dict[str, int | str] = {
        name: int(value) for name, value in re.findall(r"\b(m|ef_construction)\s*=\s*'?(\d+)", ddl)
    }
    ops = re.search(r"\b(\w+_ops)\b", ddl)
    found["ops"] = ops.group(1) if ops else ""
    return found


def _text_field(value: str) -> bytes:
    data = value.encode()
    return struct.pack(">i", len(data)) + data


def _vec(vector: Vectors) -> str:
    """pgvector's text form of ``vector`` (nine significant digits give back each float32),
    made once for a search's index query and its similarities: 0.06 ms, where pgvector's
    bind processors took ~0.25 ms three times a search, holding the GIL."""
    return _vector_text(np.asarray(vector, dtype=np.float32).tobytes())


@functools.lru_cache(maxsize=8)
def _vector_text(values: bytes) -> str:
    floats = np.frombuffer(values, dtype=np.float32).tolist()
    return "[" + ",".join(["%.9g"] * len(floats)) % tuple(floats) + "]"


def _conditions(where: VectorFilter) -> list[Any]:
    conditions: list[Any] = []
    if where.window is not None:
        conditions.append(may_happen_between(*where.window))
    if where.max_price is not None:
        conditions.append(or_(events.c.price_min.is_(None), events.c.price_min <= where.max_price))
    return [and_(*conditions)] if conditions else []
