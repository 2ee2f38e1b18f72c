"""Migration 0008: the pgvector HNSW index over ``embedding::halfvec(384)``.

Upgrading rebuilds the index from the vectors already stored, the statements
``PgVectorIndex.query`` sends (unfiltered and filtered) are planned through it, their
similarities stay float32, and the downgrade restores the float32 index of 0007.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Connection, Engine, insert, text

from tests.factories.events import event_record
from tests.factories.statements import captured
from yescount.search.index import IndexedEvent, VectorFilter
from yescount.search.pgvector_index import HNSW_DDL, HNSW_INDEX, PgVectorIndex, _graph_settings
from yescount.storage import migrate
from yescount.storage.repositories.events import record_values
from yescount.storage.tables import events

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
CATALOGUE = 3_000


def _index_definition(engine: Engine) -> str | None:
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"), {"n": HNSW_INDEX}
        ).scalar_one_or_none()
    return None if found is None else str(found)


def _store(conn: Connection, count: int) -> list[int]:
    stamps = dict.fromkeys(("first_seen_at", "last_seen_at", "created_at", "updated_at"), NOW)
    rows = []
    for n in range(count):
        record = event_record(
            title=f"Event {n}",
            date_start=date(2026, 12, 1) + timedelta(days=n % 60),
            price_min=Decimal(n % 50),
            price_max=Decimal(n % 50),
        )
        rows.append(record_values(record) | stamps)
    conn.execute(insert(events), rows)
    return [int(i) for i in conn.execute(text("SELECT id FROM events ORDER BY id")).scalars()]


def _query_plan(engine: Engine, index: PgVectorIndex, vector: np.ndarray, **where: Any) -> str:
    """The plan of the search statement ``index.query`` sends (not a copy of it).

    At 3,000 rows the planner rightly prefers reading (and sorting) every row; with
    sequential scans and sorts priced out this shows whether the statement can use the index at all
    (its ORDER BY must be the indexed expression, or it never will).
    """
    with captured(engine) as sent:
        index.query(vector, k=50, where=VectorFilter(**where) if where else None)
    [(statement, parameters)] = [s for s in sent if "ORDER BY" in s[0]]
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        conn.execute(text("SET LOCAL enable_sort = off"))
        rows = conn.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        return "\n".join(str(row[0]) for row in rows)


def test_0008_indexes_half_precision_vectors_and_downgrades_to_float32(
    pg_engine: Engine,
) -> None:
    engine = pg_engine
    migrate.migrate_to(engine, "0007")
    with engine.begin() as conn:
        ids = _store(conn, CATALOGUE)
    rng = np.random.default_rng(8)
    vectors = rng.standard_normal((CATALOGUE, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = PgVectorIndex(engine, model_name="test/hashing", dimension=384)
    index.upsert(
        [
            IndexedEvent(event_id=i, vector=v, content_hash=str(i))
            for i, v in zip(ids, vectors, strict=True)
        ]
    )
    assert "vector_cosine_ops" in str(_index_definition(engine))

    migrate.migrate_to(engine, "0008")
    definition = str(_index_definition(engine))
    assert "halfvec(384)" in definition
    assert "halfvec_cosine_ops" in definition
    assert _graph_settings(definition) == _graph_settings(HNSW_DDL)

    query = vectors[17] + 0.05 * vectors[18]
    query /= np.linalg.norm(query)
    hits = index.query(query, k=5)
    assert hits[0].event_id == ids[17]
    # Similarities are the float32 ones, not the half-precision distances.
    assert hits[0].similarity == pytest.approx(float(vectors[17] @ query), abs=1e-6)
    assert [h.similarity for h in hits] == sorted((h.similarity for h in hits), reverse=True)

    assert HNSW_INDEX in _query_plan(engine, index, query)
    assert HNSW_INDEX in _query_plan(engine, index, query, max_price=10.0)
    window = (date(2026, 12, 20), date(2026, 12, 27))
    assert HNSW_INDEX in _query_plan(engine, index, query, window=window, max_price=10.0)
    cheap = index.query(query, k=20, where=VectorFilter(max_price=10.0))
    assert len(cheap) == 20
    assert all((ids.index(h.event_id) % 50) <= 10 for h in cheap)

    index.finish_bulk()  # settings match: the index is kept
    assert _index_definition(engine) == definition

    migrate.migrate_to(engine, "0007")
    assert "vector_cosine_ops" in str(_index_definition(engine))
    assert index.query(query, k=5)[0].event_id == ids[17]
    migrate.migrate_to(engine, "head")
    assert "halfvec_cosine_ops" in str(_index_definition(engine))
