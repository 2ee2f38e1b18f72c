"""The event fields the judge reads, from a domain event or a plain mapping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from tests.search_yardstick.text import normalise
from yescount.domain.events import DateStatus, EventDetails

# What the judge accepts: a domain event (Event, EventRecord) or a mapping with the
# same field names (``dataclasses.asdict(event)``, a JSON API row); ``tags`` may
# stand for ``vibe_tags``.
EventLike = EventDetails | Mapping[str, Any]

_MAPPING_FIELDS = (
    "title",
    "description",
    "location",
    "price_min",
    "price_max",
    "date_status",
    "date_start",
    "date_end",
    "time_start",
    "time_end",
)


@dataclass(frozen=True)
class EventFields:
    """One event as the judge sees it, computed once per event."""

    key: object
    details: EventDetails
    text: str
    location: str | None
    tags: frozenset[str]


def as_fields(event: EventLike | EventFields) -> EventFields:
    if isinstance(event, EventFields):
        return event
    details = event if isinstance(event, EventDetails) else _details_from(event)
    text = "\n".join((details.title, details.description, details.location or ""))
    location = normalise(details.location) if details.location else None
    return EventFields(
        key=_key(event, details),
        details=details,
        text=normalise(text),
        location=location,
        tags=frozenset(details.vibe_tags),
    )


def _key(event: EventLike, details: EventDetails) -> object:
    """The event's id when it has one, else its (source, source_id), else None."""
    raw_id = event.get("id") if isinstance(event, Mapping) else getattr(event, "id", None)
    if raw_id is not None:
        return ("id", raw_id)
    if details.source_id:
        return ("source", details.source, details.source_id)
    return None


def _details_from(raw: Mapping[str, Any]) -> EventDetails:
    """Other keys (url, image_url, ...) are not judged and are ignored."""
    values = {name: raw.get(name) for name in _MAPPING_FIELDS}
    tags = raw.get("vibe_tags", raw.get("tags", ()))
    return EventDetails(
        source=str(raw.get("source") or "yardstick"),
        source_id=str(raw.get("source_id") or ""),
        title=str(values["title"] or ""),
        url="",
        description=str(values["description"] or ""),
        location=str(values["location"]) if values["location"] else None,
        price_min=_money(values["price_min"]),
        price_max=_money(values["price_max"]),
        date_status=_status(values),
        date_start=_day(values["date_start"]),
        date_end=_day(values["date_end"]),
        time_start=_clock(values["time_start"]),
        time_end=_clock(values["time_end"]),
        vibe_tags=tuple(str(tag) for tag in tags or ()),
    )


def _status(values: Mapping[str, Any]) -> DateStatus:
    if values["date_status"]:
        return DateStatus(str(values["date_status"]))
    if values["date_start"] and values["date_end"]:
        return DateStatus.RANGE
    return DateStatus.SINGLE if values["date_start"] else DateStatus.UNCLEAR


def _money(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"a price must be a number, not {value!r}")
    return Decimal(str(value))


def _day(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _clock(value: object) -> time | None:
    if value is None or value == "":
        return None
    if isinstance(value, time):
        return value
    return time.fromisoformat(str(value))
