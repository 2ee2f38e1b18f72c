"""The group heat-map: one cell per evening, five AA-readable tiers, counts as text, pins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from yescount.domain.availability import DayAvailability, GroupAvailability
from yescount.web.components.calendar import WEEKDAYS, month_weeks, months_of
from yescount.web.components.safe import esc
from yescount.web.theme import HEAT_TIERS, heat_tier

TIER_NAMES = ("nobody", "1–25 %", "26–50 %", "51–75 %", "76–100 %")


def _cell(day: DayAvailability, total: int, pins: Sequence[int]) -> str:
    pin_text = "".join(f' <span class="pin">#{rank}</span>' for rank in pins)
    count = f"{day.count}/{total}"
    if day.blocked:
        label = f"{day.day:%a, %b} {day.day.day}: blacked out"
        return (
            f'<td class="blocked" title="{esc(label)}" aria-label="{esc(label)}">'
            f'<span class="day">{day.day.day}</span>—</td>'
        )
    _, background, text = heat_tier(day.overlap)
    picks = f", pick #{', #'.join(str(r) for r in pins)}" if pins else ""
    label = f"{day.day:%a, %b} {day.day.day}: {day.count} of {total} free{picks}"
    return (
        f'<td style="background:{background};color:{text}" title="{esc(label)}" '
        f'aria-label="{esc(label)}"><span class="day">{day.day.day}</span>{count}{pin_text}</td>'
    )


def heatmap_html(group: GroupAvailability, pins: Mapping[date, Sequence[int]]) -> str:
    """Month tables of the window; each cell shows ``free/total`` and pinned pick ranks."""
    by_day = {d.day: d for d in group.days}
    if not by_day:
        return ""
    first, last = min(by_day), max(by_day)
    parts = []
    for month_first, month_last in months_of(first, last):
        rows = []
        for week in month_weeks(month_first, month_last):
            cells = []
            for _, day in week:
                entry = by_day.get(day)
                if entry is None or not month_first <= day <= month_last:
                    cells.append('<td class="out"></td>')
                else:
                    cells.append(_cell(entry, group.total, pins.get(day, ())))
            rows.append(f"<tr>{''.join(cells)}</tr>")
        head = "".join(f'<th scope="col">{name}</th>' for name in WEEKDAYS)
        parts.append(
            f'<table class="yc-heat"><caption>{month_first:%B %Y}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return "".join(parts) + legend_html()


def legend_html() -> str:
    spans = "".join(
        f'<span style="background:{bg};color:{fg}">{name}</span>'
        for (_, bg, fg), name in zip(HEAT_TIERS, TIER_NAMES, strict=True)
    )
    return f'<p class="yc-legend">Free: {spans} · <span class="pin">#1</span> = pick</p>'
