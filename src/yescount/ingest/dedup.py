"""Duplicate detection across sources: title + date + venue fingerprints and fuzzy titles."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from yescount.domain.dedup import DedupView, listing_view, richness
from yescount.domain.events import EventRecord

__all__ = [
    "DedupView",
    "best_match",
    "fingerprint",
    "is_duplicate",
    "listing_view",
    "merge_by_source_id",
    "merge_decision",
    "richness",
    "title_key",
    "venue_key",
]

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


def fingerprint(view: DedupView) -> str:
    """Exact-match key: normalized title | first day | venue."""
    return f"{title_key(view.title)}|{view.date_start or ''}|{venue_key(view.location)}"


def _dates_compatible(a: DedupView, b: DedupView) -> bool:
    if a.date_start is None and b.date_start is None:
        return a.date_end == b.date_end
    if a.date_start is None or b.date_start is None:
        return a.date_end is not None and a.date_end == b.date_end
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    return a.date_start <= b_end and b.date_start <= a_end


def is_duplicate(a: DedupView, b: DedupView) -> bool:
    """Same event listed twice: overlapping dates, similar titles, compatible venues."""
    if fingerprint(a) == fingerprint(b):
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


def merge_decision(fresh: DedupView, views: dict[int, DedupView]) -> tuple[int, int] | None:
    """The one dedup decision: ``(duplicate_id, canonical_id)`` for a freshly stored listing.

    ``views`` holds the canonical candidates by id and is updated in place: the richer of
    two duplicates stays canonical (ties keep the one already stored). None: no duplicate.
    """
    views.pop(fresh.id, None)
    match = best_match(fresh, list(views.values()))
    if match is None:
        views[fresh.id] = fresh
        return None
    if fresh.richness > match.richness:
        views.pop(match.id, None)
        views[fresh.id] = fresh
        return match.id, fresh.id
    return fresh.id, match.id


def merge_by_source_id(records: list[EventRecord]) -> list[EventRecord]:
    """One record per ``source_id`` (the same event on several pages): the richest wins."""
    best: dict[str, EventRecord] = {}
    for record in records:
        kept = best.get(record.source_id)
        if kept is None or richness(record) > richness(kept):
            best[record.source_id] = record
    return list(best.values())
