"""The availability calendar: the window as 7-column month grids whose every tap saves.

A Streamlit components-v2 element (no iframe, so it keeps seven columns at any
width where ``st.columns`` would stack below 640 px). Each open evening cycles
*Not set → Free → Busy*; the browser saves every change straight through the JSON
API with the person's own token (optimistic, coalesced, retried, with a visible
"Saved" status), so a tap costs no script rerun. Only *Free* is stored on the
server; *Busy* is remembered on the device. Out-of-window and blackout days are
shown but cannot change.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from yescount.web.components.mounted import v2_component

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class DayState(StrEnum):
    NO_RESPONSE = "none"
    AVAILABLE = "yes"
    UNAVAILABLE = "no"

    @property
    def words(self) -> str:
        return {"none": "Not set", "yes": "Free", "no": "Busy"}[self.value]


def month_weeks(first: date, last: date) -> list[list[tuple[int, date]]]:
    """Full Monday-first weeks covering ``[first, last]`` as (month, day) rows per month."""
    weeks: list[list[tuple[int, date]]] = []
    start = first - timedelta(days=first.weekday())
    while start <= last:
        weeks.append([(start.month, start + timedelta(days=i)) for i in range(7)])
        start += timedelta(days=7)
    return weeks


def months_of(first: date, last: date) -> list[tuple[date, date]]:
    """The part of the window in each calendar month, in order."""
    parts = []
    cursor = first
    while cursor <= last:
        month_end = cursor.replace(day=calendar.monthrange(cursor.year, cursor.month)[1])
        parts.append((cursor, min(month_end, last)))
        cursor = month_end + timedelta(days=1)
    return parts


def _cell(
    day: date, month: int, first: date, last: date, blackout: frozenset[date]
) -> dict[str, Any]:
    if day.month != month:
        return {"kind": "pad", "iso": day.isoformat(), "day": day.day}
    if not first <= day <= last:
        kind = "out"
    elif day in blackout:
        kind = "blocked"
    else:
        kind = "open"
    return {"kind": kind, "iso": day.isoformat(), "day": day.day}


def calendar_data(
    first: date,
    last: date,
    *,
    saved: frozenset[date] | set[date],
    blackout: frozenset[date],
    today: date,
    writable: bool,
    session_id: UUID,
    token: str,
    participant_id: int,
) -> dict[str, Any]:
    """What the browser needs to draw and save the calendar (dates only, no listing text).

    Each month of the window is shown whole (Monday-first rows), so a weekday is
    always in its column; days of the month outside the window are "out".
    """
    months: list[dict[str, Any]] = []
    for month_first, month_last in months_of(first, last):
        whole_first = month_first.replace(day=1)
        whole_last = month_last.replace(
            day=calendar.monthrange(month_last.year, month_last.month)[1]
        )
        cells = [
            _cell(day, month_first.month, first, last, blackout)
            for week in month_weeks(whole_first, whole_last)
            for _, day in week
        ]
        months.append({"label": f"{month_first:%B %Y}", "cells": cells})
    open_days = [c["iso"] for m in months for c in m["cells"] if c["kind"] == "open"]
    return {
        "months": months,
        "open": open_days,
        "saved": sorted(d.isoformat() for d in saved if d.isoformat() in set(open_days)),
        "today": today.isoformat(),
        "writable": writable,
        "session": str(session_id),
        "token": token,
        "participant": participant_id,
    }


def render_calendar(data: dict[str, Any], *, key: str) -> None:
    """Mount the calendar (its taps save from the browser; no rerun, no return value)."""
    v2_component("yc_daygrid", "daygrid")(key=key, data=data, height="content")
