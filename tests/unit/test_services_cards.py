"""The voting-cards service on the fake unit of work (curation, fallback, search path).

The same use case runs on SQLite and PostgreSQL with real indexes in
tests/integration/test_search_service.py; here only its rules are exercised.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import FrozenClock
from tests.factories.events import event
from tests.fakes import FakeStore
from yescount.errors import ValidationError
from yescount.services.cards import voting_cards
from yescount.services.search import SearchFilters, SearchHit, SearchResult

DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


@pytest.fixture
def store() -> FakeStore:
    store = FakeStore()
    with store.uow() as uow:
        uow.events.add(
            event(
                1,
                title="Jazz night",
                description="Trio plays late.",
                vibe_tags=("music",),
                price_min=Decimal(10),
            )
        )
        uow.events.add(
            event(
                2,
                title="Gallery walk",
                description="Six rooms of prints.",
                vibe_tags=("art",),
                price_min=Decimal(40),
            )
        )
        uow.events.add(event(3, title="Open data picnic", source="nyc_open_data"))
        uow.events.add(event(4, title="Spring fair", date_start=date(2027, 4, 2)))
        uow.commit()
    return store


def test_cards_curate_the_window_from_card_sources(store: FakeStore, clock: FrozenClock) -> None:
    result = voting_cards(*DECEMBER, uow_factory=store.uow, clock=clock)
    ids = {c.event.id for c in result.cards}
    assert ids == {1, 2}  # not the open-data event, not April's fair
    assert not result.fallback_used
    assert not result.degraded
    assert result.query is None
    assert all(c.title and len(c.title) <= 60 and c.summary for c in result.cards)
    assert [c.score for c in result.cards] == sorted((c.score for c in result.cards), reverse=True)


def test_vibe_tags_and_budget_filter(store: FakeStore, clock: FrozenClock) -> None:
    music = voting_cards(*DECEMBER, uow_factory=store.uow, clock=clock, vibe_tags=("music",))
    assert [c.event.id for c in music.cards] == [1]
    cheap = voting_cards(*DECEMBER, uow_factory=store.uow, clock=clock, max_price=Decimal(15))
    assert [c.event.id for c in cheap.cards] == [1]
    unknown = voting_cards(*DECEMBER, uow_factory=store.uow, clock=clock, vibe_tags=("nope",))
    assert {c.event.id for c in unknown.cards} == {1, 2}  # unknown tags are ignored


def test_an_empty_window_falls_back_to_upcoming(store: FakeStore, clock: FrozenClock) -> None:
    result = voting_cards(date(2027, 6, 1), date(2027, 6, 5), uow_factory=store.uow, clock=clock)
    assert result.fallback_used
    assert {c.event.id for c in result.cards} == {1, 2, 4}
    one = voting_cards(*DECEMBER, uow_factory=store.uow, clock=clock, limit=0)
    assert len(one.cards) == 1  # the limit is bounded to 1..30


def test_a_query_searches_inside_the_window(store: FakeStore, clock: FrozenClock) -> None:
    calls: list[tuple[str, SearchFilters, int]] = []

    def search(query: str, filters: SearchFilters, *, limit: int) -> SearchResult:
        calls.append((query, filters, limit))
        with store.uow(write=False) as uow:
            hits = [
                SearchHit(e, 0.5, ("matches jazz",)) for e in uow.events.get_many([1, 2]).values()
            ]
        return SearchResult(query=query.strip(), hits=tuple(hits), degraded=True)

    result = voting_cards(
        *DECEMBER,
        uow_factory=store.uow,
        clock=clock,
        query=" jazz ",
        max_price=Decimal(50),
        vibe_tags=("music",),
        search=search,
        limit=7,
    )
    assert [c.event.id for c in result.cards] == [1]  # the vibe filter applies to hits too
    assert result.cards[0].why == ("matches jazz",)
    assert result.degraded
    assert result.query == "jazz"
    assert not result.fallback_used
    ((query, filters, limit),) = calls
    assert (query, limit) == (" jazz ", 7)
    assert (filters.date_from, filters.date_to, filters.max_price) == (*DECEMBER, Decimal(50))
    assert filters.sources
    assert "nyc_open_data" not in filters.sources


def test_a_blank_query_curates_and_bad_input_is_refused(
    store: FakeStore, clock: FrozenClock
) -> None:
    blank = voting_cards(*DECEMBER, uow_factory=store.uow, clock=clock, query="  ")
    assert {c.event.id for c in blank.cards} == {1, 2}
    with pytest.raises(ValidationError):
        voting_cards(date(2026, 12, 10), date(2026, 12, 1), uow_factory=store.uow, clock=clock)
    with pytest.raises(TypeError):
        voting_cards(*DECEMBER, uow_factory=store.uow, clock=clock, query="jazz")
    assert store.commits == 1  # reads only
