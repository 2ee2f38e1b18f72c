"""The search service on the fake unit of work and an in-memory vector index.

The same use case runs over SQLite FTS5 + Chroma and PostgreSQL + pgvector in
tests/integration/test_search_service.py (and the blind queries in
test_search_blind.py); here only its own rules are exercised: filters reach both
sides, stated constraints order the answer, every hit says why, the vector side
degrades instead of failing, and bad input is refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import FrozenClock
from tests.factories.events import event
from tests.factories.search_events import HashingEmbedder
from tests.fakes import FakeStore
from tests.fakes.index import FakeVectorIndex
from tests.fakes.search import FakeSearchRepository
from yescount.domain.events import DateStatus
from yescount.errors import StorageError, ValidationError
from yescount.search.embedder import Vectors
from yescount.search.index import IndexedEvent
from yescount.search.spelling import corrector_for
from yescount.search.sync import event_document
from yescount.services.search import SearchFilters, SearchResult, search_events
from yescount.shapes import search_json

BROOKLYN_JAZZ = event(
    1,
    title="Late jazz trio",
    description="A trio plays standards until late.",
    location="Bar LunAtico, Brooklyn",
    vibe_tags=("music", "nightlife"),
    price_min=Decimal(15),
)
MANHATTAN_JAZZ = event(
    2,
    title="Jazz brunch",
    description="Brunch with a jazz quartet.",
    location="Midtown, Manhattan",
    vibe_tags=("music", "food"),
    price_min=Decimal(45),
    date_start=date(2026, 12, 12),
)
COMEDY = event(
    3,
    title="Stand-up comedy showcase",
    description="Six comics, one mic.",
    location="Williamsburg, Brooklyn",
    vibe_tags=("comedy",),
    price_min=Decimal(10),
    date_start=date(2026, 12, 20),
)
GALLERY = event(
    4,
    title="Gallery night",
    description="Prints and paintings, wine at the door.",
    location="Chelsea, Manhattan",
    vibe_tags=("artsy", "free"),
    price_min=Decimal(0),
)
OVER = event(5, title="Old jazz night", description="Jazz.", date_start=date(2026, 11, 1))
COPY_OF_1 = event(6, title="Late jazz trio", description="A trio plays standards until late.")
PARK_JAZZ = event(
    7,
    title="Jazz in the park",
    description="Open-air jazz.",
    source="nyc_open_data",
    location="Prospect Park, Brooklyn",
    date_status=DateStatus.RANGE,
    date_start=date(2026, 12, 1),
    date_end=date(2026, 12, 31),
)
EVENTS = (BROOKLYN_JAZZ, MANHATTAN_JAZZ, COMEDY, GALLERY, OVER, COPY_OF_1, PARK_JAZZ)


@pytest.fixture
def store() -> FakeStore:
    store = FakeStore()
    with store.uow() as uow:
        for e in EVENTS:
            uow.events.add(e)
        uow.commit()
    store.tables.duplicate_of[COPY_OF_1.id] = BROOKLYN_JAZZ.id
    return store


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def index(embedder: HashingEmbedder) -> FakeVectorIndex:
    """Every event embedded, the over and duplicate ones too (the index lags the rows)."""
    index = FakeVectorIndex()
    documents = [event_document(e.title, e.description, e.location) for e in EVENTS]
    vectors = embedder.embed(documents)
    index.upsert([IndexedEvent.for_event(e, v) for e, v in zip(EVENTS, vectors, strict=True)])
    return index


def ids(result: SearchResult) -> list[int]:
    return [h.event.id for h in result.hits]


def text_only(store: FakeStore, clock: FrozenClock, query: str, **kw: object) -> SearchResult:
    return search_events(
        query, uow_factory=store.uow, index=None, embedder=None, clock=clock,
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def test_full_text_only_answers_and_says_it_is_degraded(
    store: FakeStore, clock: FrozenClock
) -> None:
    result = text_only(store, clock, "jazz")
    assert result.degraded
    assert result.degraded_reason == "smart search is not configured"
    # Not the event that is over, not the duplicate; the open-data event is searchable.
    assert set(ids(result)) == {BROOKLYN_JAZZ.id, MANHATTAN_JAZZ.id, PARK_JAZZ.id}
    assert all(h.similarity is None for h in result.hits)
    assert {"parse", "lexical", "wait_vector", "rows", "fusion"} <= set(result.stages)
    assert store.commits == 1  # the fixture's: a search never writes


def test_hybrid_search_is_not_degraded_and_explains_meaning(
    store: FakeStore, clock: FrozenClock, index: FakeVectorIndex, embedder: HashingEmbedder
) -> None:
    result = search_events(
        "late jazz trio", uow_factory=store.uow, index=index, embedder=embedder, clock=clock
    )
    assert not result.degraded
    assert ids(result)[0] == BROOKLYN_JAZZ.id
    top = result.hits[0]
    assert top.similarity is not None
    assert top.similarity > 0.5
    assert any(w.startswith("close in meaning (") for w in top.why)
    assert "mentions late, jazz, trio" in top.why
    assert {"embed", "vector"} <= set(result.stages)
    # Vector hits over or duplicated are dropped by the rows' filters.
    assert not {OVER.id, COPY_OF_1.id} & set(ids(result))


def test_a_stated_place_ranks_keepers_first_and_says_so(
    store: FakeStore, clock: FrozenClock
) -> None:
    result = text_only(store, clock, "jazz in brooklyn")
    order = ids(result)
    assert order.index(BROOKLYN_JAZZ.id) < order.index(MANHATTAN_JAZZ.id)
    assert order.index(PARK_JAZZ.id) < order.index(MANHATTAN_JAZZ.id)
    brooklyn = next(h for h in result.hits if h.event.id == BROOKLYN_JAZZ.id)
    assert "in Brooklyn" in brooklyn.why
    manhattan = next(h for h in result.hits if h.event.id == MANHATTAN_JAZZ.id)
    assert "in Brooklyn" not in manhattan.why


def test_a_price_in_the_query_tightens_the_filters(store: FakeStore, clock: FrozenClock) -> None:
    result = text_only(store, clock, "jazz under $20")
    assert result.filters.max_price == Decimal(20)
    assert MANHATTAN_JAZZ.id not in ids(result)  # $45
    assert BROOKLYN_JAZZ.id in ids(result)
    looser = text_only(store, clock, "jazz under $20", filters=SearchFilters(max_price=Decimal(50)))
    assert looser.filters.max_price == Decimal(20)  # the tighter cap wins
    tighter = text_only(store, clock, "jazz under $20", filters=SearchFilters(max_price=Decimal(5)))
    assert tighter.filters.max_price == Decimal(5)
    assert BROOKLYN_JAZZ.id not in ids(tighter)


def test_filters_apply_to_every_candidate(
    store: FakeStore, clock: FrozenClock, index: FakeVectorIndex, embedder: HashingEmbedder
) -> None:
    window = SearchFilters(date_from=date(2026, 12, 10), date_to=date(2026, 12, 15))
    result = search_events(
        "jazz", window, uow_factory=store.uow, index=index, embedder=embedder, clock=clock
    )
    # Dec 5 trio is outside; Dec 12 brunch inside; the month-long park series overlaps.
    assert set(ids(result)) == {MANHATTAN_JAZZ.id, PARK_JAZZ.id}
    assert index.queries[-1] is not None
    assert index.queries[-1].window == (date(2026, 12, 10), date(2026, 12, 15))
    tags = text_only(store, clock, "jazz", filters=SearchFilters(vibe_tags=("food",)))
    assert ids(tags) == [MANHATTAN_JAZZ.id]
    sources = text_only(store, clock, "jazz", filters=SearchFilters(sources=("nyc_open_data",)))
    assert ids(sources) == [PARK_JAZZ.id]
    past = text_only(store, clock, "jazz", filters=SearchFilters(include_past=True))
    assert OVER.id in ids(past)


def test_a_concept_finds_events_by_tag_without_the_word(
    store: FakeStore, clock: FrozenClock
) -> None:
    result = text_only(store, clock, "comedy")
    assert ids(result) == [COMEDY.id]
    assert result.hits[0].why  # the concept (tag or word) is named


def test_browsing_a_price_lists_what_fits(store: FakeStore, clock: FrozenClock) -> None:
    result = text_only(store, clock, "free things")
    assert GALLERY.id in ids(result)
    assert "free" in next(h for h in result.hits if h.event.id == GALLERY.id).why
    assert MANHATTAN_JAZZ.id not in ids(result)


def test_nothing_matches_gibberish(
    store: FakeStore, clock: FrozenClock, index: FakeVectorIndex, embedder: HashingEmbedder
) -> None:
    result = search_events(
        "zzqx vrrb", uow_factory=store.uow, index=index, embedder=embedder, clock=clock
    )
    assert result.hits == ()
    assert not result.degraded
    assert search_json(result)["count"] == 0
    assert text_only(FakeStore(), clock, "jazz").hits == ()  # an empty catalogue


def test_typos_are_corrected_from_the_catalogue_words(store: FakeStore, clock: FrozenClock) -> None:
    result = text_only(store, clock, "jaz trio")
    assert result.corrected_query == "jazz trio"
    assert ids(result)[0] == BROOKLYN_JAZZ.id


def test_an_unreadable_vocabulary_only_turns_correction_off(
    store: FakeStore, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: FakeSearchRepository) -> list[tuple[str, str | None]]:
        raise StorageError("The database refused the read (test).")

    monkeypatch.setattr(FakeSearchRepository, "titles_and_places", broken)
    fresh = FakeStore(tables=store.tables)  # a database the corrector has not cached yet
    result = text_only(fresh, clock, "jaz trio")
    assert result.corrected_query is None
    assert ids(result)[0] == BROOKLYN_JAZZ.id  # "trio" still finds it


def test_the_spelling_vocabulary_is_read_once_per_database_while_fresh() -> None:
    reads: list[str] = []

    def titles() -> list[tuple[str, str | None]]:
        reads.append("read")
        return [("Zydeco dance party", "Queens")]

    first = corrector_for("test:vocabulary", titles, now=1_000.0)
    again = corrector_for("test:vocabulary", titles, now=1_100.0)
    assert first is again
    assert len(reads) == 1
    assert first.correct("zydecoo") == "zydeco"
    corrector_for("test:vocabulary", titles, now=2_000.0)  # stale after five minutes
    assert len(reads) == 2


def test_a_stale_vocabulary_is_rebuilt_in_the_background_while_searches_use_it() -> None:
    rebuilt = threading.Event()
    release = threading.Event()

    def titles() -> list[tuple[str, str | None]]:
        return [("Zydeco dance party", "Queens")]

    def reread() -> list[tuple[str, str | None]]:
        release.wait(5)  # a slow database: the search below must not wait for it
        rebuilt.set()
        return [("Klezmer brunch", "Brooklyn")]

    first = corrector_for("test:refresh", titles, refresh=reread, now=1_000.0)
    stale = corrector_for("test:refresh", titles, refresh=reread, now=2_000.0)
    assert stale is first  # answered at once from the stale vocabulary
    assert not rebuilt.is_set()
    assert corrector_for("test:refresh", titles, refresh=reread, now=2_001.0) is first
    release.set()
    assert rebuilt.wait(5)
    for _ in range(100):  # the rebuilt corrector replaces the stale one
        fresh = corrector_for("test:refresh", titles, refresh=reread, now=2_002.0)
        if fresh is not first:
            break
        time.sleep(0.01)
    assert fresh.correct("klezmerr") == "klezmer"


def test_a_failed_background_rebuild_keeps_the_stale_vocabulary() -> None:
    def titles() -> list[tuple[str, str | None]]:
        return [("Zydeco dance party", "Queens")]

    def broken() -> list[tuple[str, str | None]]:
        raise RuntimeError("database gone (test)")

    first = corrector_for("test:refresh-fails", titles, refresh=broken, now=1_000.0)
    assert corrector_for("test:refresh-fails", titles, refresh=broken, now=2_000.0) is first
    for _ in range(100):
        if not any(t.name == "yescount-vocabulary" for t in threading.enumerate()):
            break
        time.sleep(0.01)
    assert corrector_for("test:refresh-fails", titles, refresh=broken, now=2_001.0) is first
    assert first.correct("zydecoo") == "zydeco"


class _BrokenEmbedder(HashingEmbedder):
    def embed_query(self, text: str) -> Vectors:
        raise RuntimeError("model crashed (test)")


class _StuckEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def embed_query(self, text: str) -> Vectors:
        self.release.wait(10)
        return super().embed_query(text)


@pytest.fixture
def stuck() -> Iterator[_StuckEmbedder]:
    embedder = _StuckEmbedder()
    yield embedder
    embedder.release.set()


def test_a_failing_vector_side_degrades_to_words(
    store: FakeStore, clock: FrozenClock, index: FakeVectorIndex
) -> None:
    result = search_events(
        "jazz", uow_factory=store.uow, index=index, embedder=_BrokenEmbedder(), clock=clock
    )
    assert result.degraded
    assert result.degraded_reason == "smart search unavailable (RuntimeError)"
    assert BROOKLYN_JAZZ.id in ids(result)
    index.fail = True
    down = search_events(
        "jazz", uow_factory=store.uow, index=index, embedder=HashingEmbedder(), clock=clock
    )
    assert down.degraded
    assert down.hits


def test_a_stuck_vector_side_times_out(
    store: FakeStore, clock: FrozenClock, index: FakeVectorIndex, stuck: _StuckEmbedder
) -> None:
    result = search_events(
        "jazz", uow_factory=store.uow, index=index, embedder=stuck, clock=clock, timeout_s=0.05
    )
    assert result.degraded_reason == "smart search timed out"
    assert BROOKLYN_JAZZ.id in ids(result)


@pytest.mark.parametrize(("limit", "most"), [(0, 1), (1, 1), (1_000, 100)])
def test_the_limit_is_bounded(store: FakeStore, clock: FrozenClock, limit: int, most: int) -> None:
    many = FakeStore()
    with many.uow() as uow:
        for n in range(1, 131):
            uow.events.add(event(n, title=f"Jazz night {n}", description="Jazz."))
        uow.commit()
    result = text_only(many, clock, "jazz", limit=limit)
    assert 0 < len(result.hits) <= most


@pytest.mark.parametrize("query", ["", "   ", "x" * 501])
def test_a_bad_query_is_refused(store: FakeStore, clock: FrozenClock, query: str) -> None:
    with pytest.raises(ValidationError):
        text_only(store, clock, query)


def test_bad_filters_are_refused() -> None:
    with pytest.raises(ValidationError, match="end date"):
        SearchFilters(date_from=date(2026, 12, 10), date_to=date(2026, 12, 1))
    with pytest.raises(ValidationError, match="negative"):
        SearchFilters(max_price=Decimal(-1))
    with pytest.raises(ValidationError, match="Unknown vibe tags"):
        SearchFilters(vibe_tags=("loud",))


def test_the_json_shape(store: FakeStore, clock: FrozenClock) -> None:
    body = search_json(text_only(store, clock, "comedy in brooklyn"))
    assert set(body) == {"query", "corrected_query", "degraded", "degraded_reason", "count", "hits"}
    hit = body["hits"][0]
    assert hit["event_id"] == COMEDY.id
    assert hit["location"] == "Williamsburg, Brooklyn"
    assert hit["price"] == COMEDY.price_label()
    assert hit["similarity"] is None
    assert isinstance(hit["why"], list)
    assert hit["why"]
