"""The search vocabulary (config/search_concepts.yaml) and how queries read with it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from yescount.search.query import CHEAP_PRICE, parse_query
from yescount.search.vocabulary import load_vocabulary, normalise, phrase_pattern
from yescount.search.when import read_when

WEDNESDAY = date(2026, 3, 4)


def names(query: str) -> list[str]:
    return [c.name for c in parse_query(query, today=WEDNESDAY).concepts]


def test_the_vocabulary_loads_and_only_uses_product_tags() -> None:
    vocabulary = load_vocabulary()
    assert len(vocabulary.concepts) >= 50
    assert vocabulary.aliases["tn"] == "tonight"
    assert "bushwick" in vocabulary.neighbours["williamsburg"]


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("spooky ghost stories", "spooky"),
        ("stuff for toddlers", "family"),
        ("kids this weekend", "family"),
        ("date night", "romantic"),
        ("rainy Sunday", "rainy-day"),
        ("live music saturday", "live-music"),
        ("classical music concert", "classical"),
        ("boat ride on the water", "boat"),
        ("rooftop drinks", "rooftop"),
        ("something chill near Union Square", "low-key"),
        ("birthday thing for 8 under $40", "birthday"),
    ],
)
def test_query_words_name_concepts(query: str, concept: str) -> None:
    assert concept in names(query)


def test_a_tag_is_a_match_even_when_no_word_repeats_the_query() -> None:
    family = next(c for c in load_vocabulary().concepts if c.name == "family")
    assert family.matches(("family-friendly",), "a puppet matinee") == "family-friendly"
    spooky = next(c for c in load_vocabulary().concepts if c.name == "spooky")
    assert spooky.matches((), normalise("A Séance at the Manor")) == "seance"
    assert spooky.matches((), "a sunny picnic") is None


def test_a_phrase_inside_a_longer_one_is_not_counted_again() -> None:
    assert "theater" not in names("comedy show")
    assert names("live jazz in brooklyn") == ["jazz"]


def test_no_kids_rules_the_family_concept_out() -> None:
    parsed = parse_query("grown up night out, no kids")
    assert "family" in [c.name for c in parsed.excluded]
    assert "family" not in [c.name for c in parsed.concepts]


def test_constraints_free_cheap_caps_and_places() -> None:
    assert parse_query("cheap immersive art").price_cap == CHEAP_PRICE == Decimal(25)
    assert parse_query("live music no cover").price_cap == 0
    assert parse_query("a show under 50 bucks").price_cap == 50
    assert parse_query("broke, free or cheap pls").price_cap == CHEAP_PRICE
    assert parse_query("bday drinks bk").areas == ("brooklyn",)
    assert parse_query("ues museum").areas == ("upper east side",)
    assert parse_query("cheap stuff downtown").browsing


def test_typos_slang_and_stretched_letters() -> None:
    assert names("spooooky stuff") == ["spooky"]
    assert "karaoke" in names("karaoke tmrw")
    tonight = parse_query("comedy tn", today=WEDNESDAY).when
    assert tonight is not None
    assert (tonight.first, tonight.last, tonight.label) == (0, 0, "tonight")


def test_day_words_are_preferences_with_days_from_today() -> None:
    when, rest = read_when("live music saturday", WEDNESDAY)
    assert when is not None
    assert (when.first, when.last) == (3, 3)
    assert rest == "live music"
    weekend, _ = read_when("kids this weekend", WEDNESDAY)
    assert weekend is not None
    assert weekend.weekdays == frozenset({5, 6})
    after, _ = read_when("fidi after work drinks", WEDNESDAY)
    assert after is not None
    assert after.starts_after is not None
    assert after.starts_after.hour == 17


def test_term_patterns_take_prefixes_and_hyphens() -> None:
    pattern = phrase_pattern(["ghost*", "stand-up"])
    assert pattern is not None
    assert pattern.search("ghostly tales")
    assert pattern.search("stand up night")
    assert pattern.search("standup")
    assert not pattern.search("aghast")
