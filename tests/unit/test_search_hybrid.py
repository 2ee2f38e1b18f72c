"""Hybrid fusion: scores, the weak-match threshold, nearest-by-meaning, boosts, reasons."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from yescount.domain.events import DateStatus, Event
from yescount.domain.search import LexicalHit
from yescount.search.hybrid import BREAK, KEEP, MIN_SCORE, UNKNOWN, fuse
from yescount.search.query import matched_in_line, matched_terms, parse_query, word_line


def make_event(event_id: int, title: str, **overrides: object) -> Event:
    base = Event(
        id=event_id,
        source="secretnyc",
        source_id=str(event_id),
        title=title,
        url=f"https://example.org/{event_id}",
        date_status=DateStatus.SINGLE,
        date_start=date(2026, 12, 5),
        description="",
        location="Somewhere, Manhattan",
        price_min=Decimal(25),
        price_max=Decimal(25),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def test_strong_matches_rank_first_and_weak_ones_are_dropped() -> None:
    parsed = parse_query("jazz concert")
    events = {
        1: make_event(1, "Jazz concert at the Vanguard"),
        2: make_event(2, "Pottery class"),
        3: make_event(3, "Big band swing"),
    }
    hits = fuse(
        parsed,
        events,
        similarities={1: 0.7, 2: 0.05, 3: 0.55},
        lexical=[LexicalHit(1, 5.0)],
    )
    assert [h.event.id for h in hits] == [1, 3]
    assert hits[0].score > hits[1].score >= MIN_SCORE
    assert "mentions jazz, concert" in hits[0].reasons
    assert any(r.startswith("close in meaning") for r in hits[0].reasons)


def test_nearest_by_meaning_survive_a_low_absolute_score() -> None:
    parsed = parse_query("get some exercise")
    events = {i: make_event(i, f"Event {i}") for i in range(1, 8)}
    sims = {1: 0.26, 2: 0.24, 3: 0.19, 4: 0.12, 5: 0.11, 6: 0.10, 7: 0.09}
    hits = fuse(parsed, events, similarities=sims, lexical=[])
    assert [h.event.id for h in hits] == [1, 2]


def test_noise_level_similarities_return_nothing() -> None:
    parsed = parse_query("asdfgh")
    events = {i: make_event(i, f"Event {i}") for i in range(1, 5)}
    hits = fuse(parsed, events, similarities={1: 0.15, 2: 0.14, 3: 0.1, 4: 0.1}, lexical=[])
    assert hits == []


def test_free_area_and_vibe_hints_boost_and_explain() -> None:
    parsed = parse_query("free outdoor music in brooklyn")
    plain = make_event(1, "Music in the park", vibe_tags=("music",))
    wanted = make_event(
        2,
        "Music in the park",
        location="Prospect Park, Brooklyn",
        price_min=Decimal(0),
        price_max=Decimal(0),
        vibe_tags=("music", "outdoor", "free"),
    )
    hits = fuse(parsed, {1: plain, 2: wanted}, similarities={1: 0.5, 2: 0.5}, lexical=[])
    assert [h.event.id for h in hits] == [2, 1]
    assert {"free", "in Brooklyn", "outdoor", "music"} <= set(hits[0].reasons)


def test_price_cap_is_explained() -> None:
    parsed = parse_query("comedy under $30")
    event = make_event(1, "Comedy night", price_min=Decimal(15), price_max=Decimal(15))
    hits = fuse(parsed, {1: event}, similarities={1: 0.6}, lexical=[LexicalHit(1, 1.0)])
    assert hits[0].reasons[:2] == ("comedy", "$15")


def test_text_only_mode_ranks_by_words_and_has_no_similarity() -> None:
    parsed = parse_query("jazz brunch")
    events = {1: make_event(1, "Jazz brunch in Harlem"), 2: make_event(2, "Jazz night")}
    hits = fuse(
        parsed,
        events,
        similarities=None,
        lexical=[LexicalHit(1, 4.0), LexicalHit(2, 1.0)],
    )
    assert [h.event.id for h in hits] == [1, 2]
    assert all(h.similarity is None for h in hits)
    assert hits[0].lexical == 1.0


def test_ties_are_broken_by_id_for_stable_output() -> None:
    parsed = parse_query("museum")
    events = {5: make_event(5, "Museum"), 2: make_event(2, "Museum")}
    hits = fuse(parsed, events, similarities={5: 0.6, 2: 0.6}, lexical=[])
    assert [h.event.id for h in hits] == [2, 5]


def test_places_are_kept_near_unknown_or_broken_whatever_was_asked_before() -> None:
    places = {
        1: "Some bar, Union Square, Manhattan",
        2: "A cafe, Gramercy, Manhattan",
        3: None,
        4: "A hall, Astoria, Queens",
    }
    events = {i: make_event(i, "Jazz night", location=place) for i, place in places.items()}
    union_square = {
        1: (KEEP, ["in Union Square"]),
        2: (KEEP, ["near Union Square"]),
        3: (UNKNOWN, []),
        4: (BREAK, []),
    }
    queens = {1: (BREAK, []), 2: (BREAK, []), 3: (UNKNOWN, []), 4: (KEEP, ["in Queens"])}
    # Place outcomes are cached per (areas, place): asking again must not mix them up.
    for query, expected in [
        ("jazz in union square", union_square),
        ("jazz in queens", queens),
        ("jazz in union square", union_square),
    ]:
        hits = fuse(parse_query(query), events, similarities=dict.fromkeys(events, 0.5), lexical=[])
        where = {
            h.event.id: (h.constraints, [r for r in h.reasons if r.startswith(("in ", "near "))])
            for h in hits
        }
        assert where == expected


def test_matched_terms_of_a_word_line_equal_those_of_the_text() -> None:
    text = "Séance at the Café: ghost STORIES, concerts and a band's set"
    terms = ("seance", "ghost", "story", "concert", "band", "jazz", "café")
    assert matched_in_line(terms, word_line(text)) == matched_terms(terms, text)
    assert matched_terms(terms, text) == ("ghost", "story", "concert", "band", "café")
