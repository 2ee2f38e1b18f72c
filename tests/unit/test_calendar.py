"""The .ics export, checked by parsing it with the icalendar package."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from yescount.domain.calendar import CalendarEvent, escape_text, fold, render_calendar

NOW = datetime(2026, 11, 25, 15, 4, 5, tzinfo=UTC)
NY = ZoneInfo("America/New_York")
LONG_TITLE = "Jazz, Blues; and \\ more — an évening of lïve music " * 3


def _pick(**overrides: object) -> CalendarEvent:
    fields: dict[str, object] = {
        "uid": "sid-1-20261204@yescount",
        "title": LONG_TITLE,
        "begins": datetime(2026, 12, 4, 19),
        "ends": datetime(2026, 12, 4, 22),
        "url": "https://example.org/jazz?x=1,2",
        "description": "Ema and Jake are in!\nPlan & RSVP: https://y.example/?session=1",
        "location": "Naumburg Bandshell, Central Park",
    }
    fields.update(overrides)
    return CalendarEvent(**fields)  # type: ignore[arg-type]


def test_calendar_parses_with_the_expected_fields() -> None:
    data = render_calendar([_pick()], now=NOW)
    calendar = icalendar.Calendar.from_ical(data)
    (only,) = calendar.walk("VEVENT")
    vevent: Any = only  # icalendar types each value as a union of every kind
    assert str(vevent["SUMMARY"]) == LONG_TITLE
    assert vevent["DTSTART"].dt == datetime(2026, 12, 4, 19, tzinfo=NY)
    assert vevent["DTEND"].dt == datetime(2026, 12, 4, 22, tzinfo=NY)
    assert vevent["DTSTART"].params["TZID"] == "America/New_York"
    assert vevent["DTSTAMP"].dt == NOW
    assert str(vevent["UID"]) == "sid-1-20261204@yescount"
    assert str(vevent["URL"]) == "https://example.org/jazz?x=1,2"
    assert str(vevent["LOCATION"]) == "Naumburg Bandshell, Central Park"
    assert str(vevent["DESCRIPTION"]) == (
        "Ema and Jake are in!\nPlan & RSVP: https://y.example/?session=1"
    )
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "America/New_York"
    assert str(calendar["VERSION"]) == "2.0"
    assert "PRODID" in calendar


def test_summer_pick_is_in_daylight_time() -> None:
    data = render_calendar(
        [_pick(begins=datetime(2026, 7, 4, 19), ends=datetime(2026, 7, 4, 22))], now=NOW
    )
    (only,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    vevent: Any = only  # icalendar types each value as a union of every kind
    assert vevent["DTSTART"].dt.utcoffset().total_seconds() == -4 * 3600


def test_lines_are_crlf_and_folded_at_75_octets() -> None:
    data = render_calendar([_pick()], now=NOW)
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    physical = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in physical) <= 75
    continuation = [line for line in physical if line.startswith(b" ")]
    assert continuation  # the long title was folded
    for line in physical:
        line.decode("utf-8")  # no UTF-8 character was split across lines
    assert b"DTSTART;TZID=America/New_York:20261204T190000\r\n" in data
    assert b"DTSTAMP:20261125T150405Z\r\n" in data


def test_optional_fields_are_omitted() -> None:
    data = render_calendar([_pick(location=None, description="")], now=NOW)
    assert b"LOCATION" not in data
    assert b"DESCRIPTION" not in data


def test_text_escaping() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


@settings(deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_fold_round_trips_and_respects_the_limit(text: str) -> None:
    line = "SUMMARY:" + escape_text(text)
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))


@settings(deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=200))
def test_any_title_survives_a_parse(title: str) -> None:
    data = render_calendar([_pick(title=title)], now=NOW)
    (only,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    vevent: Any = only  # icalendar types each value as a union of every kind
    assert str(vevent["SUMMARY"]) == title


def test_years_before_1000_keep_four_digits() -> None:
    early = _pick(begins=datetime(1, 1, 1, 19), ends=datetime(1, 1, 1, 22))
    data = render_calendar([early], now=datetime(999, 3, 4, 5, 6, 7, tzinfo=UTC)).decode()
    assert "DTSTART;TZID=America/New_York:00010101T190000" in data
    assert "DTSTAMP:09990304T050607Z" in data
