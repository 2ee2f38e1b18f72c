"""Built benchmark catalogues, cached: SQLite + Chroma on disk, a PostgreSQL database.

A build is keyed by size, seed, vector kind and a code version (a hash of the synthetic
generator, the migrations, the tables and the indexes' graph settings), so a rerun
opens ``data/bench-cache/<key>/`` and the ``yc_bench_<key>`` database instead of
building again; any change to those inputs builds afresh. ``--rebuild`` forces it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import chromadb
from sqlalchemy import Engine, create_engine, insert, text

from yescount.domain.events import EventRecord
from yescount.search import chroma_index, pgvector_index
from yescount.search.chroma_index import ChromaIndex
from yescount.search.embedder import Vectors
from yescount.search.index import (
    UNKNOWN_LAST_DAY,
    UNKNOWN_PRICE,
    IndexedEvent,
    day_number,
)
from yescount.search.pgvector_index import PgVectorIndex
from yescount.storage import migrate
from yescount.storage.engine import make_engine
from yescount.storage.repositories.events import record_values
from yescount.storage.tables import events

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "data" / "bench-cache"
NOW = datetime(2026, 11, 25, 15, tzinfo=UTC)
_KEYED_FILES = (
    "benchmarks/search_synthetic.py",
    "benchmarks/bench_vectors.py",
    "benchmarks/bench_build.py",
    "src/yescount/storage/tables.py",
    "src/yescount/storage/search_schema.py",
)


def code_version() -> str:
    """Hash of everything a built catalogue depends on (not the query-time settings)."""
    digest = hashlib.sha256()
    paths = [ROOT / p for p in _KEYED_FILES]
    paths += sorted((ROOT / "src/yescount/storage/migrations/versions").glob("*.py"))
    for path in paths:
        digest.update(path.read_bytes())
    digest.update(repr(chroma_index.HNSW_CONSTRUCTION).encode())
    digest.update(pgvector_index.HNSW_DDL.encode())
    digest.update(chromadb.__version__.encode())
    return digest.hexdigest()[:10]


@dataclass
class Built:
    """Where one size's catalogue lives and what building it cost (wall s, CPU s)."""

    key: str
    sqlite_url: str
    chroma_dir: Path
    pg_name: str
    costs: dict[str, tuple[float, float]] = field(default_factory=dict)
    cached: bool = False


def indexed(ids: list[int], records: list[EventRecord], vectors: Vectors) -> list[IndexedEvent]:
    items = []
    for event_id, record, vector in zip(ids, records, vectors, strict=True):
        last = record.date_end or record.date_start
        items.append(
            IndexedEvent(
                event_id=event_id,
                vector=vector,
                content_hash=record.content_hash(),
                first_day=day_number(record.date_start) if record.date_start else 0,
                last_day=day_number(last) if last else UNKNOWN_LAST_DAY,
                price_min=float(record.price_min)
                if record.price_min is not None
                else UNKNOWN_PRICE,
            )
        )
    return items


def _timed(costs: dict[str, tuple[float, float]], name: str, work: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    costs[name] = (time.perf_counter() - wall, time.process_time() - cpu)
    return result


def store_rows(engine: Engine, records: list[EventRecord]) -> list[int]:
    """Insert the rows in executemany batches; the ids in insertion order."""
    stamps = {"first_seen_at": NOW, "last_seen_at": NOW, "created_at": NOW, "updated_at": NOW}
    with engine.begin() as conn:
        for start in range(0, len(records), 5_000):
            rows = [record_values(r) | stamps for r in records[start : start + 5_000]]
            conn.execute(insert(events), rows)
        ids = conn.execute(text("SELECT id FROM events ORDER BY id")).scalars().all()
    return [int(i) for i in ids]


def event_ids(url: str) -> list[int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        ids = conn.execute(text("SELECT id FROM events ORDER BY id")).scalars().all()
    engine.dispose()
    return [int(i) for i in ids]


def build(
    count: int,
    kind: str,
    seed: int,
    records: list[EventRecord],
    vectors: Vectors,
    *,
    model_name: str,
    pg_admin_url: str,
    rebuild: bool,
) -> Built:
    """The catalogue of ``count`` events, from the cache when it is complete."""
    key = f"{count}_{kind}_s{seed}_{code_version()}"
    folder = CACHE_DIR / key
    built = Built(key, f"sqlite:///{folder}/bench.db", folder / "chroma", f"yc_bench_{key}")
    marker = folder / "ready.json"
    if marker.exists() and not rebuild and _pg_ready(pg_admin_url, built.pg_name):
        built.costs = {k: tuple(v) for k, v in json.loads(marker.read_text()).items()}  # type: ignore[misc]
        built.cached = True
        return built
    for old in CACHE_DIR.glob("_".join(key.split("_")[:3]) + "_*"):
        shutil.rmtree(old, ignore_errors=True)  # stale builds of this size and kind
    folder.mkdir(parents=True)
    costs = built.costs
    sqlite = make_engine(built.sqlite_url)
    migrate.migrate_to(sqlite, "head")
    ids = _timed(costs, "sqlite rows", lambda: store_rows(sqlite, records))
    sqlite.dispose()
    chroma = ChromaIndex(built.chroma_dir, model_name=model_name, dimension=vectors.shape[1])
    items = indexed(ids, records, vectors)
    _timed(costs, "chroma", lambda: chroma.upsert(items))
    pg = _create_pg(pg_admin_url, built.pg_name, key)
    migrate.migrate_to(pg, "head")
    pg_ids = _timed(costs, "pg rows", lambda: store_rows(pg, records))
    pgvector = PgVectorIndex(pg, model_name=model_name, dimension=vectors.shape[1])
    pg_items = indexed(pg_ids, records, vectors)

    def load_pgvector() -> None:
        pgvector.begin_bulk()
        pgvector.upsert(pg_items)
        pgvector.finish_bulk()

    _timed(costs, "pgvector (HNSW build in the server)", load_pgvector)
    # Steady state: autovacuum would have flushed the GIN pending list by now.
    with pg.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    pg.dispose()
    _mark_pg_ready(pg_admin_url, built.pg_name)
    marker.write_text(json.dumps(costs))
    return built


def pg_url(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def _admin(admin_url: str) -> Engine:
    return create_engine(admin_url, isolation_level="AUTOCOMMIT")


def _pg_ready(admin_url: str, name: str) -> bool:
    admin = _admin(admin_url)
    with admin.connect() as conn:
        comment = conn.execute(
            text(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                " WHERE datname = :name"
            ),
            {"name": name},
        ).scalar()
    admin.dispose()
    return comment == "yescount bench: ready"


def _create_pg(admin_url: str, name: str, key: str) -> Engine:
    """A new empty database for this key; stale builds of the same size and kind go."""
    prefix = "yc_bench_" + "_".join(key.split("_")[:3]) + "_"
    admin = _admin(admin_url)
    with admin.connect() as conn:
        stale = conn.execute(
            text("SELECT datname FROM pg_database WHERE starts_with(datname, :p)"), {"p": prefix}
        ).scalars()
        for old in [*stale, name]:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_engine(pg_url(admin_url, name))


def _mark_pg_ready(admin_url: str, name: str) -> None:
    admin = _admin(admin_url)
    with admin.connect() as conn:
        conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS 'yescount bench: ready'"))
    admin.dispose()
