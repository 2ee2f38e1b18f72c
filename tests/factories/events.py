"""Event records for tests."""

from __future__ import annotations

import itertools
from dataclasses import fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from yescount.domain.events import DateStatus, Event, EventDetails, EventRecord

_seq = itertools.count(1)


def event_record(**overrides: Any) -> EventRecord:
    """A valid single-date event record; override any field."""
    n = next(_seq)
    base = EventRecord(
        source="timeout_newyork",
        source_id=f"evt-{n}",
        title=f"Test Event {n}",
        url=f"https://www.timeout.com/newyork/things-to-do/test-event-{n}",
        date_status=DateStatus.SINGLE,
        extraction_method="jsonld",
        description="A lively evening of live music in Brooklyn.",
        date_start=date(2026, 12, 5) + timedelta(days=n % 20),
        date_confidence=0.9,
        location="Brooklyn Steel, Brooklyn",
        price_min=Decimal("25"),
        price_max=Decimal("40"),
        vibe_tags=("music", "nightlife"),
    )
    return replace(base, **overrides)


def event(event_id: int = 1, **overrides: Any) -> Event:
    """A stored single-date event (Dec 5 2026) with id ``event_id``; override any field."""
    base = Event(
        id=event_id,
        source="timeout_newyork",
        source_id=f"e{event_id}",
        title=f"Event {event_id}",
        url=f"https://example.org/{event_id}",
        date_status=DateStatus.SINGLE,
        date_start=date(2026, 12, 5),
    )
    return replace(base, **overrides)


def stored(record: EventRecord, event_id: int = 1) -> Event:
    """The read model the rest of the app sees for a stored record."""
    values = {name: getattr(record, name) for name in _DETAILS}
    return Event(**values, id=event_id, content_hash=record.content_hash())


_DETAILS = tuple(f.name for f in fields(EventDetails))
