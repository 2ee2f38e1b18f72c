"""Duplicate detection across sources: title + date + venue fingerprints and fuzzy titles."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from yescount.domain.events import DateStatus, EventRecord

_STOP = frozenset(
    {
        *("the", "a", "an", "at", "in", "of", "and", "for", "with", "nyc", "new", "york"),
        *("ny", "city", "presents", "live", "show", "event", "experience", "tickets"),
    }
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
TITLE_THRESHOLD = 88
UNDATED_THRESHOLD = 95
VENUE_THRESHOLD = 60
# One source listing one title under two ids at two places means two occurrences
# (a programme's permits on several streets); only near-identical venues merge.
SAME_SOURCE_VENUE_THRESHOLD = 90


def _ascii_words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [w for w in _NON_WORD.split(ascii_text) if w]


def title_key(title: str) -> str:
    """Title without case, accents, punctuation or filler words ("The", "NYC", "Live")."""
    words = _ascii_words(title)
    kept = [w for w in words if w not in _STOP]
    return " ".join(kept or words)


def venue_key(location: str | None) -> str:
    """The first two significant words of a venue ("Brooklyn Steel, NY" → "brooklyn steel")."""
    if not location:
        return ""
    return " ".join([w for w in _ascii_words(location) if w not in _STOP][:2])


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

    def fingerprint(self) -> str:
        """Exact-match key: normalized title | first day | venue."""
        return f"{title_key(self.title)}|{self.date_start or ''}|{venue_key(self.location)}"


def _dates_compatible(a: DedupView, b: DedupView) -> bool:
    if a.date_start is None and b.date_start is None:
        return a.date_end == b.date_end
    if a.date_start is None or b.date_start is None:
        return a.date_end is not None and a.date_end == b.date_end
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    return a.date_start <= b_end and b.date_start <= a_end


def is_duplicate(a: DedupView, b: DedupView) -> bool:
    """Same event listed twice: overlapping dates, similar titles, compatible venues."""
    if a.fingerprint() == b.fingerprint():
        return True
    if not _dates_compatible(a, b):
        return False
    undated = a.date_start is None and b.date_start is None
    threshold = UNDATED_THRESHOLD if undated else TITLE_THRESHOLD
    if fuzz.token_set_ratio(title_key(a.title), title_key(b.title)) < threshold:
        return False
    va, vb = venue_key(a.location), venue_key(b.location)
    if not va or not vb:
        return not undated
    threshold = SAME_SOURCE_VENUE_THRESHOLD if a.source == b.source else VENUE_THRESHOLD
    return fuzz.token_set_ratio(va, vb) >= threshold


def best_match(fresh: DedupView, others: list[DedupView]) -> DedupView | None:
    """The most similar existing event that ``fresh`` duplicates, if any."""
    matches = [o for o in others if o.id != fresh.id and is_duplicate(fresh, o)]
    if not matches:
        return None
    return max(
        matches, key=lambda o: (fuzz.ratio(title_key(o.title), title_key(fresh.title)), -o.id)
    )


def richness(
    *,
    description: str,
    date_status: str,
    date_confidence: float,
    location: str | None,
    price_min: object,
    image_url: str | None,
    extraction_method: str,
) -> float:
    """How complete a listing is; the richer of two duplicates is kept."""
    score = min(len(description), 1000) / 1000
    score += date_confidence + (0.5 if date_status in ("single", "range") else 0.0)
    score += 0.5 * bool(location) + 0.5 * (price_min is not None) + 0.5 * bool(image_url)
    score += 0.5 if extraction_method in ("jsonld", "microdata") else 0.0
    return round(score, 4)


def record_richness(record: EventRecord) -> float:
    """How complete an event record is (the richer duplicate is kept)."""
    return richness(
        description=record.description,
        date_status=record.date_status.value,
        date_confidence=record.date_confidence,
        location=record.location,
        price_min=record.price_min,
        image_url=record.image_url,
        extraction_method=record.extraction_method,
    )


def record_view(record: EventRecord, event_id: int) -> DedupView:
    """The dedup fields of a freshly stored record."""
    return DedupView(
        id=event_id,
        source=record.source,
        title=record.title,
        date_status=record.date_status,
        date_start=record.date_start,
        date_end=record.date_end,
        location=record.location,
        richness=record_richness(record),
    )


def merge_by_source_id(records: list[EventRecord]) -> list[EventRecord]:
    """One record per ``source_id`` (the same event on several pages): the richest wins."""
    best: dict[str, EventRecord] = {}
    for record in records:
        kept = best.get(record.source_id)
        if kept is None or record_richness(record) > record_richness(kept):
            best[record.source_id] = record
    return list(best.values())
