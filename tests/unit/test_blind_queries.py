"""The blind query file itself: it loads, it is big enough, its labels match its rules.

No search runs here; the nDCG gate against the real search belongs to the search
work (issue 12). See tests/fixtures/search/README-blind.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from tests.search_yardstick import Clause, Query, QuerySet, load_query_set

ISSUE_EXAMPLES = (
    "comedy",
    "cheap immersive art",
    "live jazz in brooklyn",
    "spooky ghost stories",
    "boat ride on the water",
    "classical music concert",
)


@pytest.fixture(scope="module")
def query_set() -> QuerySet:
    return load_query_set()


def _clauses(clause: Clause | None) -> Iterator[Clause]:
    if clause is None:
        return
    yield clause
    for sub in (*clause.all_of, *clause.any_of):
        yield from _clauses(sub)


def _stated(query: Query) -> list[Clause]:
    return list(_clauses(query.require))


def _anywhere(query: Query) -> list[Clause]:
    found = [*_clauses(query.concept), *_clauses(query.require)]
    for preference in query.prefer:
        found.extend(_clauses(preference))
    return found


def test_the_file_loads_with_enough_queries(query_set: QuerySet) -> None:
    assert len(query_set.queries) >= 70
    texts = {query.text for query in query_set.queries}
    assert set(ISSUE_EXAMPLES) <= texts
    assert len(texts) == len(query_set.queries), "two queries have the same text"


def test_every_kind_has_queries(query_set: QuerySet) -> None:
    counts = Counter(kind for query in query_set.queries for kind in query.kinds)
    assert set(counts) == {"issue", "vibe", "outing", "place", "price", "free", "when"} | {
        "typo",
        "slang",
        "vague",
    }
    assert counts["issue"] == len(ISSUE_EXAMPLES)


def test_stated_places_and_prices_are_constraints(query_set: QuerySet) -> None:
    for query in query_set.queries:
        stated = _stated(query)
        if "place" in query.kinds:
            assert any(c.borough or c.place_any for c in stated), query.id
        if "free" in query.kinds:
            assert any(c.free for c in stated), query.id
        if "price" in query.kinds:
            priced = [c for c in _anywhere(query) if c.max_price is not None or c.min_price]
            assert priced, query.id


def test_constraints_only_appear_where_the_user_states_them(query_set: QuerySet) -> None:
    for query in query_set.queries:
        stated = _stated(query)
        if any(c.borough or c.place_any for c in stated):
            assert "place" in query.kinds, query.id
        if any(c.free for c in stated):
            assert "free" in query.kinds, query.id
        if any(c.max_price is not None for c in stated):
            assert "price" in query.kinds or "free" in query.kinds, query.id


def test_day_words_are_preferences_never_constraints(query_set: QuerySet) -> None:
    for query in query_set.queries:
        assert not any(c.when for c in _stated(query)), query.id
        assert not any(c.when for c in _clauses(query.concept)), query.id
        if "when" in query.kinds:
            assert any(c.when for p in query.prefer for c in _clauses(p)), query.id
