"""pgvector implementation of the vector index: vectors live beside the rows in PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, and_, delete, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import SQLAlchemyError

from yescount.errors import IndexMismatchError, SearchError
from yescount.ports import Clock, system_clock
from yescount.search.embedder import Vectors
from yescount.search.index import IndexedEvent, IndexInfo, VectorFilter, VectorHit, check_model
from yescount.storage.repositories.events import may_happen_between
from yescount.storage.search_schema import event_embeddings
from yescount.storage.tables import events, search_index_meta

BACKEND = "pgvector"
HNSW_INDEX = "ix_event_embeddings_hnsw"
# Same definition as migration 0002; rebuilt after bulk loads (faster than row by row).
HNSW_DDL = (
    f"CREATE INDEX IF NOT EXISTS {HNSW_INDEX} ON event_embeddings "
    "USING hnsw (embedding vector_cosine_ops) WITH (m = 32, ef_construction = 400)"
)
# Candidates explored per query: recall@20 0.98 at 50k events, ~2 ms (search_bench.py).
DEFAULT_EF_SEARCH = 200
_BATCH = 1_000
_TUNED = "yescount_hnsw_settings"


class PgVectorIndex:
    """Vectors in ``event_embeddings``; model and dimension in ``search_index_meta``."""

    def __init__(
        self,
        engine: Engine,
        *,
        model_name: str,
        dimension: int,
        ef_search: int = DEFAULT_EF_SEARCH,
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
        if not items:
            return
        now = self._clock()
        with self._conn("upsert") as conn:
            for start in range(0, len(items), _BATCH):
                rows = [
                    {
                        "event_id": i.event_id,
                        "embedding": np.asarray(i.vector, dtype=np.float32),
                        "content_hash": i.content_hash,
                        "model": self._model,
                        "updated_at": now,
                    }
                    for i in items[start : start + _BATCH]
                ]
                stmt = pg_insert(event_embeddings).values(rows)
                excluded = stmt.excluded
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["event_id"],
                        set_={
                            "embedding": excluded.embedding,
                            "content_hash": excluded.content_hash,
                            "model": excluded.model,
                            "updated_at": excluded.updated_at,
                        },
                    )
                )

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
        with self._conn("index build") as conn:
            conn.execute(text("SELECT set_config('maintenance_work_mem', '512MB', true)"))
            conn.execute(text(HNSW_DDL))

    # --- reads -----------------------------------------------------------------

    def query(
        self, vector: Vectors, *, k: int, where: VectorFilter | None = None
    ) -> list[VectorHit]:
        distance = event_embeddings.c.embedding.cosine_distance(_vec(vector)).label("distance")
        stmt: Any = select(event_embeddings.c.event_id, distance)
        filtered = where is not None and not where.empty
        if filtered:
            assert where is not None
            stmt = stmt.select_from(
                event_embeddings.join(events, events.c.id == event_embeddings.c.event_id)
            ).where(*_conditions(where))
        stmt = stmt.order_by(distance).limit(k)
        with self._conn("query", read=True) as conn:
            self._tune(conn, max(self.ef_search, k))
            rows = conn.execute(stmt).all()
        hits = [VectorHit(int(r.event_id), 1.0 - float(r.distance)) for r in rows]
        return sorted(hits, key=lambda h: -h.similarity)

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
        distance = event_embeddings.c.embedding.cosine_distance(_vec(vector))
        stmt = select(event_embeddings.c.event_id, distance.label("distance")).where(
            event_embeddings.c.event_id.in_(list(event_ids))
        )
        with self._conn("similarities", read=True) as conn:
            return {int(r.event_id): 1.0 - float(r.distance) for r in conn.execute(stmt)}

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


def _vec(vector: Vectors) -> Any:
    return np.asarray(vector, dtype=np.float32)


def _conditions(where: VectorFilter) -> list[Any]:
    conditions: list[Any] = []
    if where.window is not None:
        conditions.append(may_happen_between(*where.window))
    if where.max_price is not None:
        conditions.append(or_(events.c.price_min.is_(None), events.c.price_min <= where.max_price))
    return [and_(*conditions)] if conditions else []
