"""Cross-source duplicate detection: fingerprints, fuzzy titles, dates and venues."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from yescount.domain.dedup import DedupView, richness
from yescount.domain.events import DateStatus, EventRecord
from yescount.ingest.dedup import (
    best_match,
    fingerprint,
    is_duplicate,
    merge_decision,
    title_key,
    venue_key,
)


def view(
    id_: int,
    title: str,
    start: date | None = date(2026, 12, 2),
    end: date | None = None,
    location: str | None = "Rockefeller Plaza",
    source: str = "secretnyc",
) -> DedupView:
    status = DateStatus.SINGLE if start and not end else DateStatus.RANGE
    return DedupView(id_, source, title, status, start, end, location, richness=1.0)


def test_keys_ignore_case_accents_punctuation_and_filler() -> None:
    assert title_key("The NYC Café Crawl!") == title_key("cafe crawl")
    assert venue_key("Brooklyn Steel, Williamsburg") == "brooklyn steel"
    assert venue_key(None) == ""


def test_same_event_listed_by_two_sources() -> None:
    a = view(1, "Watch The Rockefeller Center Christmas Tree Lighting")
    b = view(
        2, "Rockefeller Center Christmas Tree Lighting", location="Rockefeller Plaza, Manhattan"
    )
    assert is_duplicate(a, b)
    assert best_match(b, [a, view(3, "Menorah Lighting", location="Grand Army Plaza")]) == a


def test_different_dates_or_venues_are_different_events() -> None:
    a = view(1, "Holiday Market")
    assert not is_duplicate(a, view(2, "Holiday Market", start=date(2026, 12, 20)))
    assert not is_duplicate(a, view(2, "Holiday Market", location="Grand Army Plaza, Brooklyn"))
    assert not is_duplicate(a, view(2, "Comedy Night"))


def test_overlapping_ranges_match_and_undated_needs_near_identical_titles() -> None:
    run = view(
        1, "Holiday Train Show", date(2026, 11, 21), date(2027, 1, 18), "New York Botanical Garden"
    )
    listing = view(
        2, "Catch The Holiday Train Show", date(2026, 11, 21), date(2027, 1, 18), "NYBG, Bronx"
    )
    assert is_duplicate(run, view(3, "Holiday Train Show", date(2026, 12, 5), None, None))
    assert not is_duplicate(
        view(4, "Walking Tour", None, None, None), view(5, "Walking Tours", None, None, None)
    )
    assert is_duplicate(
        view(6, "Walking Tour", None, None, "Central Park"),
        view(7, "Walking Tour", None, None, "Central Park"),
    )
    assert fingerprint(listing) != fingerprint(run)


def test_richer_records_score_higher() -> None:
    poor = EventRecord(
        source="s", source_id="1", title="T", url="https://e.org/", date_status=DateStatus.UNCLEAR,
        extraction_method="listicle",
    )  # fmt: skip
    rich = EventRecord(
        source="s", source_id="2", title="T", url="https://e.org/", date_status=DateStatus.SINGLE,
        description="x" * 400, date_start=date(2026, 12, 2), date_confidence=0.95,
        location="Here", price_min=Decimal(10), image_url="https://e.org/i.jpg",
        extraction_method="jsonld",
    )  # fmt: skip
    assert richness(rich) > richness(poor)


def test_the_richer_duplicate_stays_canonical() -> None:
    stored = DedupView(1, "a", "Holiday Market", DateStatus.SINGLE, date(2026, 12, 2), None,
                       "Union Square", richness=1.0)  # fmt: skip
    views = {1: stored}
    poorer = DedupView(2, "b", "The Holiday Market", DateStatus.SINGLE, date(2026, 12, 2), None,
                       "Union Square Park", richness=0.5)  # fmt: skip
    assert merge_decision(poorer, views) == (2, 1)
    assert set(views) == {1}
    richer = DedupView(3, "c", "Holiday Market NYC", DateStatus.SINGLE, date(2026, 12, 2), None,
                       "Union Square", richness=2.0)  # fmt: skip
    assert merge_decision(richer, views) == (1, 3)
    assert set(views) == {3}
    other = DedupView(4, "c", "Jazz Night", DateStatus.SINGLE, date(2026, 12, 2), None,
                      "Blue Note", richness=2.0)  # fmt: skip
    assert merge_decision(other, views) is None
    assert set(views) == {3, 4}


@given(title=st.text(min_size=1, max_size=60))
def test_an_event_duplicates_itself(title: str) -> None:
    assert is_duplicate(view(1, title), view(2, title))
