"""The availability calendar: the window as month grids of tri-state evenings.

Each evening cycles *No response → Available → Unavailable*; days outside the
window and blackout days are shown but disabled. Only *Available* is saved.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from enum import StrEnum

import streamlit as st

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class DayState(StrEnum):
    NO_RESPONSE = "none"
    AVAILABLE = "yes"
    UNAVAILABLE = "no"

    def next(self) -> DayState:
        order = list(DayState)
        return order[(order.index(self) + 1) % len(order)]

    @property
    def words(self) -> str:
        return {"none": "No response", "yes": "Available", "no": "Unavailable"}[self.value]


_MARK = {DayState.NO_RESPONSE: "", DayState.AVAILABLE: "✓ ", DayState.UNAVAILABLE: "✗ "}


def initial_states(window: Iterable[date], saved: Iterable[date]) -> dict[date, DayState]:
    """Every day of the window, Available when saved, else No response."""
    chosen = set(saved)
    return {d: DayState.AVAILABLE if d in chosen else DayState.NO_RESPONSE for d in window}


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


def day_label(day: date, state: DayState, *, blocked: bool, inside: bool) -> str:
    if not inside:
        return f"{day.day}"
    if blocked:
        return f"⊘ {day.day}"
    return f"{_MARK[state]}{day.day}"


def render_calendar(
    first: date,
    last: date,
    *,
    states: dict[date, DayState],
    blackout: frozenset[date],
    key_prefix: str,
    on_cycle: Callable[[date], None],
    disabled: bool = False,
) -> None:
    """Month grids of buttons; clicking an open evening cycles its state."""
    for month_first, month_last in months_of(first, last):
        st.markdown(f"**{month_first:%B %Y}**")
        header = st.columns(7, gap="small")
        for column, name in zip(header, WEEKDAYS, strict=True):
            column.caption(name)
        for week in month_weeks(month_first, month_last):
            cells = st.columns(7, gap="small")
            for column, (_, day) in zip(cells, week, strict=True):
                inside = month_first <= day <= month_last
                blocked = day in blackout
                state = states.get(day, DayState.NO_RESPONSE)
                if inside and not blocked:
                    hint = f"{day:%a, %b} {day.day}: {state.words}. Click to change."
                elif blocked:
                    hint = f"{day:%a, %b} {day.day}: blacked out by the organizer."
                else:
                    hint = f"{day:%a, %b} {day.day}: outside this plan's dates."
                column.button(
                    day_label(day, state, blocked=blocked, inside=inside),
                    key=f"{key_prefix}-{day.isoformat()}-{month_first.month}",
                    help=hint,
                    type="primary" if inside and state is DayState.AVAILABLE else "secondary",
                    disabled=disabled or not inside or blocked,
                    on_click=on_cycle,
                    args=(day,),
                    width="stretch",
                )
