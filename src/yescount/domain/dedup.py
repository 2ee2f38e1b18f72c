"""What duplicate detection compares, and how complete a listing is (pure, no fuzzy matching).

``listing_view`` builds the view from an ``EventDetails`` — a fresh ``EventRecord``
or a stored ``Event`` — so the fields are named in one place.
The matching itself (fuzzy titles and venues) lives in ``ingest.dedup``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yescount.domain.events import DateStatus, EventDetails


@dataclass(frozen=True, slots=True)
class DedupView:
    """The fields dedup compares (from a stored row or a fresh record)."""

    id: int
    source: str
    title: str
    date_status: DateStatus
    date_start: date | None
    date_end: date | None
    location: str | None
    richness: float


def richness(listing: EventDetails) -> float:
    """How complete a listing is; the richer of two duplicates is kept."""
    score = min(len(listing.description), 1000) / 1000
    dated = listing.date_status in (DateStatus.SINGLE, DateStatus.RANGE)
    score += listing.date_confidence + (0.5 if dated else 0.0)
    score += 0.5 * bool(listing.location) + 0.5 * (listing.price_min is not None)
    score += 0.5 * bool(listing.image_url)
    score += 0.5 if listing.extraction_method in ("jsonld", "microdata") else 0.0
    return round(score, 4)


def listing_view(listing: EventDetails, event_id: int) -> DedupView:
    """The dedup fields of a listing stored under ``event_id``."""
    return DedupView(
        id=event_id,
        source=listing.source,
        title=listing.title,
        date_status=listing.date_status,
        date_start=listing.date_start,
        date_end=listing.date_end,
        location=listing.location,
        richness=richness(listing),
    )
