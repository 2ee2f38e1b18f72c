"""Relative demo schedules ("load day + 9", "every Friday") turned into stored dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yescount.domain.events import DateStatus

# Offsets are days relative to the load day. The window keeps every fixed date
# within two weeks back and six weeks ahead, so a plan made today always has cards.
MIN_OFFSET = -14
MAX_OFFSET = 42
Offset = Annotated[int, Field(ge=MIN_OFFSET, le=MAX_OFFSET)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# How sure a reader of the listing could be about the dates (SPEC §3 date confidence).
CONFIDENCE_SINGLE_TIMED = 0.95
CONFIDENCE_SINGLE = 0.9
CONFIDENCE_RANGE = 0.85
CONFIDENCE_LISTED_DATES = 0.75
CONFIDENCE_WEEKLY = 0.7
CONFIDENCE_UNCLEAR_BOUNDED = 0.3
CONFIDENCE_UNCLEAR = 0.2

_RANGE = re.compile(r"^\s*([+-]?\d+)\s*\.\.\s*([+-]?\d+)\s*$")


class SpecModel(BaseModel):
    """Strict-shaped catalogue model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class MultipleSpec(SpecModel):
    """Recurring weekdays inside bounds, or an explicit list of offsets."""

    rule: str = Field(min_length=1, max_length=80)
    days: tuple[Weekday, ...] | None = None
    dates: tuple[Offset, ...] | None = None
    start: Offset | None = Field(default=None, alias="from")
    until: Offset | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.days is None) == (self.dates is None):
            raise ValueError("give either `days` (with `from`/`until`) or `dates`, not both")
        if self.days is not None:
            if not self.days or self.start is None or self.until is None:
                raise ValueError("`days` needs a non-empty list plus `from` and `until`")
            # A week of slack guarantees a matching weekday on/after load day and start <= end.
            if self.until < 6 or self.until - self.start < 6:
                raise ValueError("`until` must be >= 6 and at least 6 days after `from`")
        elif self.dates is not None:
            if self.start is not None or self.until is not None:
                raise ValueError("`from`/`until` only go with `days`")
            if len(self.dates) < 2 or list(self.dates) != sorted(set(self.dates)):
                raise ValueError("`dates` needs two or more increasing offsets")
            if self.dates[-1] < 0:
                raise ValueError("the last of `dates` must be on or after load day")
        return self


class UnclearSpec(SpecModel):
    """No firm dates: the listing's own words, optionally an "until" bound."""

    evidence: str = Field(min_length=1, max_length=200)
    until: Annotated[int, Field(ge=0, le=MAX_OFFSET)] | None = None


def parse_range(text: str) -> tuple[int, int]:
    """``"-5..+30"`` -> ``(-5, 30)``; raises ValueError with the rule when invalid."""
    match = _RANGE.match(text)
    if match is None:
        raise ValueError(f"range {text!r} must look like '-5..+30'")
    first, last = int(match.group(1)), int(match.group(2))
    if not MIN_OFFSET <= first < last <= MAX_OFFSET:
        raise ValueError(f"range {text!r} needs {MIN_OFFSET} <= start < end <= {MAX_OFFSET}")
    if last < 0:
        raise ValueError(f"range {text!r} must still run on or after load day")
    return first, last


@dataclass(frozen=True, slots=True)
class Dates:
    """The stored date fields of one demo event, plus a short rule for the raw payload."""

    status: DateStatus
    start: date | None
    end: date | None
    confidence: float
    evidence: str
    rule: str


def single_dates(offset: int, today: date, start_time: time | None) -> Dates:
    """One day, ``offset`` days after ``today``."""
    day = today + timedelta(days=offset)
    when = day_label(day) + (f" at {time_label(start_time)}" if start_time else "")
    confidence = CONFIDENCE_SINGLE_TIMED if start_time else CONFIDENCE_SINGLE
    return Dates(
        status=DateStatus.SINGLE,
        start=day,
        end=None,
        confidence=confidence,
        evidence=f"{when} (demo schedule: load day {offset:+d})",
        rule=f"single {offset:+d}",
    )


def range_dates(text: str, today: date) -> Dates:
    """Every day of a relative range such as ``"-5..+30"``."""
    first, last = parse_range(text)
    start, end = today + timedelta(days=first), today + timedelta(days=last)
    return Dates(
        status=DateStatus.RANGE,
        start=start,
        end=end,
        confidence=CONFIDENCE_RANGE,
        evidence=f"{day_label(start)} – {day_label(end)} "
        f"(demo schedule: load day {first:+d} to {last:+d})",
        rule=f"range {first:+d}..{last:+d}",
    )


def multiple_dates(spec: MultipleSpec, today: date) -> Dates:
    """Recurring weekdays snapped inside their bounds, or listed dates."""
    if spec.dates is not None:
        days = [today + timedelta(days=o) for o in spec.dates]
        listed = ", ".join(_month_day(d) for d in days)
        offsets = ", ".join(f"{o:+d}" for o in spec.dates)
        return Dates(
            status=DateStatus.MULTIPLE,
            start=days[0],
            end=days[-1],
            confidence=CONFIDENCE_LISTED_DATES,
            evidence=f"{spec.rule}: {listed} (demo schedule: load day {offsets})",
            rule=f"dates {offsets}",
        )
    # The model validator guarantees all three are set when `dates` is not.
    assert spec.days is not None
    assert spec.start is not None
    assert spec.until is not None
    wanted = {WEEKDAYS.index(d) for d in spec.days}
    start = today + timedelta(days=spec.start)
    while start.weekday() not in wanted:
        start += timedelta(days=1)
    end = today + timedelta(days=spec.until)
    while end.weekday() not in wanted:
        end -= timedelta(days=1)
    return Dates(
        status=DateStatus.MULTIPLE,
        start=start,
        end=end,
        confidence=CONFIDENCE_WEEKLY,
        evidence=f"{spec.rule}, {_month_day(start)} – {_month_day(end)} "
        f"(demo schedule: load day {spec.start:+d} to {spec.until:+d})",
        rule=f"{'/'.join(spec.days)} {spec.start:+d}..{spec.until:+d}",
    )


def unclear_dates(spec: str | UnclearSpec, today: date) -> Dates:
    """No firm dates; an optional "until" bound becomes the end date."""
    if isinstance(spec, str):
        spec = UnclearSpec(evidence=spec)
    end = None if spec.until is None else today + timedelta(days=spec.until)
    evidence = spec.evidence + (f" (runs until about {_month_day(end)})" if end else "")
    return Dates(
        status=DateStatus.UNCLEAR,
        start=None,
        end=end,
        confidence=CONFIDENCE_UNCLEAR if end is None else CONFIDENCE_UNCLEAR_BOUNDED,
        evidence=evidence,
        rule="unclear" + (f" until {spec.until:+d}" if spec.until is not None else ""),
    )


def day_label(day: date) -> str:
    """``Sat, Dec 6``."""
    return f"{day:%a}, {_month_day(day)}"


def time_label(value: time) -> str:
    """``7:30 PM``."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def _month_day(day: date) -> str:
    return f"{day:%b} {day.day}"
