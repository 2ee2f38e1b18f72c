"""The Event read model: last day, overlap, possible dates, labels (SPEC §5, §6)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yescount.domain.events import DateStatus, Event


def _event(status: DateStatus, start: date | None, end: date | None = None, **kw: object) -> Event:
    return Event(
        id=1,
        source="secretnyc",
        source_id="x",
        title="T",
        url="https://secretnyc.co/x",
        date_status=status,
        date_start=start,
        date_end=end,
        **kw,  # type: ignore[arg-type]
    )


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
        ("0", "15", "$0–$15"),
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
)
def test_possible_dates_agree_with_overlap(
    status: DateStatus,
    start: date | None,
    length: int | None,
    window_start: date,
    window_length: int,
) -> None:
    end = start + timedelta(days=length) if start and length is not None else None
    event = _event(status, start, end)
    window_end = window_start + timedelta(days=window_length)
    possible = list(event.possible_dates(window_start, window_end))
    assert bool(possible) == event.overlaps(window_start, window_end)
    assert all(window_start <= d <= window_end for d in possible)
    if start:
        assert all(d >= start for d in possible)
