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
from yescount.ingest.structured.lenient import Budget
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
    budget = Budget()  # one page's share of JSON decoding and repair, for every reader
    items = jsonld_items(parsed, budget) + markup_items(text, base_url, parsed)
    items += embedded_events(parsed, budget)
    page_event = opengraph_event(parsed, base_url)
    return items + ([page_event] if page_event else [])


def event_candidates(items: list[dict[str, Any]], page_url: str) -> list[Candidate]:
    """One candidate per event occurrence (the same title on another day or at another place
    is another occurrence); the same occurrence in two syntaxes is kept once, best first."""
    ranked = sorted(items, key=lambda i: _RANK.get(str(i.get("_syntax")), 0))
    found: dict[tuple[str, str, str], Candidate] = {}
    for item in ranked:
        syntax = str(item.get("_syntax", "json-ld"))
        if syntax == "opengraph" and found:
            continue  # the page's own summary, only when nothing richer describes it
        for event in events_in(item):
            candidate = to_candidate(event, page_url, METHODS.get(syntax, "jsonld"))
            if candidate is None:
                continue
            when = (candidate.start_value or candidate.date_text or "")[:16]
            key = (_key(candidate.title), when, venue_key(candidate.location))
            found.setdefault(key, candidate)
    return _distinct_ids(list(found.values()))


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
