"""Group availability: who is free on each evening of the window, and the overlap share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from yescount.errors import ValidationError


@dataclass(frozen=True, slots=True)
class Person:
    """A participant as the pure rules see them: id (join order) and display name."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class DayAvailability:
    day: date
    available: tuple[str, ...]
    count: int
    overlap: float
    blocked: bool


@dataclass(frozen=True, slots=True)
class GroupAvailability:
    total: int
    days: list[DayAvailability]


def overlap(available: int, total: int) -> float:
    """Share of participants free on a slot: available / all participants (0 when nobody)."""
    return available / total if total else 0.0


def window_days(start: date, end: date) -> list[date]:
    """Every day from ``start`` to ``end`` inclusive."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def validate_dates(
    dates: Iterable[date], *, start: date, end: date, blackout: Iterable[date]
) -> tuple[date, ...]:
    """Sorted unique days, each inside the window and not a blackout day."""
    blocked = set(blackout)
    unique = sorted(set(dates))
    for day in unique:
        if not start <= day <= end:
            raise ValidationError(
                f"{day:%b} {day.day} is outside this plan's dates "
                f"({start:%b} {start.day} – {end:%b} {end.day}).",
                code="date_outside_window",
                details={"field": "dates", "date": day.isoformat()},
            )
        if day in blocked:
            raise ValidationError(
                f"{day:%b} {day.day} is blacked out by the organizer.",
                code="date_blacked_out",
                details={"field": "dates", "date": day.isoformat()},
            )
    return tuple(unique)


def group_availability(
    *,
    start: date,
    end: date,
    blackout: Iterable[date],
    people: Sequence[Person],
    available: Iterable[tuple[int, date]],
) -> GroupAvailability:
    """One entry per day of the window with the names of who is free (in join order)."""
    ordered = sorted(people, key=lambda p: p.id)
    known = {p.id for p in ordered}
    free: dict[date, set[int]] = {}
    for person_id, day in available:
        if person_id in known:
            free.setdefault(day, set()).add(person_id)
    blocked = set(blackout)
    total = len(ordered)
    days = []
    for day in window_days(start, end):
        ids = free.get(day, set())
        names = tuple(p.name for p in ordered if p.id in ids)
        days.append(
            DayAvailability(
                day=day,
                available=names,
                count=len(names),
                overlap=overlap(len(names), total),
                blocked=day in blocked,
            )
        )
    return GroupAvailability(total=total, days=days)
