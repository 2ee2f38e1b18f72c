"""Full-text search in the database (FTS5 / tsvector), kept in sync with the events table."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy
from sqlalchemy import Engine, delete, update

from tests.factories.events import event_record
from tests.factories.statements import captured
from yescount.domain.events import DateStatus
from yescount.domain.search import LexicalHit, SearchFilters
from yescount.search.vocabulary import load_vocabulary
from yescount.services.search import warm_term_counts
from yescount.storage.repositories import fulltext, term_counts
from yescount.storage.repositories.events import record_values
from yescount.storage.tables import events
from yescount.storage.uow import UnitOfWork

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TODAY = date(2026, 11, 25)


def store(engine: Engine, **overrides: object) -> int:
    with UnitOfWork(engine) as uow:
        event_id, _ = uow.events.upsert(event_record(**overrides), now=NOW)
        uow.commit()
    return event_id


def search(engine: Engine, *terms: str, **filters: Any) -> list[LexicalHit]:
    with UnitOfWork(engine, write=False) as uow:
        return uow.search.lexical_search(
            terms,
            filters=SearchFilters(**filters),
            today=TODAY,
        )


def ids(hits: list[LexicalHit]) -> list[int]:
    return [h.event_id for h in hits]


def test_matches_title_place_and_description_title_weighs_most(engine: Engine) -> None:
    in_title = store(engine, title="Jazz at Midnight", description="Late set.", location="Club")
    in_text = store(engine, title="Late Set", description="A jazz trio plays.", location="Club")
    in_place = store(engine, title="Open mic", description="Songs.", location="Jazz Corner")
    store(engine, title="Pottery class", description="Clay.", location="Studio")
    hits = search(engine, "jazz")
    assert set(ids(hits)) == {in_title, in_text, in_place}
    assert ids(hits)[0] == in_title
    assert all(h.score > 0 for h in hits)


def test_terms_are_or_ed_and_stemmed(engine: Engine) -> None:
    concerts = store(engine, title="Winter concerts", description="Choirs singing.")
    skating = store(engine, title="Ice skating", description="Rink.")
    both = store(engine, title="Concert on ice", description="Skating show.")
    hits = search(engine, "concert", "skating")
    assert set(ids(hits)) == {concerts, skating, both}
    assert ids(hits)[0] == both


def test_index_follows_updates_and_deletes(engine: Engine) -> None:
    event_id = store(engine, source_id="x1", title="Salsa night", description="Dance.")
    assert ids(search(engine, "salsa")) == [event_id]
    store(engine, source_id="x1", title="Tango night", description="Dance.")
    assert ids(search(engine, "salsa")) == []
    assert ids(search(engine, "tango")) == [event_id]
    with engine.begin() as conn:
        conn.execute(update(events).where(events.c.id == event_id).values(location="Harlem"))
    assert ids(search(engine, "harlem")) == [event_id]
    with engine.begin() as conn:
        conn.execute(delete(events).where(events.c.id == event_id))
    assert search(engine, "tango") == []


def test_filters_apply_window_price_tags_sources_and_duplicates(engine: Engine) -> None:
    common = {"title": "Film night", "description": "Movies."}
    early = store(engine, **common, date_start=date(2026, 12, 2))
    late = store(engine, **common, date_start=date(2027, 1, 20))
    pricey = store(
        engine, **common, date_start=date(2026, 12, 3), price_min=Decimal(90), price_max=None
    )
    free = store(
        engine, **common, date_start=date(2026, 12, 4), price_min=Decimal(0), price_max=Decimal(0)
    )
    unknown_price = store(
        engine, **common, date_start=date(2026, 12, 5), price_min=None, price_max=None
    )
    undated = store(engine, **common, date_status=DateStatus.UNCLEAR, date_start=None)
    past = store(engine, **common, date_start=date(2026, 11, 1))
    other_source = store(engine, **common, source="nyc_open_data", date_start=date(2026, 12, 6))
    tagged = store(engine, **common, date_start=date(2026, 12, 7), vibe_tags=("comedy", "food"))
    dup = store(engine, **common, date_start=date(2026, 12, 8))
    with engine.begin() as conn:
        conn.execute(update(events).where(events.c.id == dup).values(duplicate_of_id=early))

    everything = set(ids(search(engine, "film")))
    assert past not in everything
    assert dup not in everything
    assert {early, late, undated, other_source} <= everything

    window = set(
        ids(search(engine, "film", date_from=date(2026, 12, 1), date_to=date(2026, 12, 31)))
    )
    assert late not in window
    assert {early, undated} <= window

    cheap = set(ids(search(engine, "film", max_price=Decimal(20))))
    assert pricey not in cheap
    assert {free, unknown_price} <= cheap

    by_tag = ids(search(engine, "film", vibe_tags=("comedy", "outdoor")))
    assert by_tag == [tagged]

    websites = set(ids(search(engine, "film", sources=("timeout_newyork",))))
    assert other_source not in websites
    assert early in websites

    with_past = set(ids(search(engine, "film", include_past=True)))
    assert past in with_past


def test_a_narrowed_search_reaches_past_the_best_matches_that_fail_it(engine: Engine) -> None:
    # The 12 best matches (the word in the title) cost too much; the 3 that fit the budget
    # only mention it. A first pool of the best few misses them; the search widens it.
    for n in range(12):
        store(
            engine,
            title=f"Jazz gala {n}",
            description="Black tie.",
            price_min=Decimal(90),
            price_max=None,
        )
    cheap = {
        store(
            engine,
            title=f"Open mic {n}",
            description="Some jazz.",
            price_min=Decimal(5),
            price_max=None,
        )
        for n in range(3)
    }
    with UnitOfWork(engine, write=False) as uow:
        found = uow.search.lexical_search(
            ["jazz"], filters=SearchFilters(max_price=Decimal(20)), today=TODAY, limit=3
        )
        best = uow.search.lexical_search(["jazz"], filters=SearchFilters(), today=TODAY, limit=3)
    assert set(ids(found)) == cheap
    assert not cheap & set(ids(best))


def test_a_search_reaches_past_best_matches_that_are_over(engine: Engine) -> None:
    # No filter narrows this search, yet its best matches (the word in the title) are
    # over: the first, small pool holds only them, so a wider one is ranked.
    for n in range(6):
        store(
            engine, title=f"Jazz gala {n}", description="Black tie.", date_start=date(2026, 11, 1)
        )
    upcoming = {store(engine, title=f"Open mic {n}", description="Some jazz.") for n in range(3)}
    with UnitOfWork(engine, write=False) as uow:
        found = uow.search.lexical_search(["jazz"], filters=SearchFilters(), today=TODAY, limit=3)
    assert set(ids(found)) == upcoming


def test_browsing_lists_soonest_first_and_one_off_evenings_before_long_runs(
    engine: Engine,
) -> None:
    day = date(2026, 12, 2)
    season = store(engine, date_status=DateStatus.RANGE, date_start=day, date_end=date(2027, 3, 1))
    week = store(engine, date_status=DateStatus.RANGE, date_start=day, date_end=date(2026, 12, 9))
    evening = store(engine, date_start=day, date_end=None)
    later = store(engine, date_start=date(2026, 12, 3), date_end=None)
    undated = store(engine, date_status=DateStatus.UNCLEAR, date_start=None, date_end=None)
    with UnitOfWork(engine, write=False) as uow:
        found = uow.search.browse(filters=SearchFilters(), today=TODAY, limit=10)
    assert ids(found) == [evening, week, season, later, undated]


def test_very_common_words_rank_an_even_sample_of_their_matches(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fulltext, "RANKED_MATCHES", 4)
    monkeypatch.setattr(fulltext, "_ESTIMATE_STEPS", (2, 4))  # PostgreSQL's estimate
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    stored = [store(engine, title=f"Jazz brunch {n}", description="Jazz.") for n in range(12)]
    rare = [store(engine, title=f"Zither recital {n}", description="Strings.") for n in range(3)]
    found = ids(search(engine, "jazz"))
    # 12 matches > 4: SQLite ranks every 3rd by id. PostgreSQL counts the matches
    # among even ids (6, capped at 4: too many), then among every 4th (3): 3 x 4 = 12,
    # and ranks every 4th id (the smallest power of two leaving at most 4).
    step = 3 if engine.dialect.name == "sqlite" else 4
    assert found
    assert set(found) == {i for i in stored if i % step == 0}
    assert set(ids(search(engine, "zither"))) == set(rare)  # 3 matches: all ranked


def test_a_rare_words_count_bounds_the_matches_so_none_are_counted_or_sampled(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fulltext, "RANKED_MATCHES", 4)
    monkeypatch.setattr(term_counts, "COMMON_TERM_DOCS", 5)
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    for n in range(12):
        store(engine, title=f"Jazz brunch {n}", description="Jazz.")
    rare = [store(engine, title=f"Zither jazz {n}", description="Strings.") for n in range(3)]
    with engine.connect() as conn:
        assert term_counts.doc_counts(conn, ["jazz", "zither"]) == [15, 3]
    with captured(engine) as sent:
        found = ids(search(engine, "jazz", "zither"))
    # Every word: at most 3 matches ("zither"'s count, not over 4), so every match is
    # ranked; then any distinctive word ("zither" alone: "jazz" is common). Each of the
    # two statements ranks; none counts or estimates the matches.
    assert sorted(found) == rare
    rank = "bm25" if engine.dialect.name == "sqlite" else "ts_rank"
    queries = [s for s, _ in sent if s.startswith("SELECT")]  # not SQLite's BEGIN
    assert [rank in statement for statement in queries] == [True, True]
    assert not [s for s, _ in sent if "count(" in s.lower()]


def _bulk_store(engine: Engine, records: list[Any]) -> list[int]:
    stamps = dict.fromkeys(("first_seen_at", "last_seen_at", "created_at", "updated_at"), NOW)
    with engine.begin() as conn:
        inserted = conn.execute(
            sqlalchemy.insert(events).returning(events.c.id),
            [record_values(r) | stamps for r in records],
        )
        return sorted(int(i) for i in inserted.scalars())


def _plan(engine: Engine, statement: str, parameters: Any) -> dict[str, Any]:
    with engine.connect() as conn:
        explain = f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}"
        return dict(conn.exec_driver_sql(explain, parameters).scalar_one()[0]["Plan"])


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(n for child in plan.get("Plans", []) for n in _nodes(child))]


@pytest.mark.postgres
def test_postgresql_ranks_a_sample_taken_inside_the_full_text_index(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = pg_engine
    monkeypatch.setattr(fulltext, "RANKED_MATCHES", 100)
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    jazz = [
        event_record(title=f"Jazz night {n}" if n % 5 == 0 else f"Evening {n}",
                     description=f"Jazz {'and more jazz ' * (n % 3)}with the trio {n}.")
        for n in range(1_000)
    ]  # fmt: skip
    other = [event_record(title=f"Pottery {n}", description="Clay.") for n in range(3_000)]
    stored = _bulk_store(engine, jazz + other)
    jazz_ids = set(stored[:1_000])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sqlalchemy.text("ANALYZE events"))
    with engine.connect() as conn:
        # 1,000 matches, estimated from those among every 64th id (~16, x 64): every
        # 16th id is ranked (about 62, at most 100), not every match.
        estimate = fulltext._pg_match_estimate(conn, 0, {"t0": "jazz"})
        assert estimate == 64 * len([i for i in jazz_ids if i % 64 == 0])
        assert fulltext.sample_step(estimate) == 16
    with captured(engine) as sent:
        found = search(engine, "jazz")
    sample = {i for i in jazz_ids if i % 16 == 0}
    assert len(found) == 50
    assert {h.event_id for h in found} <= sample

    # The sample is ranked as the full ranking would rank it: its best 50, in order.
    monkeypatch.setattr(fulltext, "RANKED_MATCHES", 10_000)
    everything = search_limit(engine, "jazz", limit=1_000)
    assert set(ids(everything)) == jazz_ids
    assert ids(found) == [i for i in ids(everything) if i in sample][:50]
    assert [h.score for h in found] == [h.score for h in everything if h.event_id in sample][:50]

    # Only the sample's rows were read: the index hands the heap the sampled matches.
    [(statement, parameters)] = [s for s in sent if "ts_rank" in s[0]]
    assert parameters["sample"] == "'#16'"
    nodes = _nodes(_plan(engine, statement, parameters))
    [scan] = [n for n in nodes if n["Node Type"] == "Bitmap Index Scan"]
    assert scan["Index Name"] == "ix_events_search_tsv"
    assert scan["Actual Rows"] == len(sample)


def search_limit(engine: Engine, *terms: str, limit: int) -> list[LexicalHit]:
    with UnitOfWork(engine, write=False) as uow:
        return uow.search.lexical_search(terms, filters=SearchFilters(), today=TODAY, limit=limit)


@pytest.mark.parametrize(
    ("matches", "step"), [(0, 1), (1_000, 1), (1_001, 2), (9_000, 16), (28_000, 32), (10**7, 256)]
)
def test_postgresql_sample_steps_keep_at_most_the_ranked_matches(matches: int, step: int) -> None:
    assert fulltext.sample_step(matches) == step


@pytest.mark.postgres
def test_postgresql_takes_common_words_from_the_planner_statistics(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = pg_engine
    monkeypatch.setattr(term_counts, "COMMON_TERM_DOCS", 2)
    monkeypatch.setattr(term_counts, "_CAP", 1_000)  # tells a count (<= 20) from a shortcut
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    for n in range(20):
        store(engine, title=f"Jazz night {n}", description="Live music with a trio.")
    store(engine, title="Zither recital", description="Strings.")
    terms = ["jazz", "zither", "live music"]
    with engine.connect() as conn:
        assert term_counts.doc_counts(conn, terms) == [20, 1, 20]  # no statistics yet: counted
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sqlalchemy.text("ANALYZE events"))
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    with engine.connect() as conn:
        # "jazz" is in the statistics' common words: not counted. A rare word and a
        # phrase are still counted.
        assert term_counts.doc_counts(conn, terms) == [1_000, 1, 20]
        assert term_counts.distinctive(conn, terms) == ["zither"]


@pytest.mark.postgres
def test_postgresql_counts_terms_of_a_large_catalogue_in_a_sample_of_ids(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ``COUNT_SAMPLED_FROM`` rows on, a term is counted among every 16th id and
    multiplied back (the count only tells rare from common); below, exactly."""
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    jazz = [store(pg_engine, title=f"Jazz night {n}", description="Trio.") for n in range(40)]
    zither = store(pg_engine, title="Zither recital", description="Strings.")
    with pg_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sqlalchemy.text("ANALYZE events"))
    with pg_engine.connect() as conn:
        assert term_counts.doc_counts(conn, ["jazz night", "zither"]) == [40, 1]
    monkeypatch.setattr(term_counts, "COUNT_SAMPLED_FROM", 10)
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    with pg_engine.connect() as conn:
        counts = term_counts.doc_counts(conn, ["jazz night", "zither"])
    assert counts[0] == 16 * sum(1 for i in jazz if i % 16 == 0)
    assert counts[1] == (16 if zither % 16 == 0 else 0)


def test_term_counts_are_capped_per_term_in_one_statement(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(term_counts, "COMMON_TERM_DOCS", 2)
    monkeypatch.setattr(term_counts, "_CAP", 3)
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    for n in range(5):
        store(engine, title=f"Jazz night {n}", description="Live music." if n < 2 else "Trio.")
    store(engine, title='Say "hi" club', description="Mixer.")
    terms = ["jazz", "live music", 'say "hi"', "zither", "jazz", "trio"]
    with engine.connect() as conn:
        assert term_counts.doc_counts(conn, terms) == [3, 2, 1, 0, 3, 3]
        assert term_counts.distinctive(conn, terms) == ["live music", 'say "hi"', "zither"]
        with captured(conn) as sent:
            counts = term_counts.doc_counts(conn, ["jazz", "opera", "clarinet", "trio"])
        assert counts == [3, 0, 0, 3]
    assert len(sent) == 1  # the two new terms, together; the others are cached


@pytest.mark.parametrize(
    "term",
    ['"', "NEAR(a b)", "jazz*", "AND", "title:jazz", "'; DROP TABLE events; --", "^jazz", "-"],
)
def test_search_syntax_in_terms_is_inert(engine: Engine, term: str) -> None:
    jazz = store(engine, title="Jazz night", description="Trio.")
    hits = search(engine, term, "jazz")
    assert ids(hits) == [jazz]


def test_no_terms_no_query(engine: Engine) -> None:
    store(engine, title="Anything")
    assert search(engine) == []


def test_warm_term_counts_leaves_a_concept_search_nothing_to_count(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    comic = [store(engine, title=f"Stand-up night {n}", description="A comedian.") for n in (1, 2)]
    store(engine, title="Pottery", description="Clay.")
    comedy = next(c for c in load_vocabulary().concepts if c.name == "comedy")

    def concept_search() -> tuple[set[int], list[str]]:
        with captured(engine) as sent, UnitOfWork(engine, write=False) as uow:
            found = uow.search.any_term_search(
                comedy.fts_terms(), filters=SearchFilters(), today=TODAY
            )
        return set(ids(found)), [s for s, _ in sent if s.split()[0] in ("SELECT", "WITH")]

    found, cold = concept_search()
    assert found == set(comic)
    assert len(cold) == 2  # the words' counts, then the ranking
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    assert warm_term_counts(lambda write=False: UnitOfWork(engine, write=write)) == len(
        load_vocabulary().concepts
    )
    found, warm = concept_search()
    assert found == set(comic)
    assert len(warm) == 1
    assert "bm25" in warm[0] or "ts_rank" in warm[0]
    with captured(engine) as sent:  # the vocabulary's own words are counted too
        assert ids(search(engine, "comedian", "night")) == comic
    statements = [s for s, _ in sent if s.split()[0] in ("SELECT", "WITH")]
    assert statements  # every word, then any word (too few had every word): both rank
    assert all("bm25" in s or "ts_rank" in s for s in statements)
    assert not [s for s in statements if "count(" in s.lower()]
    # A refresh counts again what is still cached (a new event is seen before expiry).
    store(engine, title="Stand-up night 3", description="A comedian.")
    with engine.connect() as conn:
        assert term_counts.doc_counts(conn, ["comedian"]) == [2]  # cached
    warm_term_counts(lambda write=False: UnitOfWork(engine, write=write))
    with engine.connect() as conn:
        assert term_counts.doc_counts(conn, ["comedian"]) == [3]


@pytest.mark.postgres
def test_postgresql_loads_any_number_of_vector_hits_with_one_statement_text(
    pg_engine: Engine,
) -> None:
    stored = [store(pg_engine, title=f"Gallery night {n}") for n in range(5)]
    texts = []
    for some in (stored[:2], stored):
        with captured(pg_engine) as sent, UnitOfWork(pg_engine, write=False) as uow:
            found = uow.search.passing([*some, 999_999], filters=SearchFilters(), today=TODAY)
        assert sorted(found) == sorted(some)
        texts += [s for s, _ in sent if s.startswith("SELECT")]
    assert len(texts) == 2
    assert texts[0] == texts[1]  # prepared once by the driver, whatever the count
