"""Event dates from listing text and structured values (America/New_York).

``parse_when(text, ref=...)`` reads one piece of evidence ("Dec 28 – Jan 3",
"through April 12", "Thursdays–Sundays", "Sat, Mar 14, 7pm") and returns a
``DateInfo`` with a status, a confidence and the evidence. Rules:

* A date without a year is the *upcoming* occurrence relative to ``ref`` (the
  page's own date when known), allowing ``GRACE_DAYS`` in the past so a page
  that mentions last week's event does not push it into next year.
* In a range the end is resolved first; the start is its latest occurrence on
  or before the end ("Dec 28 – Jan 3" spans the new year).
* Nothing found means ``unclear`` with no dates: an unknown date never becomes
  "today" or the page's publish date.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from yescount.domain.events import DateStatus
from yescount.domain.newyork import NEW_YORK
from yescount.ingest import times

GRACE_DAYS = 90
EVIDENCE_MAX = 300

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH_RX = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
# A day number that is not the hour of a time ("7pm", "7:30").
_D = r"([0-3]?\d)(?!\d)(?!:\d)(?!\s*[ap]\.?m\b)"
_Y = r"(?:\s*,?\s*(20\d\d))?"
WEEKDAY_RX = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?"
_CONN = rf"\s*(?:-|to|through|thru|until|till)\s*(?:{WEEKDAY_RX}\s*,?\s*)?"
_N = r"(1[0-2]|0?[1-9])/(3[01]|[12]\d|0?[1-9])(?:/((?:20)?\d\d))?(?![\d/])"

# (name, regex); groups are read by ``match_parts``.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx))
    for name, rx in (
        ("md-md", rf"\b{MONTH_RX}\s*{_D}{_Y}{_CONN}{MONTH_RX}\s*{_D}{_Y}"),
        ("md-d", rf"\b{MONTH_RX}\s*{_D}{_CONN}{_D}{_Y}"),
        ("dm-dm", rf"\b{_D}\s+{MONTH_RX}{_Y}{_CONN}{_D}\s+{MONTH_RX}{_Y}"),
        ("d-dm", rf"\b{_D}{_CONN}{_D}\s+{MONTH_RX}{_Y}"),
        ("n-n", rf"\b{_N}{_CONN}{_N}"),
        ("iso", r"\b(20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b"),
        ("md", rf"\b{MONTH_RX}\s*{_D}{_Y}"),
        ("dm", rf"\b{_D}\s+{MONTH_RX}{_Y}"),
        ("n", rf"\b{_N}"),
    )
)
_LIST_NEXT = re.compile(
    rf"\s*(?:,|;|and|&|\+)\s*(?:{WEEKDAY_RX}\s*,?\s*)?(?:{MONTH_RX}\s*)?{_D}{_Y}"
)
_OPEN_END = re.compile(
    r"(?:through|thru|until|till|til|ends|ending|closes|closing|extended to|now\s*-)\s*(?:on\s+)?$"
)
_OPEN_START = re.compile(
    r"(?:opens|opening|opened|starting|starts|started|begins|beginning|from|as of|launches"
    r"|launched|debuts|returns|premieres)\s*(?:on\s+)?$"
)
# Specific days ("Fridays", "Thu–Sun", "weekends"): a range with these is *multiple*.
_WEEKLY = re.compile(
    rf"\bevery\s+(?:weekend|week|month|other|{WEEKDAY_RX})"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days\b"
    r"|\b(?:weekly|biweekly|monthly|weekends|weeknights)\b"
    r"|\b(?:select|various|multiple|certain) (?:dates|days|evenings|nights|weekends)\b"
    rf"|\b{WEEKDAY_RX}\s*-\s*{WEEKDAY_RX}\b(?!\s*,?\s*(?:{MONTH_RX}|{_D}))"
)
# "Fri–Sun, Dec 4 – Dec 27": a weekday span inside a longer date range is a recurrence.
_WEEKDAY_SPAN = re.compile(rf"\b{WEEKDAY_RX}\s*-\s*{WEEKDAY_RX}\b")
# Every day: a range stays a range; alone it means "on many days".
_DAILY = re.compile(r"\b(?:daily|nightly|every (?:day|night|evening))\b")
_NOW_OPEN = re.compile(
    r"\b(?:now open|open now|now on view|on view now|now playing|now showing|ongoing"
    r"|open daily|permanent(?:ly open)?|year-round)\b"
)
_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212~]\s*|\s+-\s*|\s*-\s+")
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")


@dataclass(frozen=True, slots=True)
class DateInfo:
    """When an event happens, how sure we are, and the text that says so."""

    status: DateStatus
    start: date | None = None
    end: date | None = None
    time_start: time | None = None
    time_end: time | None = None
    confidence: float = 0.0
    evidence: str | None = None
    weekdays: tuple[int, ...] = ()

    @property
    def is_unclear(self) -> bool:
        return self.status is DateStatus.UNCLEAR

    def last_day(self) -> date | None:
        """The last day the event may happen; None when it is open-ended or unknown."""
        if self.status is DateStatus.SINGLE:
            return self.start
        return self.end


UNCLEAR = DateInfo(DateStatus.UNCLEAR)

Parts = tuple[int, int, int | None]


@lru_cache(maxsize=4096)
def prepare(text: str) -> str:
    """Lower-case, NFKC, one kind of dash, no ordinals, single spaces (memoised: the
    date finder reads the same sentence for dates, weekdays, times and wording)."""
    cleaned = unicodedata.normalize("NFKC", text).lower().replace("\u00a0", " ")
    cleaned = _ORDINAL.sub(r"\1", cleaned)
    cleaned = _DASHES.sub(" - ", cleaned)
    return " ".join(cleaned.split())


def infer_year(month: int, day: int, ref: date, grace_days: int = GRACE_DAYS) -> date | None:
    """The first occurrence of month/day on or after ``ref - grace_days`` (None if invalid)."""
    floor = ref - timedelta(days=grace_days)
    for year in (floor.year, floor.year + 1, floor.year + 2, floor.year + 3, floor.year + 4):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= floor:
            return candidate
    return None


def parse_when(text: str | None, *, ref: date, loose_numbers: bool = False) -> DateInfo:
    """Parse one piece of date evidence; ``unclear`` when it names no date."""
    if not text or not text.strip():
        return UNCLEAR
    evidence = " ".join(text.split())[:EVIDENCE_MAX]
    prepared = prepare(text)
    found = _first_match(prepared, loose_numbers=loose_numbers or len(prepared) <= 40)
    recurring = _WEEKLY.search(prepared) is not None
    if found is None:
        if recurring or _DAILY.search(prepared):
            return _with_times(DateInfo(DateStatus.MULTIPLE, confidence=0.5), prepared, evidence)
        if _NOW_OPEN.search(prepared):
            return DateInfo(DateStatus.MULTIPLE, confidence=0.4, evidence=evidence)
        return UNCLEAR
    name, match = found
    info = _interpret(name, match, prepared, ref=ref, recurring=recurring)
    if info is None:
        return UNCLEAR
    rest = prepared[: match.start()] + " " + prepared[match.end() :]
    return _with_times(info, rest, evidence)


def _first_match(text: str, *, loose_numbers: bool) -> tuple[str, re.Match[str]] | None:
    best: tuple[str, re.Match[str]] | None = None
    for name, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if name in ("n", "n-n") and not loose_numbers and match.group(3) is None:
                continue
            if best is None or (match.start(), -len(match.group(0))) < (
                best[1].start(),
                -len(best[1].group(0)),
            ):
                best = (name, match)
            break
    return best


def month_number(token: str) -> int:
    return _MONTHS[token[:3]]


def year_number(token: str | None) -> int | None:
    if token is None:
        return None
    value = int(token)
    return value + 2000 if value < 100 else value


def match_parts(name: str, m: re.Match[str]) -> tuple[Parts, Parts | None]:
    g = m.groups()
    if name == "md-md":
        first = (month_number(g[0]), int(g[1]), year_number(g[2]))
        return first, (month_number(g[3]), int(g[4]), year_number(g[5]))
    if name == "md-d":
        month = month_number(g[0])
        return (month, int(g[1]), year_number(g[3])), (month, int(g[2]), year_number(g[3]))
    if name == "dm-dm":
        first = (month_number(g[1]), int(g[0]), year_number(g[2]))
        return first, (month_number(g[4]), int(g[3]), year_number(g[5]))
    if name == "d-dm":
        month = month_number(g[2])
        return (month, int(g[0]), year_number(g[3])), (month, int(g[1]), year_number(g[3]))
    if name == "n-n":
        return (int(g[0]), int(g[1]), year_number(g[2])), (int(g[3]), int(g[4]), year_number(g[5]))
    if name == "iso":
        return (int(g[1]), int(g[2]), int(g[0])), None
    if name == "md":
        return (month_number(g[0]), int(g[1]), year_number(g[2])), None
    if name == "dm":
        return (month_number(g[1]), int(g[0]), year_number(g[2])), None
    return (int(g[0]), int(g[1]), year_number(g[2])), None


def _interpret(
    name: str, match: re.Match[str], text: str, *, ref: date, recurring: bool
) -> DateInfo | None:
    first, second = match_parts(name, match)
    explicit = first[2] is not None or (second is not None and second[2] is not None)
    if second is not None:
        span = resolve_range(first, second, ref=ref)
        if span is None:
            return None
        start, end = span
        if start == end:
            return DateInfo(DateStatus.SINGLE, start, None, confidence=0.9 if explicit else 0.8)
        weekly = recurring or ((end - start).days > 6 and _WEEKDAY_SPAN.search(text) is not None)
        status = DateStatus.MULTIPLE if weekly else DateStatus.RANGE
        conf = 0.7 if weekly else (0.9 if explicit else 0.8)
        return DateInfo(status, start, end, confidence=conf)
    listed = list_after(match, text, first)
    if len(listed) > 1:
        return _from_list(listed, ref=ref)
    day = resolve_single(first, ref=ref)
    if day is None:
        return None
    before = text[max(0, match.start() - 24) : match.start()]
    if _OPEN_END.search(before):
        status = DateStatus.MULTIPLE if recurring else DateStatus.RANGE
        return DateInfo(status, None, day, confidence=0.7)
    if _OPEN_START.search(before):
        return DateInfo(DateStatus.MULTIPLE, day, None, confidence=0.6)
    if recurring:
        return DateInfo(DateStatus.MULTIPLE, day, None, confidence=0.5)
    return DateInfo(DateStatus.SINGLE, day, None, confidence=0.9 if explicit else 0.8)


def resolve_single(parts: Parts, *, ref: date) -> date | None:
    """A concrete date for month/day/(year) parts; upcoming-occurrence rule without a year."""
    month, day, year = parts
    if year is None:
        return infer_year(month, day, ref)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_range(first: Parts, second: Parts, *, ref: date) -> tuple[date, date] | None:
    """Start and end of a range; the end is resolved first, the start precedes it."""
    (sm, sd, sy), (em, ed, ey) = first, second
    if ey is None and sy is not None:
        ey = sy if (em, ed) >= (sm, sd) else sy + 1
    end = resolve_single((em, ed, ey), ref=ref)
    if end is None:
        return None
    if sy is None:
        sy = end.year if (sm, sd) <= (em, ed) else end.year - 1
    start = resolve_single((sm, sd, sy), ref=ref)
    if start is None or start > end or (end - start).days > 366:
        return None
    return start, end


def list_after(match: re.Match[str], text: str, first: Parts) -> list[Parts]:
    items = [first]
    month, position = first[0], match.end()
    while True:
        nxt = _LIST_NEXT.match(text, position)
        if nxt is None:
            break
        if nxt.group(1):
            month = month_number(nxt.group(1))
        items.append((month, int(nxt.group(2)), year_number(nxt.group(3))))
        position = nxt.end()
    year = items[-1][2]
    if year is not None:
        items = [(m, d, y if y is not None else year) for m, d, y in items]
    return items


def _from_list(items: list[Parts], *, ref: date) -> DateInfo | None:
    days = sorted({d for d in (resolve_single(p, ref=ref) for p in items) if d is not None})
    if not days:
        return None
    if len(days) == 1:
        return DateInfo(DateStatus.SINGLE, days[0], confidence=0.8)
    consecutive = all((b - a).days == 1 for a, b in itertools.pairwise(days))
    status = DateStatus.RANGE if consecutive else DateStatus.MULTIPLE
    return DateInfo(status, days[0], days[-1], confidence=0.8)


def _with_times(info: DateInfo, text: str, evidence: str) -> DateInfo:
    start, end = times.find_times(text)
    return replace(info, time_start=start, time_end=end, evidence=evidence)


def parse_structured(
    start_value: str | None,
    end_value: str | None = None,
    *,
    ref: date,
    more_starts: tuple[str, ...] = (),
) -> DateInfo:
    """Dates from schema.org ``startDate``/``endDate`` (ISO 8601 or loose text)."""
    starts = [s for s in (_point(v, ref) for v in (start_value, *more_starts)) if s is not None]
    if not starts:
        return parse_when(" – ".join(v for v in (start_value, end_value) if v), ref=ref)
    end = _point(end_value, ref) if end_value else None
    evidence = " – ".join(v for v in (start_value, end_value) if v)[:EVIDENCE_MAX]
    first_day, first_time = min(starts, key=lambda p: p[0])
    if len(starts) > 1:
        last_day = max(max(p[0] for p in starts), end[0] if end else date.min)
        return DateInfo(DateStatus.MULTIPLE, first_day, last_day, first_time, None, 0.9, evidence)
    if end is None or end[0] == first_day:
        end_time = end[1] if end else None
        return DateInfo(DateStatus.SINGLE, first_day, None, first_time, end_time, 0.95, evidence)
    if end[0] < first_day:
        return DateInfo(DateStatus.SINGLE, first_day, None, first_time, None, 0.6, evidence)
    return DateInfo(DateStatus.RANGE, first_day, end[0], first_time, None, 0.95, evidence)


def _point(value: str | None, ref: date) -> tuple[date, time | None] | None:
    """One structured date(-time) in New York local time."""
    if not value or not value.strip():
        return None
    raw = value.strip()
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return _loose_point(raw, ref)
    if moment.tzinfo is not None:
        moment = moment.astimezone(NEW_YORK)
    has_time = "T" in raw or " " in raw.strip()
    clock = moment.time().replace(tzinfo=None) if has_time else None
    if clock == time(0, 0):
        clock = None
    return moment.date(), clock


def _loose_point(raw: str, ref: date) -> tuple[date, time | None] | None:
    info = parse_when(raw, ref=ref, loose_numbers=True)
    if info.status is DateStatus.SINGLE and info.start is not None:
        return info.start, info.time_start
    parsed = _dateparser(raw, ref)
    if parsed is None:
        return None
    clock = parsed.time() if parsed.time() != time(0, 0) else None
    return parsed.date(), clock


def _dateparser(raw: str, ref: date) -> datetime | None:
    """Last resort for odd structured values ("5th of December 2026, 19h")."""
    import dateparser  # imported lazily: slow to load, rarely needed

    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": datetime(ref.year, ref.month, ref.day),
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    result = dateparser.parse(raw, languages=["en"], settings=settings)
    return result if isinstance(result, datetime) else None
