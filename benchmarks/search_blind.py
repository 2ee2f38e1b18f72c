"""Blind query set (tests/fixtures/search/blind_queries.yaml) on the demo catalogue.

    .venv/bin/python -m benchmarks.search_blind [--backend sqlite|postgres] [--worst 20]
        [--show QUERY_ID ...] [--text-only]

Loads the demo catalogue (dated from a fixed day) into a fresh database, indexes
it with the real model, runs every blind query through ``search_events`` and
prints nDCG@10 (mean, the worst queries, and for ``--show`` the top 10 with
grades). The gate with the same figure is tests/integration/test_search_blind.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.search_yardstick import evaluate_search, load_query_set
from tests.search_yardstick.metrics import ranked_grades
from yescount.demo.catalogue import build_records
from yescount.search.chroma_index import ChromaIndex
from yescount.search.embedder import LocalEmbedder
from yescount.search.index import VectorIndex
from yescount.search.pgvector_index import PgVectorIndex
from yescount.search.sync import sync_index
from yescount.services.search import search_events
from yescount.storage import migrate
from yescount.storage.engine import make_engine
from yescount.storage.uow import UnitOfWork, uow_factory

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--worst", type=int, default=20)
    parser.add_argument("--show", nargs="*", default=[])
    parser.add_argument("--text-only", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        engine, drop = _database(args.backend, Path(tmp))
        try:
            _run(engine, Path(tmp), args)
        finally:
            engine.dispose()
            drop()
    return 0


def _database(backend: str, tmp: Path):  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp / 'blind.db'}")
        migrate.migrate_to(engine, "head")
        return engine, lambda: None
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"yc_blind_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
    migrate.migrate_to(engine, "head")

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return engine, drop


def _run(engine, tmp: Path, args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    today = NOW.date()
    records = build_records(today)
    with UnitOfWork(engine, write=True) as uow:
        ids = [uow.events.upsert(record, now=NOW)[0] for record in records]
        uow.commit()
    embedder = LocalEmbedder()
    index: VectorIndex | None
    if args.backend == "postgres":
        index = PgVectorIndex(engine, model_name=embedder.model_name, dimension=384)
    else:
        index = ChromaIndex(tmp / "chroma", model_name=embedder.model_name, dimension=384)
    clock = lambda: NOW  # noqa: E731
    sync_index(uow_factory=uow_factory(engine), index=index, embedder=embedder, clock=clock)
    if args.text_only:
        index = None
    with UnitOfWork(engine, write=False) as uow:
        catalogue = list(uow.events.get_many(ids).values())

    def search(query: str):  # type: ignore[no-untyped-def]
        result = search_events(
            query,
            uow_factory=uow_factory(engine),
            index=index,
            embedder=embedder,
            clock=clock,
            limit=10,
        )
        return [h.event for h in result.hits]

    queries = load_query_set().queries
    result = evaluate_search(queries, search, catalogue, today=today)
    print(f"{args.backend}: blind nDCG@10 {result.mean:.3f} over {len(result.judged)} queries")
    by_id = {q.id: q for q in queries}
    for qid, score in result.worst(args.worst):
        print(f"  {score:.3f}  {qid}: {by_id[qid].text}")
    for qid in args.show:
        query = by_id[qid]
        hits = search_events(
            query.text,
            uow_factory=uow_factory(engine),
            index=index,
            embedder=embedder,
            clock=clock,
            limit=10,
        ).hits
        grades = ranked_grades(query, [h.event for h in hits], today=today)
        ideal = sorted((query.grade(r, today=today) for r in catalogue), reverse=True)
        print(f"\n{qid}: {query.text!r}  ideal: {ideal[:12]} ({sum(1 for g in ideal if g)} fit)")
        for hit, grade in zip(hits, grades, strict=True):
            print(f"  {grade} {hit.score:.3f} {hit.event.title[:60]} | {', '.join(hit.why)}")
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
