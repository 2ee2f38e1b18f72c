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

# The website sources whose events may become voting cards (SPEC §3, §5).
WEBSITE_SOURCES: tuple[str, ...] = (
    "secretnyc",
    "timeout_newyork",
    "hiddennyc",
    "untappedcities",
    "fever_newyork",
    "anisah_immersive",
)


class DateStatus(StrEnum):
    SINGLE = "single"
    RANGE = "range"
    MULTIPLE = "multiple"
    UNCLEAR = "unclear"


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

    @property
    def is_free(self) -> bool:
        return self.price_min == 0 and (self.price_max is None or self.price_max == 0)

    @property
    def has_fixed_dates(self) -> bool:
        """Single or range events with known dates; others need a "check dates" flag."""
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
        return starts_in_time and (last is None or last >= start)

    def possible_dates(self, start: date, end: date) -> Iterator[date]:
        """Days of ``[start, end]`` on which the event can happen (SPEC §6).

        Known bounds narrow the window; unknown ones leave it open, so an event
        with multiple or unclear dates may happen on any day between them.
        """
        first = max(start, self.date_start) if self.date_start else start
        last_day = self.last_day()
        last = min(end, last_day) if last_day else end
        day = first
        while day <= last:
            yield day
            day += timedelta(days=1)

    def schedule_label(self) -> str:
        """ "Sat, Mar 14" / "Aug 19 – Aug 21" / "Multiple dates" (SPEC §5)."""
        if self.date_status is DateStatus.SINGLE and self.date_start:
            return f"{self.date_start:%a}, {_month_day(self.date_start)}"
        if self.date_status is DateStatus.RANGE and self.date_start:
            end = self.date_end or self.date_start
            if end == self.date_start:
                return f"{self.date_start:%a}, {_month_day(self.date_start)}"
            return f"{_month_day(self.date_start)} – {_month_day(end)}"
        return "Multiple dates"

    def price_label(self) -> str | None:
        """ "Free", "$25", "$10–$25", "From $15"; None when unknown."""
        if self.price_min is None:
            return None
        if self.is_free:
            return "Free"
        low = _money(self.price_min)
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
