"""The Event read model: last day, overlap, possible dates, labels (SPEC §5, §6)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories.events import event
from yescount.domain.events import DateStatus, Event, Recurrence


def _event(status: DateStatus, start: date | None, end: date | None = None, **kw: object) -> Event:
    return event(
        1, source="secretnyc", source_id="x", title="T", url="https://secretnyc.co/x",
        date_status=status, date_start=start, date_end=end, **kw,
    )  # fmt: skip


DEC1, DEC5, DEC10, DEC31 = (
    date(2026, 12, 1),
    date(2026, 12, 5),
    date(2026, 12, 10),
    date(2026, 12, 31),
)


def test_single_day_event_happens_on_its_day_only() -> None:
    event = _event(DateStatus.SINGLE, DEC5)
    assert event.last_day() == DEC5
    assert list(event.possible_dates(DEC1, DEC10)) == [DEC5]
    assert not event.overlaps(date(2026, 12, 6), DEC10)


def test_range_is_clipped_to_the_window() -> None:
    event = _event(DateStatus.RANGE, DEC1, DEC10)
    days = list(event.possible_dates(DEC5, DEC31))
    assert days[0] == DEC5
    assert days[-1] == DEC10
    assert len(days) == 6


def test_open_ended_range_stays_possible_after_it_opens() -> None:
    """ "Opens Dec 5" / "now open": a start and no end is not a one-day event."""
    event = _event(DateStatus.RANGE, DEC5)
    assert event.last_day() is None
    assert event.overlaps(date(2026, 12, 20), DEC31)
    assert next(iter(event.possible_dates(DEC1, DEC10))) == DEC5
    assert list(event.possible_dates(DEC1, DEC10))[-1] == DEC10
    assert not event.overlaps(DEC1, date(2026, 12, 4))


def test_through_date_without_start_ends_on_its_date() -> None:
    event = _event(DateStatus.RANGE, None, DEC5)
    assert event.overlaps(DEC1, DEC10)
    assert not event.overlaps(date(2026, 12, 6), DEC10)
    assert list(event.possible_dates(DEC1, DEC10))[-1] == DEC5


def test_unclear_undated_event_may_happen_any_day() -> None:
    event = _event(DateStatus.UNCLEAR, None)
    assert event.overlaps(DEC1, DEC1)
    assert len(list(event.possible_dates(DEC1, DEC10))) == 10
    assert event.schedule_label() == "Multiple dates"


@pytest.mark.parametrize(
    ("status", "start", "end", "label"),
    [
        (DateStatus.SINGLE, DEC5, None, "Sat, Dec 5"),
        (DateStatus.RANGE, date(2026, 8, 19), date(2026, 8, 21), "Aug 19 – Aug 21"),
        (DateStatus.RANGE, DEC5, DEC5, "Sat, Dec 5"),
        (DateStatus.MULTIPLE, DEC1, DEC31, "Multiple dates"),
        (DateStatus.RANGE, DEC5, None, "From Dec 5"),
        (DateStatus.RANGE, None, DEC5, "Until Dec 5"),
        (DateStatus.ONGOING, None, None, "On now — check dates"),
    ],
)
def test_schedule_labels(status: DateStatus, start: date, end: date | None, label: str) -> None:
    assert _event(status, start, end).schedule_label() == label


@pytest.mark.parametrize(
    ("low", "high", "label"),
    [
        (None, None, None),
        ("0", None, "Free"),
        ("0", "0", "Free"),
        ("0", "15", "Free–$15"),
        ("25", None, "From $25"),
        ("25", "25", "$25"),
        ("10", "25.50", "$10–$25.50"),
    ],
)
def test_price_labels(low: str | None, high: str | None, label: str | None) -> None:
    event = _event(
        DateStatus.SINGLE,
        DEC5,
        price_min=Decimal(low) if low else None,
        price_max=Decimal(high) if high else None,
    )
    assert event.price_label() == label


days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))


@given(
    status=st.sampled_from(list(DateStatus)),
    start=st.none() | days,
    length=st.none() | st.integers(min_value=0, max_value=60),
    window_start=days,
    window_length=st.integers(min_value=0, max_value=31),
    weekdays=st.none() | st.sets(st.integers(min_value=0, max_value=6), min_size=1),
)
def test_possible_dates_agree_with_overlap(
    status: DateStatus,
    start: date | None,
    length: int | None,
    window_start: date,
    window_length: int,
    weekdays: set[int] | None,
) -> None:
    end = start + timedelta(days=length) if start and length is not None else None
    rule = Recurrence(tuple(weekdays)) if weekdays else None
    event = _event(status, start, end, recurrence=rule)
    window_end = window_start + timedelta(days=window_length)
    possible = list(event.possible_dates(window_start, window_end))
    assert bool(possible) == event.overlaps(window_start, window_end)
    assert all(window_start <= d <= window_end for d in possible)
    if start:
        assert all(d >= start for d in possible)
    if rule:
        assert all(d.weekday() in rule.weekdays for d in possible)


def test_a_weekly_schedule_happens_on_its_weekdays_only() -> None:
    """ "Fridays through Oct 30": only the Fridays of the range, whatever the window."""
    fridays = Recurrence((4,))
    event = _event(DateStatus.MULTIPLE, date(2026, 10, 2), date(2026, 10, 30), recurrence=fridays)
    days = list(event.possible_dates(date(2026, 9, 28), date(2026, 11, 8)))
    assert days == [date(2026, 10, d) for d in (2, 9, 16, 23, 30)]
    assert not event.overlaps(date(2026, 10, 5), date(2026, 10, 8))  # Mon-Thu
    assert event.has_fixed_dates
    assert event.schedule_label() == "Fridays, Oct 2 – Oct 30"


@pytest.mark.parametrize(
    ("rule", "days", "label"),
    [
        ("FREQ=WEEKLY;BYDAY=FR", (4,), "Fridays"),
        ("FREQ=WEEKLY;BYDAY=FR,SA,SU", (4, 5, 6), "Fri–Sun"),
        ("FREQ=WEEKLY;BYDAY=SA,SU", (5, 6), "Sat & Sun"),
        ("FREQ=WEEKLY;BYDAY=TU,TH,SA", (1, 3, 5), "Tue, Thu & Sat"),
    ],
)
def test_recurrence_round_trips_as_an_rfc5545_rule(
    rule: str, days: tuple[int, ...], label: str
) -> None:
    parsed = Recurrence.from_rule(rule)
    assert parsed is not None
    assert (parsed.weekdays, parsed.to_rule(), parsed.label()) == (days, rule, label)


@pytest.mark.parametrize("rule", [None, "", "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=XX", "garbage"])
def test_rules_this_model_does_not_read_are_no_schedule(rule: str | None) -> None:
    assert Recurrence.from_rule(rule) is None


def test_a_recurrence_needs_valid_weekdays() -> None:
    with pytest.raises(ValueError, match="weekdays"):
        Recurrence((7,))
    with pytest.raises(ValueError, match="weekdays"):
        Recurrence(())
