"""The blind yardstick gate (issue 12): nDCG@10 >= 0.90 on the demo catalogue, real model,
on SQLite + Chroma and PostgreSQL + pgvector, and the issue's own examples.

The queries and their relevance rules are tests/fixtures/search/blind_queries.yaml
(written before any result was seen); the judge is tests/search_yardstick/. The same
figures print with ``python -m benchmarks.search_blind [--backend postgres]``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from tests.conftest import PG_ADMIN_URL
from tests.search_yardstick import Query, evaluate_search, load_query_set
from yescount.demo.catalogue import build_records
from yescount.domain.events import Event
from yescount.search.chroma_index import ChromaIndex
from yescount.search.embedder import LocalEmbedder
from yescount.search.index import VectorIndex
from yescount.search.pgvector_index import PgVectorIndex
from yescount.search.query import area_matches
from yescount.search.sync import sync_index
from yescount.services.search import search_events
from yescount.storage import migrate
from yescount.storage.engine import make_engine
from yescount.storage.uow import UnitOfWork, uow_factory

pytestmark = [pytest.mark.model, pytest.mark.slow]

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
BLIND_NDCG_FLOOR = 0.90


@dataclass
class Catalogue:
    engine: Engine
    index: VectorIndex
    embedder: LocalEmbedder
    events: list[Event]

    def search(self, query: str, limit: int = 10) -> list[Event]:
        result = search_events(
            query,
            uow_factory=uow_factory(self.engine),
            index=self.index,
            embedder=self.embedder,
            clock=lambda: NOW,
            limit=limit,
        )
        assert not result.degraded, result.degraded_reason
        return [hit.event for hit in result.hits]


@pytest.fixture(scope="module")
def embedder() -> LocalEmbedder:
    model = LocalEmbedder()
    model.warm_up()
    return model


def _load(engine: Engine, index: VectorIndex, embedder: LocalEmbedder) -> Catalogue:
    migrate.migrate_to(engine, "head")
    with UnitOfWork(engine, write=True) as uow:
        ids = [uow.events.upsert(record, now=NOW)[0] for record in build_records(TODAY)]
        uow.commit()
    sync_index(uow_factory=uow_factory(engine), index=index, embedder=embedder, clock=lambda: NOW)
    with UnitOfWork(engine, write=False) as uow:
        events = list(uow.events.get_many(ids).values())
    return Catalogue(engine, index, embedder, events)


@pytest.fixture(scope="module")
def sqlite_catalogue(
    tmp_path_factory: pytest.TempPathFactory, embedder: LocalEmbedder
) -> Iterator[Catalogue]:
    tmp: Path = tmp_path_factory.mktemp("blind")
    engine = make_engine(f"sqlite:///{tmp / 'blind.db'}")
    index = ChromaIndex(tmp / "chroma", model_name=embedder.model_name, dimension=384)
    yield _load(engine, index, embedder)
    engine.dispose()


@pytest.fixture(scope="module")
def pg_catalogue(pg_server_url: str, embedder: LocalEmbedder) -> Iterator[Catalogue]:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"yc_blind_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    index = PgVectorIndex(engine, model_name=embedder.model_name, dimension=384)
    try:
        yield _load(engine, index, embedder)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _gate(catalogue: Catalogue, label: str) -> None:
    queries = load_query_set().queries
    result = evaluate_search(queries, catalogue.search, catalogue.events, today=TODAY)
    worst = ", ".join(f"{qid} {score:.2f}" for qid, score in result.worst(8))
    print(f"{label}: blind nDCG@10 {result.mean:.3f} ({len(result.judged)} queries); {worst}")
    assert result.mean >= BLIND_NDCG_FLOOR, worst


def test_blind_set_sqlite_chroma(sqlite_catalogue: Catalogue) -> None:
    _gate(sqlite_catalogue, "SQLite + Chroma")


@pytest.mark.postgres
def test_blind_set_postgres_pgvector(pg_catalogue: Catalogue) -> None:
    _gate(pg_catalogue, "PostgreSQL + pgvector")


# --- The examples, one test each (SQLite + Chroma) --------------------------


def _query(text_: str) -> Query:
    return next(q for q in load_query_set().queries if q.text == text_)


def _fitting(catalogue: Catalogue, text_: str) -> Callable[[Event], int]:
    query = _query(text_)
    return lambda event: query.grade(event, today=TODAY)


def _titles(events: list[Event]) -> list[str]:
    return [e.title for e in events]


def test_comedy_finds_every_comedy_event(sqlite_catalogue: Catalogue) -> None:
    grade = _fitting(sqlite_catalogue, "comedy")
    comedy = {e.id for e in sqlite_catalogue.events if grade(e)}
    assert len(comedy) == 11  # what the issue counted in the demo catalogue
    found = sqlite_catalogue.search("comedy", limit=20)
    assert {e.id for e in found[:11]} == comedy, _titles(found)
    for title in ("Stand-Up in a Laundromat", "Drag Bingo", "Improv", "Sideshow Burlesque"):
        assert any(title in t for t in _titles(found[:11])), title
    assert not any("poetry" in e.title.lower() for e in found[:11])


def test_cheap_immersive_art_is_cheap_and_immersive(sqlite_catalogue: Catalogue) -> None:
    found = sqlite_catalogue.search("cheap immersive art")
    top = found[:5]
    assert all(e.price_min is None or e.price_min <= 25 for e in top), _titles(top)
    titles = " | ".join(_titles(top))
    assert "Glow" in titles
    assert "Rooms of Verse" in titles
    assert "Gatsby" not in titles
    assert "Masquerade" not in titles


def test_live_jazz_in_brooklyn_starts_in_brooklyn(sqlite_catalogue: Catalogue) -> None:
    found = sqlite_catalogue.search("live jazz in brooklyn")
    first = found[0]
    assert "jazz" in f"{first.title} {first.description}".lower()
    assert area_matches("brooklyn", first.location), first.location
    assert not area_matches("harlem", first.location)


def test_spooky_ghost_stories_finds_about_ten(sqlite_catalogue: Catalogue) -> None:
    grade = _fitting(sqlite_catalogue, "spooky ghost stories")
    found = sqlite_catalogue.search("spooky ghost stories")
    assert all(grade(e) for e in found[:5]), _titles(found[:5])
    assert sum(1 for e in found[:10] if grade(e)) >= 8, _titles(found)


@pytest.mark.parametrize("text_", ["boat ride on the water", "classical music concert"])
def test_boat_and_classical_find_most_of_what_fits(sqlite_catalogue: Catalogue, text_: str) -> None:
    grade = _fitting(sqlite_catalogue, text_)
    fitting = [e for e in sqlite_catalogue.events if grade(e)]
    found = sqlite_catalogue.search(text_)
    assert all(grade(e) for e in found[:5]), _titles(found[:5])
    hits = sum(1 for e in found[:10] if grade(e))
    assert hits >= min(10, len(fitting)) * 0.7, (_titles(found), len(fitting))


def test_answers_explain_each_hit(sqlite_catalogue: Catalogue) -> None:
    result = search_events(
        "comedy in brooklyn",
        uow_factory=uow_factory(sqlite_catalogue.engine),
        index=sqlite_catalogue.index,
        embedder=sqlite_catalogue.embedder,
        clock=lambda: NOW,
        limit=5,
    )
    first = result.hits[0]
    assert first.why[0] == "comedy"
    assert "in Brooklyn" in first.why
