"""Weekly schedules in prepared (lower-case) listing text: which weekdays an event is on.

``weekday_rule("every friday")`` → ``(4,)``; "fridays, saturdays and sundays" →
``(4, 5, 6)``; "thursday through saturday" → ``(3, 4, 5)``; "weekends" → ``(5, 6)``.
A weekday named with a date ("friday, september 18") is that day's name, not a
rule; loose wording ("some weekdays", "select nights") gives no rule, so the
event stays possible on any day of its range.
"""

from __future__ import annotations

import re

from yescount.ingest.dates import MONTH_RX, month_number

_DAY = r"(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?"
_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_PLURAL = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)days\b")
_EVERY = re.compile(rf"\b(?:every|each)\s+{_DAY}\b")
_SPAN = re.compile(rf"\b{_DAY}s?\s*(?:-|to|through|thru)\s*{_DAY}s?\b(?!\s*,?\s*(?:{MONTH_RX}|\d))")
_WEEKENDS = re.compile(r"\b(?:every weekend|weekends|saturdays? and sundays?)\b")
_LOOSE = re.compile(
    r"\b(?:some|select|selected|various|certain|most|many|other) "
    r"(?:weekdays|days|dates|nights|evenings|weekends)\b"
)
# Repeating, but not every day ("daily" leaves a range a range).
_WEEKLY = re.compile(
    r"\b(?:weekly|biweekly|monthly|every (?:week|weekend|other|month)|weekends|weeknights"
    r"|(?:select|various|multiple|certain) (?:dates|days|evenings|nights|weekends)"
    r"|multiple times a week|(?:first|second|third|fourth|last) (?:mon|tues|wednes|thurs|fri"
    r"|satur|sun)day)\b"
)
# "Fri–Sun, Dec 4 – Dec 27": a weekday span next to a date (a rule when the range is long).
_SPAN_BEFORE_DATE = re.compile(rf"\b{_DAY}s?\s*(?:-|to|through|thru)\s*{_DAY}s?\b")
_IN_MONTH = re.compile(
    rf"\b(?:(?:every|each|on)\s+)?((?:{_DAY}s?)(?:\s*(?:,|and|&|or)\s*(?:{_DAY}s?))*)"
    rf"\s+(?:in|during|throughout|all)\s+(?:the month of\s+)?{MONTH_RX}"
)


def _index(token: str) -> int:
    return _INDEX[token[:3]]


def weekday_rule(text: str) -> tuple[int, ...]:
    """The weekdays a weekly schedule names (empty: none, or too loose to restrict)."""
    if _LOOSE.search(text):
        return ()
    days: set[int] = set()
    for match in _SPAN.finditer(text):
        first, last = _index(match.group(1)), _index(match.group(2))
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        days.update(span)
    days.update(_index(m.group(1)) for m in _PLURAL.finditer(text))
    days.update(_index(m.group(1)) for m in _EVERY.finditer(text))
    if _WEEKENDS.search(text):
        days.update((5, 6))
    return tuple(sorted(days))


def span_rule(text: str) -> tuple[int, ...]:
    """The weekdays of a span even when a date follows it ("fri - sun, dec 4 - dec 27")."""
    match = _SPAN_BEFORE_DATE.search(text)
    if match is None or _LOOSE.search(text):
        return ()
    first, last = _index(match.group(1)), _index(match.group(2))
    return tuple(range(first, last + 1)) if first <= last else (*range(first, 7), *range(last + 1))


def weekly_words(text: str) -> bool:
    """Wording of a repeating schedule without named weekdays ("weekly", "select nights")."""
    return _WEEKLY.search(text) is not None or _LOOSE.search(text) is not None


def month_scope(text: str) -> tuple[int, tuple[int, ...], tuple[int, int]] | None:
    """ "every friday in october" → (10, (4,), span); None when the text has no such phrase."""
    match = _IN_MONTH.search(text)
    if match is None:
        return None
    days = tuple(sorted({_index(m.group(1)) for m in re.finditer(_DAY, match.group(1))}))
    if not days:
        return None
    return month_number(match.group(match.lastindex or 1)), days, match.span()
