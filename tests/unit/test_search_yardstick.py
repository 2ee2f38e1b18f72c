"""The blind-search judge: term matching, places, rules, grades and nDCG (hand-made events)."""

from __future__ import annotations

import math
from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest

from tests.factories.events import event_record
from tests.search_yardstick import (
    Places,
    Query,
    Terms,
    dcg_at_k,
    evaluate,
    evaluate_search,
    grade,
    ndcg_at_k,
    normalise,
    parse_query,
    ranked_grades,
)
from yescount.domain.events import Event, EventDetails

TODAY = date(2026, 3, 4)  # a Wednesday
PLACES = Places.from_table(
    {"brooklyn": ["williamsburg", "bed-stuy", "dumbo"], "manhattan": ["harlem"]}
)


def query(**spec: Any) -> Query:
    return parse_query({"id": "q", "text": "test query", "kinds": ["vibe"], **spec}, PLACES)


def event(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": "An evening out",
        "description": "Something to do.",
        "location": "Some Venue, Harlem, Manhattan",
        "tags": [],
        "price_min": None,
        "price_max": None,
        "date_start": TODAY,
        "date_status": "single",
    }
    return {**base, **fields}


# --- Terms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        ("art", "modern art, all day", True),
        ("art", "a party at the start", False),
        ("ghost*", "two ghostly walks", True),
        ("ghost*", "no aghostly here", False),
        ("stand-up", "stand up night", True),
        ("stand-up", "standup night", True),
        ("stand-up", "Stand-Up Tuesday", True),
        ("seance", "a séance by candlelight", True),
        ("séance*", "victorian seances", True),
        ("live music", "live\n  music", True),
        ("live music", "live musicians", False),
        ("hell's kitchen", "Bar, Hell’s Kitchen, Manhattan", True),
        ("walk", "a walk-through maze", True),
    ],
)
def test_terms_match_whole_words_ignoring_case_and_accents(
    term: str, text: str, found: bool
) -> None:
    assert Terms.of([term]).found_in(normalise(text)) is found


@pytest.mark.parametrize("bad", ["", "*", "ghost**", "a/b", 3, "-"])
def test_bad_terms_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="term"):
        Terms.of([bad])


# --- Places -----------------------------------------------------------------------


def test_the_borough_named_last_wins() -> None:
    assert PLACES.borough_of("manhattan bridge archway, dumbo, brooklyn") == "brooklyn"
    assert PLACES.borough_of("the bronx zoo, bronx") == "bronx"
    assert PLACES.borough_of("snug harbor, staten island") == "staten island"


def test_a_neighbourhood_gives_the_borough_when_none_is_named() -> None:
    assert PLACES.borough_of("some bar, williamsburg") == "brooklyn"
    assert PLACES.borough_of("a loft in bed stuy") == "brooklyn"
    assert PLACES.borough_of("somewhere nice") is None


def test_a_neighbourhood_in_two_boroughs_is_refused() -> None:
    with pytest.raises(ValueError, match="two boroughs"):
        Places.from_table({"brooklyn": ["astoria"], "queens": ["astoria"]})
    with pytest.raises(ValueError, match="unknown borough"):
        Places.from_table({"jersey": ["hoboken"]})


# --- Concept, constraints, preferences ---------------------------------------------


COMEDY = {"any_tags": ["comedy"], "text_any": ["comedy", "improv*", "stand-up"]}


def test_a_tag_is_a_match_even_when_no_word_repeats_the_query() -> None:
    q = query(concept=COMEDY)
    assert grade(q, event(tags=["comedy"], title="Drag Bingo")) == 2
    assert grade(q, event(description="An improvised night of improv games")) == 2
    assert grade(q, event(title="Poetry installation", tags=["artsy"])) == 0


def test_a_broken_stated_place_caps_the_grade_at_zero() -> None:
    q = query(concept=COMEDY, require={"borough": "brooklyn"})
    assert grade(q, event(tags=["comedy"], location="Club, Williamsburg")) == 2
    assert grade(q, event(tags=["comedy"], location="Club, Harlem, Manhattan")) == 0
    assert grade(q, event(tags=["comedy"], location=None)) == 1  # cannot tell
    assert grade(q, event(tags=["comedy"], location="Somewhere")) == 1


def test_place_any_reads_the_location_only() -> None:
    q = query(require={"place_any": ["union square"]})
    assert grade(q, event(location="Park, Union Square, Manhattan")) == 2
    assert grade(q, event(description="Meet at Union Square", location="Bar, Harlem")) == 0


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (Decimal(12), Decimal(12), 2),
        (Decimal(25), Decimal(40), 2),  # the lowest price counts
        (Decimal(0), Decimal(20), 2),  # pay what you wish
        (Decimal(0), Decimal(0), 2),
        (Decimal(85), Decimal(140), 0),
        (None, None, 1),  # unknown: cannot tell
    ],
)
def test_a_price_cap_reads_the_lowest_price(
    low: Decimal | None, high: Decimal | None, expected: int
) -> None:
    q = query(concept={"any_tags": ["immersive"]}, require={"max_price": 25})
    assert grade(q, event(tags=["immersive"], price_min=low, price_max=high)) == expected


def test_min_price_reads_the_highest_known_price() -> None:
    q = query(prefer=[{"min_price": 75}])
    assert grade(q, event(price_min=40, price_max=120)) == 2
    assert grade(q, event(price_min=90)) == 2  # "from $90"
    assert grade(q, event(price_min=40, price_max=60)) == 1
    assert grade(q, event()) == 1


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"price_min": 0, "price_max": 0}, 2),
        ({"price_min": 0}, 2),  # (0, NULL) reads as free
        ({"tags": ["free"]}, 2),  # free from the text, price unknown
        ({"price_min": 0, "price_max": 20}, 0),  # pay what you wish is not free
        ({"price_min": 10, "price_max": 10}, 0),
        ({}, 1),  # unknown price, no tag
    ],
)
def test_free(fields: dict[str, Any], expected: int) -> None:
    assert grade(query(require={"free": True}), event(**fields)) == expected


def test_a_missed_preference_gives_one() -> None:
    q = query(concept={"any_tags": ["music"]}, prefer=[{"text_any": ["bar", "drinks"]}])
    assert grade(q, event(tags=["music"], description="Live band and drinks")) == 2
    assert grade(q, event(tags=["music"], description="A concert hall recital")) == 1
    assert grade(q, event(tags=["food"], description="drinks")) == 0


def test_none_tags_and_text_none_exclude() -> None:
    q = query(require={"none_tags": ["family-friendly"], "text_none": ["kids"]})
    assert grade(q, event()) == 2
    assert grade(q, event(tags=["family-friendly"])) == 0
    assert grade(q, event(description="Bring the kids")) == 0


def test_all_of_and_any_of() -> None:
    both = query(concept={"all_of": [{"any_tags": ["immersive"]}, {"text_any": ["theater"]}]})
    assert grade(both, event(tags=["immersive"], description="Immersive theater")) == 2
    assert grade(both, event(tags=["immersive"], description="A VR game")) == 0
    either = query(require={"any_of": [{"free": True}, {"max_price": 25}]})
    assert grade(either, event(tags=["free"])) == 2
    assert grade(either, event(price_min=20)) == 2
    assert grade(either, event(price_min=30)) == 0
    assert grade(either, event()) == 1


def test_a_query_without_concept_fits_every_event() -> None:
    assert grade(query(require={"borough": "manhattan"}), event()) == 2


# --- Days and times -----------------------------------------------------------------


WEEKEND = {"when": {"days": [0, 6], "weekdays": ["sat", "sun"]}}


def test_day_rules_count_from_today() -> None:
    q = query(prefer=[WEEKEND])
    saturday = date(2026, 3, 7)
    assert grade(q, event(date_start=saturday), today=TODAY) == 2
    assert grade(q, event(date_start=TODAY), today=TODAY) == 1
    assert grade(q, event(date_start=date(2026, 3, 14)), today=TODAY) == 1  # next week
    ranged = event(date_status="range", date_start=TODAY, date_end=date(2026, 3, 20))
    assert grade(q, ranged, today=TODAY) == 2


def test_multiple_or_unclear_dates_may_happen_any_day() -> None:
    q = query(prefer=[WEEKEND])
    undated = event(date_status="unclear", date_start=None)
    assert grade(q, undated, today=TODAY) == 2


def test_day_rules_need_today() -> None:
    with pytest.raises(ValueError, match="today"):
        grade(query(prefer=[WEEKEND]), event())


def test_start_times() -> None:
    q = query(prefer=[{"when": {"starts_after": "17:00", "starts_before": "23:00"}}])
    assert grade(q, event(time_start=time(19, 30))) == 2
    assert grade(q, event(time_start=time(17, 0))) == 2
    assert grade(q, event(time_start=time(11, 0))) == 1
    assert grade(q, event(time_start="23:00")) == 1
    assert grade(q, event()) == 1  # unknown time: preference not met


# --- Event shapes -------------------------------------------------------------------


def test_a_domain_event_and_its_dict_grade_alike() -> None:
    record = event_record(
        title="Improv Jam",
        description="Scenes made up on the spot.",
        location="The Bell House, Gowanus, Brooklyn",
        vibe_tags=("comedy",),
        price_min=Decimal(15),
        price_max=Decimal(15),
    )
    shared = {f.name: getattr(record, f.name) for f in dataclass_fields(EventDetails)}
    stored = Event(**shared, id=7, content_hash="x")
    q = query(concept=COMEDY, require={"borough": "brooklyn", "max_price": 25})
    assert grade(q, record) == grade(q, stored) == grade(q, asdict(stored)) == 2


@pytest.mark.parametrize(
    "spec",
    [
        {"concept": {"any_tags": ["horror"]}},
        {"concept": {"txt_any": ["x"]}},
        {"concept": {}},
        {"require": {"borough": "jersey"}},
        {"require": {"max_price": "cheap"}},
        {"require": {"max_price": -1}},
        {"require": {"free": False}},
        {"prefer": [{"when": {"weekdays": ["sat"]}}]},
        {"prefer": [{"when": {"days": [3, 1]}}]},
        {"prefer": [{"when": {"days": [0, 6], "weekdays": ["saturday"]}}]},
        {"prefer": [{"when": {"starts_after": "7pm"}}]},
        {"kinds": ["mood"], "concept": COMEDY},
        {"text": "one two three four five six seven eight nine ten eleven", "concept": COMEDY},
        {"kinds": ["vibe"]},
    ],
)
def test_bad_rules_are_refused_with_the_reason(spec: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="query 'q'"):
        query(**spec)


# --- nDCG ---------------------------------------------------------------------------


def test_ndcg_of_the_ideal_order_is_one() -> None:
    assert ndcg_at_k([2, 2, 1, 0], [0, 1, 2, 2]) == pytest.approx(1.0)


def test_ndcg_by_hand() -> None:
    # DCG = 3/log2(3); ideal = 3/log2(2) + 1/log2(3)
    expected = (3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg_at_k([0, 2, 0], [2, 1, 0, 0]) == pytest.approx(expected)


def test_ndcg_counts_only_the_first_k() -> None:
    assert ndcg_at_k([0, 0, 2], [2], k=2) == 0.0
    assert dcg_at_k([1] * 20, k=10) == pytest.approx(sum(1 / math.log2(i + 2) for i in range(10)))


def test_ndcg_is_undefined_when_nothing_is_relevant() -> None:
    assert ndcg_at_k([0, 0], [0, 0, 0]) is None
    with pytest.raises(ValueError, match="k must be"):
        ndcg_at_k([1], [1], k=0)
    with pytest.raises(ValueError, match="grade"):
        ndcg_at_k([-1], [1])


def _catalogue() -> list[dict[str, Any]]:
    return [
        event(id=1, tags=["comedy"], location="Club, Williamsburg"),
        event(id=2, tags=["comedy"], location="Club, Harlem, Manhattan"),
        event(id=3, tags=["music"], location="Hall, Williamsburg"),
        event(id=4, description="stand-up night", location="Bar, Bed-Stuy, Brooklyn"),
    ]


def test_evaluate_per_query_and_mean() -> None:
    catalogue = _catalogue()
    comedy_bk = query(concept=COMEDY, require={"borough": "brooklyn"})
    music = parse_query(
        {"id": "m", "text": "music", "kinds": ["vibe"], "concept": {"any_tags": ["music"]}},
        PLACES,
    )
    spooky = parse_query(
        {"id": "s", "text": "spooky", "kinds": ["vibe"], "concept": {"text_any": ["ghost*"]}},
        PLACES,
    )
    ranked = {"q": [catalogue[2], catalogue[0], catalogue[3]], "m": [catalogue[2]], "s": []}
    result = evaluate([comedy_bk, music, spooky], ranked, catalogue)
    ideal = 3 + 3 / math.log2(3)
    assert result.per_query["q"] == pytest.approx((3 / math.log2(3) + 3 / 2) / ideal)
    assert result.per_query["m"] == pytest.approx(1.0)
    assert result.unjudged == ("s",)
    assert result.mean == pytest.approx((result.per_query["q"] + 1.0) / 2)  # type: ignore[operator]
    assert result.worst(1)[0][0] == "q"


def test_an_event_ranked_twice_counts_once() -> None:
    catalogue = _catalogue()
    q = query(concept=COMEDY, require={"borough": "brooklyn"})
    assert ranked_grades(q, [catalogue[0], catalogue[0], catalogue[3]]) == [2, 0, 2]
    result = evaluate([q], {"q": [catalogue[0], catalogue[0]]}, catalogue)
    assert result.per_query["q"] == pytest.approx(3 / (3 + 3 / math.log2(3)))


def test_an_event_outside_the_catalogue_joins_the_ideal() -> None:
    catalogue = _catalogue()
    stranger = event(id=99, tags=["comedy"], location="Loft, Dumbo, Brooklyn")
    q = query(concept=COMEDY, require={"borough": "brooklyn"})
    result = evaluate([q], {"q": [stranger, catalogue[0], catalogue[3]]}, catalogue)
    assert result.per_query["q"] == pytest.approx(1.0)


def test_evaluate_needs_results_for_every_query() -> None:
    with pytest.raises(KeyError, match="q"):
        evaluate([query(concept=COMEDY)], {}, _catalogue())


def test_evaluate_search_runs_the_search_with_the_query_text() -> None:
    catalogue = _catalogue()
    asked: list[str] = []

    def search(text: str) -> list[dict[str, Any]]:
        asked.append(text)
        return [catalogue[1], catalogue[0]]

    result = evaluate_search([query(concept=COMEDY)], search, catalogue, today=TODAY)
    assert asked == ["test query"]
    # three comedy events are relevant (grade 2); two of them ranked first
    ideal = 3 + 3 / math.log2(3) + 3 / 2
    assert result.per_query["q"] == pytest.approx((3 + 3 / math.log2(3)) / ideal)


def test_an_event_record_has_a_key_without_an_id() -> None:
    record = event_record(vibe_tags=("comedy",))
    q = query(concept=COMEDY)
    assert ranked_grades(q, [record, record]) == [2, 0]
