"""Clock times in listing text: "7pm", "7:30 p.m.", "7–10pm", "noon", "19:30"."""

from __future__ import annotations

import re
from datetime import time

_AP = r"([ap])\.?\s?m\b\.?"
_RANGE = re.compile(
    rf"\b(1[0-2]|0?[1-9])(?::([0-5]\d))?\s*(?:{_AP})?\s*(?:-|to|until|till)\s*"
    rf"(1[0-2]|0?[1-9])(?::([0-5]\d))?\s*{_AP}"
)
_SINGLE = re.compile(rf"\b(1[0-2]|0?[1-9])(?::([0-5]\d))?\s*{_AP}")
_WORDS = re.compile(r"\b(noon|midday|midnight)\b")
_H24 = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")


def to_time(hour: int, minute: int, meridiem: str | None) -> time:
    """12-hour clock parts to a time (meridiem "a"/"p"; None means 24-hour)."""
    if meridiem == "p" and hour != 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    return time(hour % 24, minute)


def find_times(text: str) -> tuple[time | None, time | None]:
    """The first start (and end) time named in prepared, lower-case text."""
    ranged = _RANGE.search(text)
    single = _SINGLE.search(text)
    if ranged and (single is None or ranged.start() <= single.start()):
        h1, m1, ap1, h2, m2, ap2 = ranged.groups()
        end = to_time(int(h2), int(m2 or 0), ap2)
        start = to_time(int(h1), int(m1 or 0), ap1 or ap2)
        if ap1 is None and start > end:
            start = to_time(int(h1), int(m1 or 0), "a" if ap2 == "p" else "p")
        return start, end
    if single:
        return to_time(int(single.group(1)), int(single.group(2) or 0), single.group(3)), None
    word = _WORDS.search(text)
    if word:
        return (time(0, 0) if word.group(1) == "midnight" else time(12, 0)), None
    h24 = _H24.search(text)
    if h24 and int(h24.group(1)) >= 12:
        return time(int(h24.group(1)), int(h24.group(2))), None
    return None, None
