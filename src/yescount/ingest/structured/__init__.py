"""Structured event data first, in all its common forms, as candidates for the generic flow.

Read, best first: JSON-LD (``@graph``, ``ItemList``, arrays, several blocks,
lenient about the broken JSON browsers tolerate), microdata, RDFa,
microformats (``h-event``, hCalendar ``vevent``), event objects in the page's
JSON state (Next.js, Nuxt, Apollo/Redux, ``application/json`` scripts) and,
when nothing else describes an event, the page's own OpenGraph ``og:type``
event. Entry points: ``structured_candidates`` (one call), or
``extract_items`` + ``event_candidates`` (the items also give the page date).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from yescount.ingest.dedup import venue_key
from yescount.ingest.models import Candidate
from yescount.ingest.structured.embedded import embedded_events
from yescount.ingest.structured.jsonld import jsonld_items
from yescount.ingest.structured.markup import markup_items, opengraph_event
from yescount.ingest.structured.schema import events_in, is_event_type, to_candidate

__all__ = ["event_candidates", "extract_items", "is_event_type", "structured_candidates"]

# ``_syntax`` of an item → ``extraction_method`` of its candidates, in order of trust.
METHODS = {
    "json-ld": "jsonld",
    "microdata": "microdata",
    "rdfa": "rdfa",
    "microformat": "microformat",
    "embedded_json": "embedded_json",
    "opengraph": "opengraph",
}
_RANK = {syntax: rank for rank, syntax in enumerate(METHODS)}
_NON_WORD = re.compile(r"[^a-z0-9]+")


def extract_items(
    text: str, base_url: str, doc: LexborHTMLParser | None = None
) -> list[dict[str, Any]]:
    """Every structured item of a page, each tagged with its ``_syntax``.

    Pass ``doc`` when the page is already parsed (scripts still in it).
    """
    parsed = doc if doc is not None else LexborHTMLParser(text)
    items = jsonld_items(parsed) + markup_items(text, base_url) + embedded_events(parsed)
    page_event = opengraph_event(parsed, base_url)
    return items + ([page_event] if page_event else [])


def event_candidates(items: list[dict[str, Any]], page_url: str) -> list[Candidate]:
    """One candidate per event: sessions of one event (same title, link and place) become
    extra dates of one candidate; the same title elsewhere or at another link stays apart."""
    ranked = sorted(items, key=lambda i: _RANK.get(str(i.get("_syntax")), 0))
    grouped: dict[tuple[str, str, str], Candidate] = {}
    for item in ranked:
        syntax = str(item.get("_syntax", "json-ld"))
        if syntax == "opengraph" and grouped:
            continue  # the page's own summary, only when nothing richer describes it
        for event in events_in(item):
            candidate = to_candidate(event, page_url, METHODS.get(syntax, "jsonld"))
            if candidate is None:
                continue
            key = (_key(candidate.title), candidate.url or "", venue_key(candidate.location))
            first = grouped.get(key)
            if first is None:
                grouped[key] = candidate
            elif candidate.start_value not in (None, first.start_value, *first.extra_dates):
                first.extra_dates = (*first.extra_dates, str(candidate.start_value))
    return _distinct_ids(list(grouped.values()))


def structured_candidates(
    text: str, base_url: str, doc: LexborHTMLParser | None = None
) -> tuple[list[dict[str, Any]], list[Candidate]]:
    """The page's structured items and the event candidates they hold."""
    items = extract_items(text, base_url, doc)
    return items, event_candidates(items, base_url)


def _key(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", ascii_title.lower()).strip()


def _distinct_ids(candidates: list[Candidate]) -> list[Candidate]:
    """Occurrences sharing one link get the start (and place) added to their id."""
    counts: dict[str, int] = {}
    for candidate in candidates:
        if candidate.source_id_hint:
            counts[candidate.source_id_hint] = counts.get(candidate.source_id_hint, 0) + 1
    used: set[str] = set()
    for candidate in candidates:
        hint = candidate.source_id_hint
        if hint and counts[hint] > 1:
            hint = f"{hint}#{candidate.start_value or ''}"
            if hint in used:
                hint = f"{hint}@{_key(candidate.location or '')[:60]}"
            candidate.source_id_hint = hint
        if hint:
            used.add(hint)
    return candidates
