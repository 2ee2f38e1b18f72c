"""Date mentions anywhere in a block's prose, and the event dates they add up to.

A listing tile rarely has a "When:" line: its dates sit in the copy ("returns for
a sixteenth year on Sunday, October 4. From 1 to 7pm", "runs through Dec 6",
"opened July 30", "Every Friday in October", "October 3 and 4"). ``find_mentions``
reads every mention sentence by sentence with the patterns of ``dates``;
``event_dates`` picks the event's own: the first mention that is not about
something else (a film's release, a sale, a deadline, a historical date), joined
with a later "through ..." end, and the weekday rule of the sentences it used.

Year inference for a date without a year follows the wording: a past-tense cue
("opened", "made its debut", "as of", "since") takes the latest occurrence on or
before the reference date; an open start ("from", "opens") the nearest one; a
weekday named with the date ("Friday, September 18") picks the year it fits;
anything else is the upcoming occurrence (``dates.infer_year``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from yescount.domain.events import DateStatus
from yescount.ingest import times
from yescount.ingest.dates import (
    EVIDENCE_MAX,
    MONTH_RX,
    PATTERNS,
    UNCLEAR,
    WEEKDAY_RX,
    DateInfo,
    Parts,
    infer_year,
    list_after,
    match_parts,
    month_number,
    prepare,
    resolve_range,
)
from yescount.ingest.recurrence import month_scope, span_rule, weekday_rule, weekly_words

MAX_TEXT = 20_000
SHORT_LINE = 12
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"\u201d\u2019)]?\s+(?=[\"\u201c\u2018(]?[A-Z])|\n+")
_ABBREVIATION = re.compile(
    r"\b(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|st|ave|blvd|rd|dr|mr|mrs|ms|no"
    r"|vs|sen|gov|jr|sr|mt|ft|[a-z])\.$",
    re.IGNORECASE,
)
# What a date is about when it is not the event's own day.
_ELSEWHERE = re.compile(
    r"(?:\b(?:in|hits?|entered|enters|arrives in|comes to|opens in)\s+(?:\w+\s+){0,2}"
    r"(?:theaters|theatres|cinemas)\b|\bin cinemas\b|\btheatrical\b|\bstreaming\b|\bon sale\b"
    r"|\bpre-?sale\b|\bdeadline\b|\bregist(?:er|ration) (?:by|closes|ends)\b|\brsvp by\b"
    r"|\bapply by\b|\bearly[- ]bird\b|\bposted\b|\bupdated\b|\bpublished\b|\bborn\b|\bdied\b"
    r"|\bfounded\b|\blast year\b|\bwas released\b)[^.;]{0,40}$"
)
_PAST = re.compile(
    r"\b(?:opened|debuted|made (?:its|their|his|her) debut|kicked off|launched|began|started"
    r"|returned|premiered|arrived|unveiled|as of|since|back in|earlier this year)\b[^.;]{0,40}$"
)
_SKIP_WEEKDAY = rf"(?:\s*(?:on\s+)?(?:{WEEKDAY_RX})\s*,?\s*)?"
_OPEN_END = re.compile(
    r"(?:through|thru|until|till|til|ends|ending|closes|closing|extended to|runs to)\s*"
    rf"(?:on\s+)?{_SKIP_WEEKDAY}$"
)
_OPEN_START = re.compile(
    r"(?:opens|opening|opened|starting|starts|started|begins|beginning|from|as of|since"
    r"|launches|launched|debuts|debuted|debut|premieres|premiered|kicks off|kicked off)\s*"
    rf"(?:on\s+)?{_SKIP_WEEKDAY}$"
)
_THROUGH_MONTH = re.compile(
    rf"\b(?:through|thru|until|till|til|ends|closes)\s+(?:the end of\s+)?{MONTH_RX}"
    r"(?:\s*,?\s*(20\d\d))?(?!\s*\d)"
)
_WEEKDAY_BEFORE = re.compile(rf"({WEEKDAY_RX})\s*,?\s*$")
_HISTORICAL = re.compile(r"\s*,?\s*(1\d\d\d)\b")
_DIGIT = re.compile(r"\d")
_ANY_MONTH = re.compile(rf"\b{MONTH_RX}")
_MONTH_PATTERNS = frozenset({"md-md", "md-d", "dm-dm", "d-dm", "md", "dm"})
_WEEKDAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@dataclass(frozen=True, slots=True)
class Mention:
    """One date mention: what it says, where, and whether it is about the event."""

    kind: str  # single | list | range | open_start | open_end | month
    start: date | None
    end: date | None
    sentence: int
    position: int
    elsewhere: bool = False
    weekdays: tuple[int, ...] = ()
    consecutive: bool = False


def sentences(text: str) -> list[str]:
    """The text cut into sentences (not after "Oct." or "St."); a card's date split over
    short lines ("19" / "June" / "2026") is one sentence again."""
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(text[:MAX_TEXT]):
        piece = piece.strip()
        if not piece:
            continue
        joins = pieces and (
            # only its last characters can end in an abbreviation ("Sept.", "St.")
            _ABBREVIATION.search(pieces[-1], max(0, len(pieces[-1]) - 8))
            or (len(piece) <= SHORT_LINE and len(pieces[-1]) <= 2 * SHORT_LINE)
        )
        if joins:
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def find_mentions(parts: list[str], *, ref: date) -> list[Mention]:
    """Every date mention of the sentences, in reading order."""
    found: list[Mention] = []
    for index, sentence in enumerate(parts):
        prepared = prepare(sentence)
        found.extend(_in_sentence(prepared, index, ref=ref))
    return found


def _in_sentence(text: str, index: int, *, ref: date) -> list[Mention]:
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    scoped = month_scope(text)
    if scoped is not None:
        month, weekdays, span = scoped
        first_day = infer_year(month, 28, ref)
        if first_day is not None:
            start = first_day.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            found.append(Mention("month", start, end, index, span[0], weekdays=weekdays))
            taken.append(span)
    for name, pattern in _patterns_for(text):
        for match in pattern.finditer(text):
            span = match.span()
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            if name in ("n", "n-n") and match.group(3) is None:
                continue
            mention = _mention(name, match, text, index, ref=ref)
            taken.append(span)
            if mention is not None:
                found.append(mention)
    return sorted(found, key=lambda m: m.position)


def _patterns_for(text: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The date patterns that can match the text: every one needs a digit, most a month
    name, the numeric ones a slash (skipping the others is most of the finder's time)."""
    if _DIGIT.search(text) is None:
        return ()
    has_month = _ANY_MONTH.search(text) is not None
    return tuple(
        (name, pattern)
        for name, pattern in PATTERNS
        if (has_month or name not in _MONTH_PATTERNS)
        and ("/" in text or name not in ("n", "n-n"))
        and ("-" in text or name != "iso")
    )


def _mention(
    name: str, match: re.Match[str], text: str, index: int, *, ref: date
) -> Mention | None:
    if _HISTORICAL.match(text, match.end()):
        return None
    before = text[max(0, match.start() - 60) : match.start()]
    elsewhere = _ELSEWHERE.search(before) is not None
    first, second = match_parts(name, match)
    if second is not None:
        span = resolve_range(first, second, ref=ref)
        if span is None:
            return None
        return Mention("range", span[0], span[1], index, match.start(), elsewhere)
    listed = list_after(match, text, first)
    if len(listed) > 1:
        resolved = [_resolve(listed[0], before, ref)]
        resolved += [_resolve(p, "", ref) for p in listed[1:]]
        days = sorted({d for d in resolved if d is not None})
        if not days:
            return None
        steps = {(b - a).days for a, b in itertools.pairwise(days)}
        if len(days) == 1:
            return Mention("single", days[0], None, index, match.start(), elsewhere)
        return Mention(
            "list", days[0], days[-1], index, match.start(), elsewhere, consecutive=steps == {1}
        )
    day = _resolve(first, before, ref)
    if day is None:
        return None
    if _OPEN_END.search(before):
        return Mention("open_end", None, day, index, match.start(), elsewhere)
    kind = "open_start" if _OPEN_START.search(before) else "single"
    return Mention(kind, day, None, index, match.start(), elsewhere)


def _resolve(parts: Parts, before: str, ref: date) -> date | None:
    """A concrete day for month/day/(year), by the wording before it (module docstring)."""
    month, day, year = parts
    if year is not None:
        return _safe(year, month, day)
    if _PAST.search(before):
        options = [d for d in (_safe(y, month, day) for y in (ref.year, ref.year - 1)) if d]
        chosen = next((d for d in options if d <= ref), None)
    elif _OPEN_START.search(before):
        maybe = [_safe(y, month, day) for y in (ref.year - 1, ref.year, ref.year + 1)]
        valid = [d for d in maybe if d is not None]
        chosen = min(valid, key=lambda d: abs((d - ref).days)) if valid else None
    else:
        chosen = infer_year(month, day, ref)
    weekday = _WEEKDAY_BEFORE.search(before)
    if chosen is None or weekday is None:
        return chosen
    wanted = _WEEKDAY_INDEX[weekday.group(1)[:3]]
    fits = [
        d
        for d in (_safe(y, month, day) for y in (chosen.year - 1, chosen.year, chosen.year + 1))
        if d is not None and d.weekday() == wanted
    ]
    return min(fits, key=lambda d: abs((d - chosen).days)) if fits else chosen


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def event_dates(text: str, *, ref: date) -> DateInfo:
    """The event's dates from a block's prose (``unclear`` when it states none)."""
    parts = sentences(text)
    mentions = [m for m in find_mentions(parts, ref=ref) if not m.elsewhere]
    if not mentions:
        relative = next((d for p in parts if (d := relative_day(p, ref=ref))), None)
        if relative is not None:
            today = DateInfo(DateStatus.SINGLE, relative, confidence=0.8)
            return _with_times(today, parts, [Mention("single", relative, None, 0, 0)])
        return _month_end(parts, ref=ref) or _undated(parts)
    primary = mentions[0]
    used = [primary]
    start, end = primary.start, primary.end
    if primary.kind in ("single", "open_start"):
        later = next(
            (
                m
                for m in mentions[1:]
                if m.kind == "open_end"
                and m.end is not None
                and start is not None
                and m.end > start
            ),
            None,
        )
        if later is not None:
            end = later.end
            used.append(later)
    if primary.kind == "open_end" and end is not None:
        # "Extended through July 31, 2026 ... April 25 – July 31, 2026": the run's start.
        begun = next((m for m in mentions[1:] if m.start is not None and m.start <= end), None)
        if begun is not None:
            start = begun.start
            used.append(begun)
    status = _status(primary, merged=len(used) > 1)
    weekdays = primary.weekdays or _rule(parts, used)
    if not weekdays and start is not None and end is not None and (end - start).days > 6:
        weekdays = span_rule(prepare(parts[primary.sentence]))
    if weekdays or any(weekly_words(prepare(parts[m.sentence])) for m in used):
        status = DateStatus.MULTIPLE
    if weekdays and primary.kind == "month" and start is not None:
        start = _first_on(start, weekdays, end)
    return _with_times(DateInfo(status, start, end, confidence=0.8, weekdays=weekdays), parts, used)


def _status(primary: Mention, *, merged: bool) -> DateStatus:
    if merged or primary.kind in ("range", "open_start", "open_end", "month"):
        return DateStatus.RANGE
    if primary.kind == "list":
        return DateStatus.RANGE if primary.consecutive else DateStatus.MULTIPLE
    return DateStatus.SINGLE


def _rule(parts: list[str], used: list[Mention]) -> tuple[int, ...]:
    for index in dict.fromkeys(m.sentence for m in used):
        rule = weekday_rule(prepare(parts[index]))
        if rule:
            return rule
    return ()


def _first_on(start: date, weekdays: tuple[int, ...], end: date | None) -> date:
    day = start
    for _ in range(7):
        if day.weekday() in weekdays and (end is None or day <= end):
            return day
        day += timedelta(days=1)
    return start


def _month_end(parts: list[str], *, ref: date) -> DateInfo | None:
    """ "Through Sept 2026", "on view until December": the run ends with that month."""
    for index, sentence in enumerate(parts):
        match = _THROUGH_MONTH.search(prepare(sentence))
        if match is None:
            continue
        month = month_number(match.group(1))
        year = int(match.group(2)) if match.group(2) else None
        last = infer_year(month, 28, ref) if year is None else date(year, month, 28)
        if last is None:
            continue
        end = (last.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        info = DateInfo(DateStatus.RANGE, None, end, confidence=0.6)
        return _with_times(info, parts, [Mention("open_end", None, end, index, 0)])
    return None


def _undated(parts: list[str]) -> DateInfo:
    """No date at all: a weekly schedule ("Every Saturday") is still *multiple*."""
    for index, sentence in enumerate(parts):
        prepared = prepare(sentence)
        rule = weekday_rule(prepared)
        if rule or weekly_words(prepared):
            info = DateInfo(DateStatus.MULTIPLE, confidence=0.5, weekdays=rule)
            fake = Mention("single", None, None, index, 0)
            return _with_times(info, parts, [fake])
    return UNCLEAR


def _with_times(info: DateInfo, parts: list[str], used: list[Mention]) -> DateInfo:
    """Times from the sentences used (or the one right after: "Oct 4. From 1 to 7pm")."""
    indexes = list(dict.fromkeys(m.sentence for m in used))
    evidence = " ".join(parts[i] for i in indexes)
    start, end = times.find_times(prepare(evidence))
    follower = indexes[0] + 1
    if start is None and follower < len(parts):
        start, end = times.find_times(prepare(parts[follower])[:40])
        if start is not None:
            evidence = f"{evidence} {parts[follower]}"
    clipped = evidence[:EVIDENCE_MAX]
    return DateInfo(
        info.status,
        info.start,
        info.end,
        start,
        end,
        info.confidence,
        clipped,
        info.weekdays,
    )


_RELATIVE = {"today": 0, "tonight": 0, "tomorrow": 1}


_RELATIVE_WORD = re.compile(r"\b(today|tonight|tomorrow)\b", re.IGNORECASE)


def relative_day(text: str | None, *, ref: date) -> date | None:
    """The day a short date field names relative to the page date ("Today @ 1 PM")."""
    match = _RELATIVE_WORD.search(text or "")
    if match is None or len(text or "") > 40:
        return None
    return ref + timedelta(days=_RELATIVE[match.group(1).lower()])


def day_heading(text: str | None, *, ref: date) -> date | None:
    """The day a calendar's day heading names ("Sunday, July 12, 2026", "Today")."""
    if not text:
        return None
    relative = relative_day(text, ref=ref)
    if relative is not None:
        return relative
    info = event_dates(text, ref=ref)
    return info.start if info.status is DateStatus.SINGLE else None
