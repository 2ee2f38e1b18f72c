"""Event records for tests."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from yescount.domain.events import DateStatus, EventRecord

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
