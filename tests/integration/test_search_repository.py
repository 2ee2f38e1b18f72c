"""The search repository on SQLite and PostgreSQL, and the fake that service unit tests use.

The same events go into the real database and into ``tests/fakes.FakeStore``; every
filtered read (tag, browse, passing ids, indexable rows, the vocabulary) must give the
same answer on both, so tests/unit/test_services_search.py rests on real behaviour.
Full-text ranking itself is tested in test_search_lexical.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from tests.factories.events import event_record
from tests.fakes import FakeStore
from yescount.domain.events import DateStatus
from yescount.domain.search import LexicalHit, SearchFilters
from yescount.ports import SearchRepository
from yescount.storage.uow import UnitOfWork

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TODAY = date(2026, 11, 25)

FILTERS = (
    SearchFilters(),
    SearchFilters(include_past=True),
    SearchFilters(date_from=date(2026, 12, 1), date_to=date(2026, 12, 6)),
    SearchFilters(date_to=date(2026, 12, 4)),
    SearchFilters(max_price=Decimal(20)),
    SearchFilters(max_price=Decimal(0)),
    SearchFilters(vibe_tags=("comedy", "outdoor")),
    SearchFilters(sources=("nyc_open_data",)),
    SearchFilters(sources=()),
)


def _records() -> list[dict[str, object]]:
    return [
        {"date_start": date(2026, 12, 2), "vibe_tags": ("music",)},
        {"date_start": date(2026, 12, 20), "price_min": Decimal(90), "price_max": None},
        {"date_start": date(2026, 12, 4), "price_min": Decimal(0), "price_max": Decimal(0)},
        {"date_start": date(2026, 12, 5), "price_min": None, "price_max": None},
        {"date_status": DateStatus.UNCLEAR, "date_start": None, "location": None},
        {"date_start": date(2026, 11, 1)},
        {
            "date_status": DateStatus.RANGE,
            "date_start": date(2026, 11, 1),
            "date_end": date(2026, 12, 3),
        },
        {"date_status": DateStatus.RANGE, "date_start": date(2026, 11, 20), "date_end": None},
        {"source": "nyc_open_data", "date_start": date(2026, 12, 6)},
        {"date_start": date(2026, 12, 7), "vibe_tags": ("comedy", "food")},
        {"date_start": date(2026, 12, 8), "vibe_tags": ("outdoor",)},
        {"date_start": date(2026, 12, 8)},  # becomes a duplicate of the first
    ]


@pytest.fixture
def both(engine: Engine) -> tuple[Engine, FakeStore]:
    """The same catalogue in the database and in a fake store (same ids)."""
    with UnitOfWork(engine) as uow:
        ids = [uow.events.upsert(event_record(**r), now=NOW)[0] for r in _records()]
        uow.events.merge_duplicate(ids[-1], ids[0])
        stored = uow.events.get_many(ids)
        uow.commit()
    fake = FakeStore()
    with fake.uow() as uow:
        for event_id in ids:
            uow.events.add(stored[event_id])
        uow.events.merge_duplicate(ids[-1], ids[0])
        uow.commit()
    return engine, fake


def _ids(hits: list[LexicalHit]) -> list[int]:
    return [h.event_id for h in hits]


def _read(repo: SearchRepository, filters: SearchFilters, every: list[int]) -> dict[str, object]:
    return {
        "tagged": sorted(_ids(repo.tagged(["music", "comedy"], filters=filters, today=TODAY))),
        "browse": _ids(repo.browse(filters=filters, today=TODAY, limit=50)),
        "passing": sorted(repo.passing(every, filters=filters, today=TODAY)),
    }


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_the_fake_filters_like_the_database(
    both: tuple[Engine, FakeStore], filters: SearchFilters
) -> None:
    engine, fake = both
    with UnitOfWork(engine, write=False) as real_uow, fake.uow(write=False) as fake_uow:
        every = sorted(fake_uow.events.get_many(range(1, 10_000)))
        real = _read(real_uow.search, filters, every)
        assert real == _read(fake_uow.search, filters, every)
        # Each filter set keeps something, except "no source at all".
        assert bool(real["browse"]) == (filters.sources != ())


def test_rows_carry_the_canonical_event(both: tuple[Engine, FakeStore]) -> None:
    engine, fake = both
    with UnitOfWork(engine, write=False) as uow, fake.uow(write=False) as fake_uow:
        hits = uow.search.browse(filters=SearchFilters(), today=TODAY)
        expected = fake_uow.events.get_many(h.event_id for h in hits)
        assert {h.event_id: h.event for h in hits} == expected
        assert all(h.score == 0.0 for h in hits)


def test_indexable_rows_and_vocabulary_agree(both: tuple[Engine, FakeStore]) -> None:
    engine, fake = both
    with UnitOfWork(engine, write=False) as uow, fake.uow(write=False) as fake_uow:
        real, double = uow.search, fake_uow.search
        indexable = [e.id for e in real.indexable(TODAY)]
        assert indexable == [e.id for e in double.indexable(TODAY)]
        assert indexable == sorted(indexable)
        some = [*indexable[:3], 99_999]
        assert [e.id for e in real.indexable(TODAY, ids=some)] == indexable[:3]
        assert [e.id for e in double.indexable(TODAY, ids=some)] == indexable[:3]
        assert sorted(real.titles_and_places(), key=str) == sorted(
            double.titles_and_places(), key=str
        )
        assert real.database_key == str(engine.url)


def test_empty_inputs_ask_nothing(both: tuple[Engine, FakeStore]) -> None:
    engine, _ = both
    with UnitOfWork(engine, write=False) as uow:
        search = uow.search
        assert search.lexical_search([], filters=SearchFilters(), today=TODAY) == []
        assert search.any_term_search([" "], filters=SearchFilters(), today=TODAY) == []
        assert search.tagged([], filters=SearchFilters(), today=TODAY) == []
        assert search.passing(set(), filters=SearchFilters(), today=TODAY) == {}
