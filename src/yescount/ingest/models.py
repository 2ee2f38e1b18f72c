"""Plain data passed between the ingestion stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from yescount.domain.events import EventRecord


@dataclass(frozen=True, slots=True)
class Page:
    """One fetched or saved page (HTML, or a Socrata JSON response)."""

    source: str
    url: str
    text: str
    fetched_at: datetime | None = None
    content_type: str = "text/html"
    status: int = 200

    @property
    def is_json(self) -> bool:
        return "json" in self.content_type


@dataclass(slots=True)
class Candidate:
    """Something that may be an event, with the evidence it was found in."""

    title: str
    page_url: str
    extraction_method: str
    url: str | None = None
    description: str = ""
    date_text: str | None = None
    start_value: str | None = None
    end_value: str | None = None
    extra_dates: tuple[str, ...] = ()
    location: str | None = None
    price_text: str | None = None
    price_range: tuple[Decimal | None, Decimal | None] | None = None
    image_url: str | None = None
    source_id_hint: str | None = None
    anchor: str | None = None
    evidence: str = ""
    keywords: tuple[str, ...] = ()
    flags: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A candidate that did not become an event, with a stable reason code."""

    title: str
    reason: str
    detail: str
    extraction_method: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class PageResult:
    """What one page yielded: accepted events and rejected candidates."""

    url: str
    page_date: date | None
    reference_date: date
    extracted: int
    accepted: tuple[EventRecord, ...]
    rejected: tuple[Rejection, ...]
    # Values dropped from accepted events so they could be kept, by reason (ingest.bounds).
    dropped: dict[str, int] = field(default_factory=dict)
