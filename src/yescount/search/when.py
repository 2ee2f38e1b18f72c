"""Day and time words of a query ("tonight", "this weekend", "sat", "after work").

Days are preferences, never constraints: the plan's date window is a filter of its
own. ``read_when("comedy tonight")`` gives a ``When`` (days from today, weekdays,
a start-time bound) and the query text without the words it used.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from yescount.domain.events import EventDetails

WEEK = 7
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EVENING = time(17, 0)


@dataclass(frozen=True, slots=True)
class When:
    """Days ``first``..``last`` from today (0 = today), optional weekdays and start times."""

    first: int = 0
    last: int = WEEK - 1
    weekdays: frozenset[int] | None = None
    starts_after: time | None = None
    starts_before: time | None = None
    label: str = ""

    def fits(self, event: EventDetails, today: date) -> bool:
        """True when the event can happen on a wanted day (and at a wanted time)."""
        start, end = today + timedelta(days=self.first), today + timedelta(days=self.last)
        days = event.possible_dates(start, end)
        if self.weekdays is not None:
            days = (d for d in days if d.weekday() in self.weekdays)
        if next(days, None) is None:
            return False
        if self.starts_after is None and self.starts_before is None:
            return True
        if event.time_start is None:
            return False
        if self.starts_after is not None and event.time_start < self.starts_after:
            return False
        return self.starts_before is None or event.time_start < self.starts_before


_TIME_WORDS: tuple[tuple[str, time | None, time | None], ...] = (
    (r"after work", _EVENING, None),
    (r"late[- ]night", time(21, 0), None),
    (r"after (?:10|ten)(?: ?pm)?", time(22, 0), None),
    (r"after (?:9|nine)(?: ?pm)?", time(21, 0), None),
    (r"after (?:8|eight)(?: ?pm)?", time(20, 0), None),
    (r"lunch break|lunchtime", time(11, 0), time(14, 30)),
    (r"(?:in the )?morning", None, time(12, 0)),
    (r"(?:in the )?afternoon", time(12, 0), _EVENING),
    (r"(?:in the )?evening", _EVENING, None),
)
_DAY = "|".join(_WEEKDAYS)


def _weekday_offset(today: date, weekday: int) -> int:
    return (weekday - today.weekday()) % WEEK


def _days(lowered: str, today: date) -> tuple[When | None, str]:
    """The day part of the query and the text without it."""
    rules: tuple[tuple[str, str | When], ...] = (
        (r"\btonight\b", When(0, 0, starts_after=_EVENING)),
        (r"\btoday\b", When(0, 0)),
        (r"\btomorrow(?: night)?\b", "tomorrow"),
        (r"\b(?:this |the )?weekend\b", "weekend"),
        (r"\b(?:this|next few|coming) (?:week|days)\b", When(0, WEEK - 1)),
        (rf"\b(?:this |on |next )?({_DAY})(?:s)?(?: (night))?\b", "day"),
    )
    for pattern, rule in rules:
        match = re.search(pattern, lowered)
        if match is None:
            continue
        rest = (lowered[: match.start()] + " " + lowered[match.end() :]).strip()
        label = match.group(0).strip()
        if rule == "tomorrow":
            after = _EVENING if "night" in match.group(0) else None
            return When(1, 1, starts_after=after, label=label), rest
        if rule == "weekend":
            return When(0, WEEK - 1, frozenset({5, 6}), label=label), rest
        if rule == "day":
            weekday = _WEEKDAYS.index(match.group(1))
            offset = _weekday_offset(today, weekday)
            after = _EVENING if match.group(2) else None
            return When(offset, offset, starts_after=after, label=label), rest
        assert isinstance(rule, When)
        return dataclasses.replace(rule, label=label), rest
    return None, lowered


def read_when(lowered: str, today: date) -> tuple[When | None, str]:
    """Day and time preferences in ``lowered`` and the query without those words."""
    when, rest = _days(lowered, today)
    for pattern, after, before in _TIME_WORDS:
        match = re.search(rf"\b{pattern}\b", rest)
        if match is None:
            continue
        rest = (rest[: match.start()] + " " + rest[match.end() :]).strip()
        base = when or When(0, WEEK - 1)
        label = f"{base.label} {match.group(0)}".strip()
        if base.starts_after is not None and after is not None:
            after = max(after, base.starts_after)
        when = When(base.first, base.last, base.weekdays, after, before, label=label)
    return when, " ".join(rest.split())
