"""Voting-card curation (SPEC §5): sources, window, budget, quality order, card copy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

from hypothesis import given
from hypothesis import strategies as st

from tests.factories.events import event
from yescount.domain.curation import (
    MAX_CARDS,
    SUMMARY_CHARS,
    TITLE_CHARS,
    card_summary,
    card_title,
    priority_keywords,
    quality,
    rank_cards,
)
from yescount.domain.events import DateStatus

WINDOW = (date(2026, 12, 1), date(2026, 12, 14))


make_event = partial(
    event,
    description="An evening out.",
    date_confidence=0.9,
    location="Somewhere, Brooklyn",
    price_min=Decimal(20),
    price_max=Decimal(20),
)


def test_only_website_sources_become_cards() -> None:
    cards = rank_cards([make_event(1), make_event(2, source="nyc_open_data")], window=WINDOW)
    assert [c.event.id for c in cards] == [1]


def test_events_outside_the_window_are_left_out_undated_ones_kept() -> None:
    before = make_event(1, date_start=date(2026, 11, 1))
    after = make_event(2, date_start=date(2026, 12, 20))
    inside_range = make_event(
        3, date_status=DateStatus.RANGE, date_start=date(2026, 11, 1), date_end=date(2026, 12, 2)
    )
    unclear = make_event(4, date_status=DateStatus.UNCLEAR, date_start=None)
    ids = {c.event.id for c in rank_cards([before, after, inside_range, unclear], window=WINDOW)}
    assert ids == {3, 4}


def test_budget_cap_keeps_cheaper_and_unknown_prices() -> None:
    cheap = make_event(1, price_min=Decimal(10))
    pricey = make_event(2, price_min=Decimal(80))
    unknown = make_event(3, price_min=None, price_max=None)
    cards = rank_cards([cheap, pricey, unknown], window=WINDOW, max_price=Decimal(30))
    assert {c.event.id for c in cards} == {1, 3}


def test_priority_keywords_rich_text_and_confident_dates_rank_higher() -> None:
    plain = make_event(1, description="Drinks.", date_confidence=0.3)
    rich = make_event(
        2,
        title="Immersive theater pop-up",
        description="An immersive theater festival in a warehouse. " * 10,
        date_confidence=1.0,
        image_url="https://img.example.org/2.jpg",
    )
    cards = rank_cards([plain, rich], window=WINDOW)
    assert [c.event.id for c in cards] == [2, 1]
    assert cards[0].score > cards[1].score
    assert any("Immersive" in reason for reason in cards[0].reasons)


def test_preferred_vibes_lift_matching_events_and_say_so() -> None:
    music = make_event(1, vibe_tags=("music",))
    food = make_event(2, vibe_tags=("food",))
    cards = rank_cards([food, music], window=WINDOW, vibe_tags=("music",))
    assert cards[0].event.id == 1
    assert cards[0].reasons[0] == "your vibe: music"


def test_at_most_thirty_cards() -> None:
    many = [make_event(i) for i in range(1, 80)]
    assert len(rank_cards(many, window=WINDOW)) == MAX_CARDS
    assert len(rank_cards(many, window=WINDOW, limit=500)) == MAX_CARDS
    assert len(rank_cards(many, window=WINDOW, limit=5)) == 5


def test_no_window_means_any_date() -> None:
    old = make_event(1, date_start=date(2025, 1, 1))
    assert len(rank_cards([old], window=None)) == 1


def test_priority_keywords_are_whole_words() -> None:
    assert priority_keywords(make_event(title="A guide for theatergoers")) == ()
    assert priority_keywords(make_event(title="New exhibit and a pop-up")) == ("exhibit", "pop-up")


def test_quality_is_between_zero_and_one() -> None:
    best = make_event(
        title="Immersive theater festival exhibit pop-up",
        description="x" * 2000,
        image_url="https://img",
        date_confidence=1.0,
        vibe_tags=("music",),
    )
    score, _ = quality(best, vibe_tags=("music",))
    assert 0.9 <= score <= 1.0
    worst, _ = quality(
        make_event(description="", location=None, price_min=None, date_confidence=0.0)
    )
    assert worst == 0.0


def test_card_title_strips_site_names_and_cuts_at_a_word() -> None:
    assert card_title("Jazz Night | Time Out New York") == "Jazz Night"
    long = "The Extraordinarily Long and Winding Title of a Very Immersive Winter Experience"
    cut = card_title(long)
    assert len(cut) <= TITLE_CHARS
    assert cut.endswith("…")
    assert long.startswith(cut[:-1])


def test_card_summary_keeps_whole_sentences_within_two_lines() -> None:
    event = make_event(
        description="First sentence here. Second one is also short. " + "Third is long. " * 20
    )
    summary = card_summary(event)
    assert summary.startswith("First sentence here. Second one is also short.")
    assert len(summary) <= SUMMARY_CHARS


def test_card_summary_without_description_uses_place_date_and_price() -> None:
    summary = card_summary(make_event(description=""))
    assert summary == "Somewhere, Brooklyn · Sat, Dec 5 · $20"


def test_card_summary_cuts_one_huge_sentence() -> None:
    summary = card_summary(make_event(description="word " * 100))
    assert len(summary) <= SUMMARY_CHARS
    assert summary.endswith("…")


@given(st.text(min_size=1, max_size=300))
def test_card_title_is_never_longer_than_sixty(title: str) -> None:
    assert len(card_title(title)) <= TITLE_CHARS


@given(st.text(max_size=3000))
def test_card_summary_is_never_longer_than_two_lines(description: str) -> None:
    assert len(card_summary(make_event(description=description))) <= SUMMARY_CHARS
