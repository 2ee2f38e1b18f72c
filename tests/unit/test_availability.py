"""Group availability, overlap and validation of chosen days."""

from __future__ import annotations

from datetime import date

import pytest

from yescount.domain.availability import (
    Person,
    group_availability,
    overlap,
    validate_dates,
    window_days,
)
from yescount.errors import ValidationError

START, END = date(2026, 12, 1), date(2026, 12, 5)
PEOPLE = [Person(3, "Mia"), Person(1, "Ema"), Person(2, "Jake")]


def test_overlap_is_available_over_all_participants() -> None:
    assert overlap(3, 4) == 0.75
    assert overlap(0, 4) == 0.0
    assert overlap(0, 0) == 0.0


def test_group_availability_covers_every_day_in_join_order() -> None:
    free = [(2, date(2026, 12, 2)), (1, date(2026, 12, 2)), (3, date(2026, 12, 4)), (9, START)]
    group = group_availability(
        start=START, end=END, blackout=[date(2026, 12, 3)], people=PEOPLE, available=free
    )
    assert group.total == 3
    assert [d.day for d in group.days] == window_days(START, END)
    by_day = {d.day: d for d in group.days}
    assert by_day[date(2026, 12, 2)].available == ("Ema", "Jake")
    assert by_day[date(2026, 12, 2)].count == 2
    assert by_day[date(2026, 12, 2)].overlap == pytest.approx(2 / 3)
    assert by_day[START].count == 0  # participant 9 is not in the plan
    assert by_day[date(2026, 12, 3)].blocked
    assert not by_day[date(2026, 12, 4)].blocked


def test_group_availability_without_people() -> None:
    group = group_availability(start=START, end=START, blackout=[], people=[], available=[])
    assert group.total == 0
    assert group.days[0].overlap == 0.0


def test_validate_dates_sorts_dedupes_and_checks() -> None:
    days = [date(2026, 12, 4), START, date(2026, 12, 4)]
    assert validate_dates(days, start=START, end=END, blackout=[]) == (START, date(2026, 12, 4))
    assert validate_dates([], start=START, end=END, blackout=[]) == ()
    with pytest.raises(ValidationError) as err:
        validate_dates([date(2026, 12, 6)], start=START, end=END, blackout=[])
    assert err.value.code == "date_outside_window"
    with pytest.raises(ValidationError) as err:
        validate_dates([date(2026, 12, 3)], start=START, end=END, blackout=[date(2026, 12, 3)])
    assert err.value.code == "date_blacked_out"
