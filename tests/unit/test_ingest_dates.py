"""Date evidence → start/end/status/confidence (America/New_York), incl. property tests."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yescount.domain.events import DateStatus
from yescount.ingest.dates import GRACE_DAYS, infer_year, parse_structured, parse_when

REF = date(2026, 11, 20)
S, R, M, U = DateStatus.SINGLE, DateStatus.RANGE, DateStatus.MULTIPLE, DateStatus.UNCLEAR


@pytest.mark.parametrize(
    ("text", "status", "start", "end"),
    [
        ("Saturday, December 5, 2026", S, date(2026, 12, 5), None),
        ("Dec. 5", S, date(2026, 12, 5), None),
        ("5 December", S, date(2026, 12, 5), None),
        ("12/5/2026", S, date(2026, 12, 5), None),
        ("2026-12-05", S, date(2026, 12, 5), None),
        ("Mar 4–6", R, date(2027, 3, 4), date(2027, 3, 6)),
        ("March 4 - 6, 2027", R, date(2027, 3, 4), date(2027, 3, 6)),
        ("4–6 December", R, date(2026, 12, 4), date(2026, 12, 6)),
        ("Dec 28 – Jan 3", R, date(2026, 12, 28), date(2027, 1, 3)),
        ("12/28 - 1/3", R, date(2026, 12, 28), date(2027, 1, 3)),
        ("Dec 31, 2026 – Jan 1, 2027", R, date(2026, 12, 31), date(2027, 1, 1)),
        ("Dec 28 – Jan 3, 2027", R, date(2026, 12, 28), date(2027, 1, 3)),
        ("Fri Nov 27 – Sun Nov 29", R, date(2026, 11, 27), date(2026, 11, 29)),
        ("Nov 14 – Jan 4", R, date(2026, 11, 14), date(2027, 1, 4)),
        ("Nov 19 – Dec 24, daily", R, date(2026, 11, 19), date(2026, 12, 24)),
        ("through April 12", R, None, date(2027, 4, 12)),
        ("Now open through Apr. 12", R, None, date(2027, 4, 12)),
        ("Now – April 12", R, None, date(2027, 4, 12)),
        ("now open", M, None, None),
        ("every Friday", M, None, None),
        ("Thursdays–Sundays", M, None, None),
        ("Thu–Sun, 10am–6pm", M, None, None),
        ("Weekends through March 1", M, None, date(2027, 3, 1)),
        ("Saturdays, Dec 5 – Jan 30", M, date(2026, 12, 5), date(2027, 1, 30)),
        ("Opens Dec 5", M, date(2026, 12, 5), None),
        ("Dec 5, 12 and 19", M, date(2026, 12, 5), date(2026, 12, 19)),
        ("Nov 29, Dec 6 & Dec 13", M, date(2026, 11, 29), date(2026, 12, 13)),
        ("Dec 5 and 6", R, date(2026, 12, 5), date(2026, 12, 6)),
        ("Top 10 things to do", U, None, None),
        ("Dates to be announced", U, None, None),
        ("", U, None, None),
    ],
)
def test_parse_when(text: str, status: DateStatus, start: date | None, end: date | None) -> None:
    info = parse_when(text, ref=REF)
    assert (info.status, info.start, info.end) == (status, start, end)


def test_times_are_read_next_to_the_date() -> None:
    info = parse_when("Sat, Dec 5, 7pm-10pm", ref=REF)
    assert (info.time_start, info.time_end) == (time(19), time(22))
    assert parse_when("Wednesday, December 2 at 7:30 p.m.", ref=REF).time_start == time(19, 30)
    assert parse_when("Dec 2, 11-2pm", ref=REF).time_start == time(11)
    assert parse_when("Tuesday, December 1st at noon", ref=REF).time_start == time(12)


def test_confidence_and_evidence() -> None:
    explicit = parse_when("December 5, 2026", ref=REF)
    inferred = parse_when("December 5", ref=REF)
    weekly = parse_when("every Friday", ref=REF)
    assert explicit.confidence > inferred.confidence > weekly.confidence
    assert explicit.evidence == "December 5, 2026"
    assert parse_when("nothing here", ref=REF).confidence == 0


def test_year_inference_is_relative_to_the_page_not_now() -> None:
    # A page from last January mentions "Dec 28": that was the previous December.
    assert parse_when("Dec 28", ref=date(2026, 1, 5)).start == date(2025, 12, 28)
    assert parse_when("Jan 3", ref=date(2026, 12, 20)).start == date(2027, 1, 3)
    # Recently past dates stay in the page's year (then the past-event filter drops them).
    assert parse_when("Nov 18", ref=REF).start == date(2026, 11, 18)


def test_structured_values() -> None:
    info = parse_structured("2026-12-05T19:30:00-05:00", "2026-12-05T22:00:00-05:00", ref=REF)
    assert (info.status, info.start, info.time_start, info.time_end) == (
        S,
        date(2026, 12, 5),
        time(19, 30),
        time(22),
    )
    assert parse_structured("2026-10-01", "2027-03-31", ref=REF).status is R
    # A UTC instant late in the evening is still the New York day before.
    assert parse_structured("2026-12-06T01:00:00Z", None, ref=REF).start == date(2026, 12, 5)
    many = parse_structured("2026-12-04T19:00", None, ref=REF, more_starts=("2026-12-18T19:00",))
    assert (many.status, many.start, many.end) == (M, date(2026, 12, 4), date(2026, 12, 18))
    assert parse_structured("December 5, 2026 7:00 PM", None, ref=REF).time_start == time(19)
    assert parse_structured("5th of December 2026", None, ref=REF).start == date(2026, 12, 5)
    assert parse_structured("", None, ref=REF).status is U


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(day=days, ref=days)
def test_explicit_years_are_kept(day: date, ref: date) -> None:
    info = parse_when(f"{_MONTHS[day.month - 1]} {day.day}, {day.year}", ref=ref)
    assert (info.status, info.start) == (S, day)


@given(day=days, ref=days)
def test_missing_year_means_the_upcoming_occurrence(day: date, ref: date) -> None:
    info = parse_when(f"{day:%B} {day.day}", ref=ref)
    assert info.start is not None
    assert (info.start.month, info.start.day) == (day.month, day.day)
    floor = ref - timedelta(days=GRACE_DAYS)
    assert info.start >= floor
    # It is the *first* such date on or after the floor (no later year would do).
    earlier = infer_year(day.month, day.day, floor - timedelta(days=1), grace_days=0)
    assert earlier is None or earlier < floor or earlier == info.start


@given(start=days, length=st.integers(min_value=1, max_value=300), ref=days)
def test_ranges_without_years_keep_order_and_length(start: date, length: int, ref: date) -> None:
    end = start + timedelta(days=length)
    text = f"{_MONTHS[start.month - 1]} {start.day} – {_MONTHS[end.month - 1]} {end.day}"
    info = parse_when(text, ref=ref)
    if (start.month == 2 and start.day == 29) or (end.month == 2 and end.day == 29):
        return  # leap days may have no valid year nearby; covered below
    assert info.status is R
    assert info.start is not None
    assert info.end is not None
    assert info.start <= info.end
    assert (info.start.month, info.start.day, info.end.month, info.end.day) == (
        start.month,
        start.day,
        end.month,
        end.day,
    )
    assert info.end >= ref - timedelta(days=GRACE_DAYS)


@given(text=st.text(max_size=120), ref=days)
def test_any_text_gives_a_consistent_answer(text: str, ref: date) -> None:
    info = parse_when(text, ref=ref)
    assert 0 <= info.confidence <= 1
    if info.start and info.end:
        assert info.start <= info.end
    if info.status is S:
        assert info.start is not None
        assert info.end is None
    if info.status is U:
        assert info.start is None
        assert info.end is None
        assert info.confidence == 0


@given(text=st.text(alphabet=st.characters(exclude_categories=["Nd"]), max_size=80), ref=days)
def test_unknown_dates_never_become_the_reference_date(text: str, ref: date) -> None:
    # Text without digits names no day, so no date may appear out of thin air.
    info = parse_when(text, ref=ref)
    assert info.start is None
    assert info.end is None
