"""The event read model shared by curation, search and recommendations."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from enum import StrEnum

VIBE_TAGS: tuple[str, ...] = (
    "immersive",
    "artsy",
    "outdoor",
    "low-key",
    "high-energy",
    "music",
    "comedy",
    "food",
    "sports",
    "nightlife",
    "family-friendly",
    "free",
)

# The six website sources of SPEC §3 (the demo catalogue's sources). Which sources feed
# voting cards is configuration: ``cards:`` in sources.yaml (default true).
WEBSITE_SOURCES: tuple[str, ...] = (
    "secretnyc",
    "timeout_newyork",
    "hiddennyc",
    "untappedcities",
    "fever_newyork",
    "anisah_immersive",
)


MULTIPLE_LABEL = "Multiple dates"
ONGOING_LABEL = "On now — check dates"


class DateStatus(StrEnum):
    SINGLE = "single"
    RANGE = "range"
    MULTIPLE = "multiple"
    UNCLEAR = "unclear"
    # A run (an exhibition, a show) the page names without stating its dates.
    ONGOING = "ongoing"


_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A weekly schedule: the weekdays an event is on (0 = Monday); its end is ``date_end``.

    Stored as the RFC 5545 rule it is ("FREQ=WEEKLY;BYDAY=FR,SA").
    """

    weekdays: tuple[int, ...]

    def __post_init__(self) -> None:
        if not self.weekdays or any(d not in range(7) for d in self.weekdays):
            raise ValueError(f"weekdays must be 0..6, got {self.weekdays!r}")
        object.__setattr__(self, "weekdays", tuple(sorted(set(self.weekdays))))

    def to_rule(self) -> str:
        return "FREQ=WEEKLY;BYDAY=" + ",".join(_BYDAY[d] for d in self.weekdays)

    @classmethod
    def from_rule(cls, rule: str | None) -> Recurrence | None:
        """The schedule of a stored rule; None for no rule or one this model does not read."""
        if not rule:
            return None
        parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
        days = [d for d in parts.get("BYDAY", "").split(",") if d in _BYDAY]
        if parts.get("FREQ") != "WEEKLY" or not days:
            return None
        return cls(tuple(_BYDAY.index(d) for d in days))

    def label(self) -> str:
        """ "Fridays", "Fri–Sun", "Sat & Sun", "Tue, Thu & Sat"."""
        names = [_DAY_NAMES[d] for d in self.weekdays]
        if len(names) == 1:
            return names[0] + "s"
        span = list(range(self.weekdays[0], self.weekdays[-1] + 1))
        if len(names) > 2 and list(self.weekdays) == span:
            return f"{names[0][:3]}–{names[-1][:3]}"
        short = [n[:3] for n in names]
        return ", ".join(short[:-1]) + f" & {short[-1]}"


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class SourceLink:
    source: str
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EventDetails:
    """What a listing says about an event: shared by stored events and records to store."""

    source: str
    source_id: str
    title: str
    url: str
    date_status: DateStatus
    extraction_method: str = "unknown"
    description: str = ""
    date_start: date | None = None
    date_end: date | None = None
    time_start: time | None = None
    time_end: time | None = None
    date_confidence: float = 0.0
    date_evidence: str | None = None
    location: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    image_url: str | None = None
    vibe_tags: tuple[str, ...] = ()
    is_demo: bool = False
    source_links: tuple[SourceLink, ...] = field(default=())
    recurrence: Recurrence | None = None

    @property
    def is_free(self) -> bool:
        return self.price_min == 0 and (self.price_max is None or self.price_max == 0)

    @property
    def has_fixed_dates(self) -> bool:
        """Single or range events with known dates, or a weekly schedule with both bounds;
        others need a "check dates" flag."""
        if self.recurrence is not None:
            return self.date_start is not None and self.date_end is not None
        return self.date_status in (DateStatus.SINGLE, DateStatus.RANGE) and (
            self.date_start is not None
        )

    def last_day(self) -> date | None:
        """Last day the event can happen: its end date, a single-day event's date,
        or None when it is open-ended ("now open", "opens Dec 5") or undated."""
        if self.date_end is not None:
            return self.date_end
        if self.date_status is DateStatus.SINGLE:
            return self.date_start
        return None

    def overlaps(self, start: date, end: date) -> bool:
        """True when the event may happen on some day of ``[start, end]``."""
        last = self.last_day()
        starts_in_time = self.date_start is None or self.date_start <= end
        if not (starts_in_time and (last is None or last >= start)):
            return False
        return self.recurrence is None or next(self.possible_dates(start, end), None) is not None

    def possible_dates(self, start: date, end: date) -> Iterator[date]:
        """Days of ``[start, end]`` on which the event can happen (SPEC §6).

        Known bounds narrow the window; unknown ones leave it open, so an event
        with multiple, unclear or ongoing dates may happen on any day between
        them. A weekly schedule keeps only its weekdays ("Fridays through Oct 30").
        """
        first = max(start, self.date_start) if self.date_start else start
        last_day = self.last_day()
        last = min(end, last_day) if last_day else end
        weekdays = self.recurrence.weekdays if self.recurrence else range(7)
        day = first
        while day <= last:
            if day.weekday() in weekdays:
                yield day
            day += timedelta(days=1)

    def schedule_label(self) -> str:
        """ "Sat, Mar 14" / "Aug 19 – Aug 21" / "From Sep 19" / "Until Dec 6" / "Fridays,
        Oct 2 – Oct 30" / "Multiple dates" / "On now — check dates" (SPEC §5)."""
        if self.recurrence is not None:
            return self._recurring_label(self.recurrence)
        if self.date_status is DateStatus.SINGLE and self.date_start:
            return f"{self.date_start:%a}, {_month_day(self.date_start)}"
        if self.date_status is DateStatus.RANGE:
            return self._range_label()
        if self.date_status is DateStatus.ONGOING:
            return ONGOING_LABEL
        return MULTIPLE_LABEL

    def _range_label(self) -> str:
        start, end = self.date_start, self.date_end
        if start and end == start:
            return f"{start:%a}, {_month_day(start)}"
        if start and end:
            return f"{_month_day(start)} – {_month_day(end)}"
        if start:
            return f"From {_month_day(start)}"
        if end:
            return f"Until {_month_day(end)}"
        return MULTIPLE_LABEL

    def _recurring_label(self, rule: Recurrence) -> str:
        start, end = self.date_start, self.date_end
        if start and end:
            return f"{rule.label()}, {_month_day(start)} – {_month_day(end)}"
        if end:
            return f"{rule.label()} until {_month_day(end)}"
        if start:
            return f"{rule.label()} from {_month_day(start)}"
        return rule.label()

    def price_label(self) -> str | None:
        """ "Free", "$25", "$10–$25", "From $15"; None when unknown."""
        if self.price_min is None:
            return None
        if self.is_free:
            return "Free"
        low = "Free" if self.price_min == 0 else _money(self.price_min)
        if self.price_max is None:
            return f"From {low}"
        if self.price_max == self.price_min:
            return low
        return f"{low}–{_money(self.price_max)}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(EventDetails):
    """A stored, validated event listing."""

    id: int
    content_hash: str = ""


def _month_day(day: date) -> str:
    return f"{day:%b} {day.day}"


def _money(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"${int(value)}"
    return f"${value:.2f}"


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRecord(EventDetails):
    """A normalized, validated event ready to be stored (ingestion and demo data)."""

    extraction_method: str
    raw_payload: dict[str, object] | None = None

    def content_hash(self) -> str:
        """Hash of the text that is embedded: changes mean "re-embed this event"."""
        return content_hash(self.title, self.description, self.location)


def content_hash(title: str, description: str, location: str | None) -> str:
    """SHA-256 over the searchable text of an event (title, description, location)."""
    text = "\x1f".join((title.strip(), description.strip(), (location or "").strip()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
