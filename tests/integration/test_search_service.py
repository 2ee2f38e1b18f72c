"""search_events and voting_cards on SQLite + Chroma and PostgreSQL + pgvector."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, delete, update

from tests.conftest import FrozenClock
from tests.factories.search_events import HashingEmbedder, store_search_events
from yescount.errors import ValidationError
from yescount.search.chroma_index import ChromaIndex
from yescount.search.index import VectorFilter, VectorHit, VectorIndex
from yescount.search.pgvector_index import PgVectorIndex
from yescount.search.sync import sync_index
from yescount.services.cards import CardSearch, voting_cards
from yescount.services.search import SearchFilters, SearchResult, search_events
from yescount.shapes import search_json
from yescount.storage.tables import events
from yescount.storage.uow import uow_factory
from yescount.web.shapes import card_out

DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


@pytest.fixture
def catalogue(
    engine: Engine, tmp_path: Path, clock: FrozenClock
) -> tuple[dict[str, int], VectorIndex]:
    """Fixture events stored and indexed in the backend that goes with the database."""
    ids = store_search_events(engine)
    embedder = HashingEmbedder()
    index: VectorIndex
    if engine.dialect.name == "postgresql":
        index = PgVectorIndex(engine, model_name=embedder.model_name, dimension=384)
    else:
        index = ChromaIndex(tmp_path / "chroma", model_name=embedder.model_name, dimension=384)
    sync_index(uow_factory=uow_factory(engine), index=index, embedder=embedder, clock=clock)
    return ids, index


def run(engine: Engine, index: VectorIndex | None, query: str, clock: FrozenClock, **kw: object):  # type: ignore[no-untyped-def]
    return search_events(
        query,
        uow_factory=uow_factory(engine),
        index=index,
        embedder=HashingEmbedder(),
        clock=clock,
        **kw,  # type: ignore[arg-type]
    )


def searcher(engine: Engine, index: VectorIndex | None, clock: FrozenClock) -> CardSearch:
    """``search_events`` bound as the web layer binds it for voting cards."""

    def bound(query: str, filters: SearchFilters, *, limit: int) -> SearchResult:
        embedder = HashingEmbedder() if index is not None else None
        return search_events(
            query, filters, uow_factory=uow_factory(engine), index=index, embedder=embedder,
            clock=clock, limit=limit,
        )  # fmt: skip

    return bound


def test_hybrid_search_answers_with_reasons(
    engine: Engine, catalogue: tuple[dict[str, int], VectorIndex], clock: FrozenClock
) -> None:
    ids, index = catalogue
    result = run(engine, index, "ice skating rink", clock)
    assert not result.degraded
    top = [h.event.id for h in result.hits[:3]]
    assert ids["bryant-park-winter-village-rink"] in top
    assert all(h.why for h in result.hits)
    assert all(h.score > 0 for h in result.hits)
    data = search_json(result)
    assert data["count"] == len(result.hits)
    assert data["hits"][0]["why"]
    assert data["degraded"] is False


def test_filters_and_price_words_limit_the_results(
    engine: Engine, catalogue: tuple[dict[str, int], VectorIndex], clock: FrozenClock
) -> None:
    ids, index = catalogue
    under = run(engine, index, "comedy under $30", clock)
    assert under.hits
    assert all(h.event.price_min is None or h.event.price_min <= 30 for h in under.hits)
    assert ids["comedy-magic-speakeasy"] not in {h.event.id for h in under.hits}

    january = SearchFilters(date_from=date(2027, 1, 10), date_to=date(2027, 1, 20))
    result = run(engine, index, "beer festival", clock, filters=january)
    assert [h.event.id for h in result.hits][:1] == [ids["brooklyn-brewery-beer-festival"]]
    assert all(h.event.overlaps(date(2027, 1, 10), date(2027, 1, 20)) for h in result.hits)

    tagged = run(engine, index, "night out", clock, filters=SearchFilters(vibe_tags=("comedy",)))
    assert all("comedy" in h.event.vibe_tags for h in tagged.hits)


def test_past_and_duplicate_events_are_never_returned(
    engine: Engine, catalogue: tuple[dict[str, int], VectorIndex], clock: FrozenClock
) -> None:
    ids, index = catalogue
    with engine.begin() as conn:
        conn.execute(
            update(events)
            .where(events.c.id == ids["village-vanguard-late-set"])
            .values(duplicate_of_id=ids["smalls-jazz-jam"])
        )
    found = {h.event.id for h in run(engine, index, "free outdoor music festival", clock).hits}
    assert ids["past-fall-festival"] not in found
    jazz = {h.event.id for h in run(engine, index, "jazz club", clock).hits}
    assert ids["village-vanguard-late-set"] not in jazz
    assert ids["smalls-jazz-jam"] in jazz


def test_without_a_vector_index_full_text_still_answers_degraded(
    engine: Engine, catalogue: tuple[dict[str, int], VectorIndex], clock: FrozenClock
) -> None:
    ids, _ = catalogue
    result = run(engine, None, "ice skating", clock)
    assert result.degraded
    assert result.degraded_reason
    assert ids["rockefeller-center-rink"] in {h.event.id for h in result.hits}
    assert all(h.similarity is None for h in result.hits)


def test_a_broken_index_or_model_degrades_instead_of_failing(
    engine: Engine,
    catalogue: tuple[dict[str, int], VectorIndex],
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    ids, index = catalogue
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    broken = ChromaIndex(blocker, model_name="test/hashing", dimension=384)
    result = run(engine, broken, "ice skating", clock)
    assert result.degraded
    assert "vector_index_unavailable" in (result.degraded_reason or "")
    assert ids["rockefeller-center-rink"] in {h.event.id for h in result.hits}

    failing = HashingEmbedder()
    failing.fail = True
    degraded = search_events(
        "ice skating", uow_factory=uow_factory(engine), index=index, embedder=failing, clock=clock
    )
    assert degraded.degraded
    assert degraded.hits


class SlowIndex:
    """Delegates to a real index once released: slower than any search timeout."""

    def __init__(self, inner: VectorIndex) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.release = threading.Event()

    def query(
        self, vector: np.ndarray, *, k: int, where: VectorFilter | None = None
    ) -> list[VectorHit]:
        self.release.wait(timeout=60)
        return self.inner.query(vector, k=k, where=where)

    def similarities(self, vector: np.ndarray, event_ids: Sequence[int]) -> dict[int, float]:
        return self.inner.similarities(vector, event_ids)


def test_a_slow_index_times_out_into_degraded_mode(
    engine: Engine, catalogue: tuple[dict[str, int], VectorIndex], clock: FrozenClock
) -> None:
    _, index = catalogue
    slow = SlowIndex(index)
    try:
        result = run(engine, slow, "ice skating", clock, timeout_s=0.2)  # type: ignore[arg-type]
    finally:
        slow.release.set()  # the abandoned vector query may finish now
    assert result.degraded
    assert result.degraded_reason == "smart search timed out"
    assert result.hits


def test_bad_queries_and_filters_are_rejected(
    engine: Engine, catalogue: tuple[dict[str, int], VectorIndex], clock: FrozenClock
) -> None:
    _, index = catalogue
    for bad in ("", "   ", "x" * 501):
        with pytest.raises(ValidationError):
            run(engine, index, bad, clock)
    with pytest.raises(ValidationError):
        SearchFilters(date_from=date(2026, 12, 10), date_to=date(2026, 12, 1))
    with pytest.raises(ValidationError):
        SearchFilters(vibe_tags=("spooky",))
    with pytest.raises(ValidationError):
        SearchFilters(max_price=Decimal(-1))


def test_typos_are_corrected_and_reported(
    engine: Engine, catalogue: tuple[dict[str, int], VectorIndex], clock: FrozenClock
) -> None:
    ids, index = catalogue
    result = run(engine, index, "comdy nite", clock)
    assert result.corrected_query == "comedy night"
    assert ids["comedy-cellar-late-show"] in {h.event.id for h in result.hits}


def test_voting_cards_curate_the_window(
    engine: Engine, catalogue: tuple[dict[str, int], VectorIndex], clock: FrozenClock
) -> None:
    ids, _ = catalogue
    result = voting_cards(
        *DECEMBER, uow_factory=uow_factory(engine), clock=clock, vibe_tags=("music",)
    )
    assert 0 < len(result.cards) <= 30
    assert all("music" in c.event.vibe_tags for c in result.cards)  # a filter, not a boost
    assert not result.fallback_used
    assert not result.degraded
    assert ids["open-data-parks-event"] not in {c.event.id for c in result.cards}
    assert all(c.event.overlaps(*DECEMBER) for c in result.cards)
    assert all(len(c.title) <= 60 and c.summary for c in result.cards)
    assert [c.score for c in result.cards] == sorted((c.score for c in result.cards), reverse=True)
    assert result.cards[0].why
    card = card_out(result.cards[0]).model_dump()
    assert card["title"] == result.cards[0].title
    assert card["summary"]
    assert card["why"]
    assert card["schedule_label"]


def test_voting_cards_respect_the_budget(
    engine: Engine, catalogue: tuple[dict[str, int], VectorIndex], clock: FrozenClock
) -> None:
    cards = voting_cards(
        *DECEMBER, uow_factory=uow_factory(engine), clock=clock, max_price=Decimal(15)
    ).cards
    assert cards
    assert all(c.event.price_min is None or c.event.price_min <= 15 for c in cards)


def test_an_empty_window_falls_back_to_upcoming_events(
    engine: Engine, catalogue: tuple[dict[str, int], VectorIndex], clock: FrozenClock
) -> None:
    # Undated events may happen in any window; without them June 2028 has nothing.
    undated = voting_cards(
        date(2028, 6, 1), date(2028, 6, 10), uow_factory=uow_factory(engine), clock=clock
    )
    assert not undated.fallback_used
    assert all(not c.event.has_fixed_dates for c in undated.cards)
    with engine.begin() as conn:
        conn.execute(delete(events).where(events.c.date_start.is_(None)))
    result = voting_cards(
        date(2028, 6, 1), date(2028, 6, 10), uow_factory=uow_factory(engine), clock=clock
    )
    assert result.fallback_used
    assert result.cards
    today = date(2026, 11, 25)
    assert all((c.event.last_day() or today) >= today for c in result.cards)


def test_voting_cards_search_inside_the_window(
    engine: Engine, catalogue: tuple[dict[str, int], VectorIndex], clock: FrozenClock
) -> None:
    ids, index = catalogue
    result = voting_cards(
        date(2026, 12, 10),
        date(2026, 12, 20),
        uow_factory=uow_factory(engine),
        clock=clock,
        query="holiday market",
        search=searcher(engine, index, clock),
    )
    assert result.query == "holiday market"
    assert not result.degraded
    found = {c.event.id for c in result.cards}
    assert ids["union-square-holiday-market"] in found
    assert all(c.event.overlaps(date(2026, 12, 10), date(2026, 12, 20)) for c in result.cards)
    assert ids["open-data-parks-event"] not in found
    degraded = voting_cards(
        *DECEMBER,
        uow_factory=uow_factory(engine),
        clock=clock,
        query="holiday market",
        search=searcher(engine, None, clock),
    )
    assert degraded.degraded
    with pytest.raises(ValidationError):
        voting_cards(
            date(2026, 12, 10), date(2026, 12, 1), uow_factory=uow_factory(engine), clock=clock
        )
