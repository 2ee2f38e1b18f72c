"""Query understanding: validation, terms, price/free/place/vibe hints, typo correction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yescount.errors import ValidationError
from yescount.search.query import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    area_matches,
    matched_terms,
    parse_query,
    validate_query,
)
from yescount.search.spelling import SpellingCorrector, search_vocabulary
from yescount.storage.repositories.term_counts import fts_match_expression


def test_query_is_trimmed_and_inner_whitespace_collapsed() -> None:
    assert validate_query("  free \n  jazz\t ") == "free jazz"


@pytest.mark.parametrize("raw", ["", "   ", None, "\n\t"])
def test_empty_query_is_rejected_with_a_clear_code(raw: str | None) -> None:
    with pytest.raises(ValidationError) as err:
        validate_query(raw)
    assert err.value.code == "query_empty"


def test_query_longer_than_500_characters_is_rejected() -> None:
    assert validate_query("a" * MAX_QUERY_CHARS) == "a" * MAX_QUERY_CHARS
    with pytest.raises(ValidationError) as err:
        validate_query("a" * (MAX_QUERY_CHARS + 1))
    assert err.value.code == "query_too_long"
    assert "500" in err.value.message


def test_terms_drop_stopwords_numbers_and_duplicates() -> None:
    parsed = parse_query("Things to do in Brooklyn with the kids and the KIDS 2026")
    assert parsed.terms == ("brooklyn", "kids")


@pytest.mark.parametrize(
    ("query", "cap"),
    [
        ("comedy under $30", Decimal(30)),
        ("dinner less than 25 dollars", Decimal(25)),
        ("jazz $40 or less", Decimal(40)),
        ("show below $19.50", Decimal("19.50")),
        ("party under 50 bucks or under $20", Decimal(20)),
        ("art < $15", Decimal(15)),
    ],
)
def test_price_caps_are_read_from_the_text(query: str, cap: Decimal) -> None:
    parsed = parse_query(query)
    assert parsed.max_price == cap
    assert not any(ch.isdigit() for ch in " ".join(parsed.terms))


def test_price_words_are_not_embedded() -> None:
    assert parse_query("comedy show under $30").embed_text == "comedy show"


def test_free_is_a_wish_not_a_filter_unless_only_free() -> None:
    wish = parse_query("free outdoor music in brooklyn")
    assert wish.wants_free
    assert wish.max_price is None
    assert "free" in wish.terms
    strict = parse_query("only free museums")
    assert strict.max_price == Decimal(0)


def test_gluten_free_is_not_a_price_word() -> None:
    assert not parse_query("gluten-free bakery tour").wants_free


def test_cheap_words_are_detected() -> None:
    assert parse_query("cheap immersive art").wants_cheap
    assert parse_query("affordable dinner").wants_cheap
    assert not parse_query("fancy dinner").wants_cheap


def test_boroughs_and_neighbourhoods_are_recognised() -> None:
    assert parse_query("techno in Bushwick").areas == ("bushwick",)
    assert parse_query("free music brooklyn").areas == ("brooklyn",)
    # The longest place named wins: the ferry is a Staten Island landmark.
    assert parse_query("staten island ferry views").areas == ("staten island ferry",)
    assert area_matches("staten island", "Staten Island Ferry, St. George, Staten Island")


def test_area_matching_uses_neighbourhoods_of_a_borough() -> None:
    assert area_matches("brooklyn", "Domino Park, Williamsburg")
    assert area_matches("brooklyn", "Brooklyn Steel, Brooklyn")
    assert not area_matches("brooklyn", "Bryant Park, Midtown, Manhattan")
    assert not area_matches("queens", None)


def test_vibes_come_from_synonyms() -> None:
    parsed = parse_query("chill outdoor concert for the family")
    assert set(parsed.vibes) == {"low-key", "outdoor", "music", "family-friendly"}


def test_matched_terms_allow_plural_and_inflections() -> None:
    text = "Four indie rock bands play concerts all night"
    assert matched_terms(("concert", "band", "jazz"), text) == ("concert", "band")


def test_possessive_s_is_dropped_from_terms() -> None:
    assert "year" in parse_query("new year's eve party").terms


def test_corrector_fixes_typos_and_shorthand_before_parsing() -> None:
    corrector = SpellingCorrector(search_vocabulary())
    parsed = parse_query("comdy nite", correct=corrector.correct)
    assert parsed.corrected == "comedy night"
    assert parsed.terms == ("comedy", "night")
    assert parsed.embed_text == "comedy night"
    assert parsed.text == "comdy nite"


def test_corrector_leaves_known_short_and_unmatched_words_alone() -> None:
    corrector = SpellingCorrector(["comedy", "jazz", "immersive", "experience"])
    assert corrector.correct("imersive") == "immersive"
    assert corrector.correct("expereince") == "experience"
    assert corrector.correct("jaz") == "jazz"
    assert corrector.correct("jazz") == "jazz"
    assert corrector.correct("zz") == "zz"
    assert corrector.correct("xylophone") == "xylophone"
    assert "comedy" in corrector


def test_uncorrected_query_reports_no_correction() -> None:
    corrector = SpellingCorrector(search_vocabulary())
    assert parse_query("comedy night", correct=corrector.correct).corrected is None


@given(st.text(min_size=1, max_size=MAX_QUERY_CHARS))
def test_any_non_blank_text_parses_or_fails_validation(raw: str) -> None:
    if not raw.split():
        with pytest.raises(ValidationError):
            parse_query(raw)
        return
    parsed = parse_query(raw)
    assert 1 <= len(parsed.text) <= MAX_QUERY_CHARS
    assert len(parsed.terms) <= MAX_TERMS
    assert all(term == term.lower() and term for term in parsed.terms)


@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=5))
def test_fts_expression_quotes_every_term(terms: list[str]) -> None:
    expression = fts_match_expression(terms)
    assert expression.count('"') % 2 == 0
    assert expression.count(" OR ") >= len(terms) - 1
