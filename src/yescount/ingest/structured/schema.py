"""schema.org ``Event`` items (from any syntax, already in JSON-LD shape) as candidates.

Every reader of this package (JSON-LD, microdata, RDFa, microformats,
OpenGraph, JSON state) turns what it finds into the same dict shape —
``{"@type": "Event", "name": …, "startDate": …, "location": …, "offers": …}`` —
so one function maps all of them onto a ``Candidate``. Values that cannot be
used (a price of "NaN", a date in year 9999, a ``javascript:`` link) are dropped
with a reason code in ``Candidate.flags["dropped"]``; the event is kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from yescount.domain.urls import http_url
from yescount.ingest import prices
from yescount.ingest.bounds import YEAR_MAX, YEAR_MIN
from yescount.ingest.html import clean
from yescount.ingest.models import Candidate

NESTED_KEYS = (
    "@graph",
    "itemListElement",
    "item",
    "mainEntity",
    "hasPart",
    "event",
    "events",
    "subjectOf",
    "about",
)
_EXTRA_EVENT_TYPES = frozenset({"Festival", "CourseInstance"})
_SKIP_EVENT_TYPES = frozenset({"PublicationEvent", "BroadcastEvent", "OnDemandEvent"})
EVIDENCE_MAX = 1500
MAX_NODES = 50_000
MAX_DEPTH = 24
_DATE_MAX_CHARS = 80
_YEAR = re.compile(r"^\s*([+-]?\d{4,})-\d")
_TYPE_PREFIX = re.compile(r"^.*[/#:]")


def types(item: dict[str, Any]) -> set[str]:
    """Local type names: ``"https://schema.org/MusicEvent"`` and ``"schema:MusicEvent"`` alike."""
    raw = item.get("@type") or item.get("type")
    values = raw if isinstance(raw, list) else [raw]
    return {_TYPE_PREFIX.sub("", str(v).rstrip("/")) for v in values if isinstance(v, str) and v}


def is_event_type(item: dict[str, Any]) -> bool:
    """schema.org Event or one of its subtypes (MusicEvent, ExhibitionEvent, Festival...)."""
    found = types(item)
    if found & _SKIP_EVENT_TYPES:
        return False
    return any(t.endswith("Event") for t in found) or bool(found & _EXTRA_EVENT_TYPES)


def events_in(item: object) -> Iterator[dict[str, Any]]:
    """Event items inside lists, ``@graph``, ``ItemList`` elements and other containers."""
    stack: list[tuple[object, int]] = [(item, 0)]
    visited = 0
    while stack and visited < MAX_NODES:
        node, depth = stack.pop()
        visited += 1
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, list):
            stack.extend((child, depth + 1) for child in reversed(node))
        elif isinstance(node, dict):
            if is_event_type(node):
                yield node
                continue
            stack.extend((node[key], depth + 1) for key in reversed(NESTED_KEYS) if key in node)


def first(value: object) -> object:
    """The first element of a list (schema.org allows one value or many)."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def text(value: object) -> str:
    """One clean line of text from a string, a number or a ``{"name"/"@value"}`` object."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("value")
    if isinstance(value, (list, dict)):
        return text(value) if isinstance(value, list) else ""
    return clean(str(value)) if value is not None else ""


def as_list(value: object) -> list[object]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def to_candidate(event: dict[str, Any], page_url: str, method: str) -> Candidate | None:
    """The candidate for one Event item (None without a name)."""
    title = text(event.get("name")) or text(event.get("headline"))
    if not title:
        return None
    dropped: list[str] = []
    url = _link(event.get("url"), page_url, dropped, "url_unsafe")
    ident = text(event.get("@id"))
    starts = [d for d in (_date(v, dropped) for v in as_list(event.get("startDate"))) if d]
    sub_starts = [
        d
        for d in (
            _date(s.get("startDate"), dropped)
            for s in as_list(event.get("subEvent"))
            if isinstance(s, dict)
        )
        if d
    ]
    price_range, price_reasons = _offers(event)
    dropped.extend(price_reasons)
    candidate = Candidate(
        title=title,
        page_url=page_url,
        extraction_method=method,
        url=url,
        description=text(event.get("description")),
        start_value=starts[0] if starts else None,
        end_value=_date(event.get("endDate"), dropped),
        extra_dates=tuple(starts[1:] + sub_starts),
        location=location(event),
        price_range=price_range,
        price_text=text(event.get("_price_text")) or None,
        date_text=text(event.get("_date_text")) or None,
        image_url=image(event.get("image"), page_url, dropped),
        source_id_hint=url or http_url(ident),
        evidence=json.dumps(plain(event), ensure_ascii=False, default=str)[:EVIDENCE_MAX],
        keywords=tuple(k.strip() for k in text(event.get("keywords")).split(",") if k.strip()),
    )
    _status_flags(candidate, event)
    # Judged like a listing block by the flow's rules (online only, out of the area, a
    # permanent display or a venue as such), its text read as prose.
    lines = [candidate.description, candidate.date_text or "", candidate.location or ""]
    candidate.flags.update(prose=True, lines=[line for line in lines if line])
    if dropped:
        candidate.flags["dropped"] = tuple(dropped)
    return candidate


def _status_flags(candidate: Candidate, event: dict[str, Any]) -> None:
    status = text(event.get("eventStatus")).lower()
    if "cancel" in status:
        candidate.flags["cancelled"] = True
    if "postpone" in status:
        candidate.flags["postponed"] = True
    schedule = first(event.get("eventSchedule"))
    if isinstance(schedule, dict):
        candidate.flags["recurring"] = True
        candidate.start_value = candidate.start_value or _date(schedule.get("startDate"), [])
        candidate.end_value = candidate.end_value or _date(schedule.get("endDate"), [])


def _date(value: object, dropped: list[str]) -> str | None:
    """A date(-time) value as text, or None (year outside 1900–2100 is dropped with a reason)."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("value")
    if value is None or isinstance(value, (bool, list, dict)):
        return None
    raw = " ".join(str(value).split())
    if not raw:
        return None
    if len(raw) > _DATE_MAX_CHARS:
        dropped.append("date_unreadable")
        return None
    year = _YEAR.match(raw)
    if year and not YEAR_MIN <= int(year.group(1)) <= YEAR_MAX:
        dropped.append("date_out_of_range")
        return None
    return raw


def _link(value: object, base: str, dropped: list[str], reason: str) -> str | None:
    raw = first(value)
    if isinstance(raw, dict):
        raw = raw.get("@id") or raw.get("url")
    if not isinstance(raw, str) or not raw.strip():
        return None
    found = http_url(raw, base)
    if found is None:
        dropped.append(reason)
    return found


def location(event: dict[str, Any]) -> str | None:
    """ "Venue, Locality" from a ``Place`` (or plain text); "Online" for a virtual location."""
    place = first(event.get("location"))
    if isinstance(place, str):
        return clean(place) or None
    if not isinstance(place, dict):
        return None
    if "VirtualLocation" in types(place):
        return "Online"
    name = text(place.get("name"))
    address = first(place.get("address"))
    parts: list[str] = [name] if name else []
    if isinstance(address, dict):
        street = text(address.get("streetAddress"))
        locality = text(address.get("addressLocality"))
        if street and not name:
            parts.append(street)
        if locality and locality.lower() not in name.lower():
            parts.append(locality)
        parts += _outside_new_york(address)
    elif address:
        parts.append(text(address))
    return ", ".join(p for p in parts if p) or None


_HOME_REGIONS = frozenset({"ny", "new york", "new york state"})
_HOME_COUNTRIES = frozenset({"us", "usa", "united states", "united states of america"})


def _outside_new_york(address: dict[str, Any]) -> list[str]:
    """The region and country when they are not New York / the US ("Jersey City, NJ"),
    so the place says it is out of the area."""
    region, country = text(address.get("addressRegion")), text(address.get("addressCountry"))
    parts = [region] if region and region.lower() not in _HOME_REGIONS else []
    if country and country.lower() not in _HOME_COUNTRIES:
        parts.append(country)
    return parts


def _offers(event: dict[str, Any]) -> tuple[prices.PriceRange | None, tuple[str, ...]]:
    free = event.get("isAccessibleForFree")
    if free is True or str(free).strip().lower() == "true":
        return prices.structured_price(free=True), ()
    ranges: list[prices.PriceRange] = []
    reasons: list[str] = []
    for offer in as_list(event.get("offers"))[:50]:
        if not isinstance(offer, dict):
            continue
        found, why = prices.structured_offer(
            first(offer.get("price")), first(offer.get("lowPrice")), first(offer.get("highPrice"))
        )
        ranges.append(found)
        reasons.extend(why)
    merged = prices.merge(ranges)
    return (merged if merged != prices.UNKNOWN else None), tuple(reasons)


def image(value: object, base: str, dropped: list[str]) -> str | None:
    """The first image URL (a string, an ``ImageObject`` or a list of either)."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or value.get("@id")
    return _link(value, base, dropped, "image_url_unsafe")


def plain(value: object, depth: int = 0) -> object:
    """A small JSON-safe copy of an item for evidence (microdata may carry lxml nodes)."""
    if depth > 6:
        return "…"
    if isinstance(value, dict):
        items = [(k, v) for k, v in value.items() if not str(k).startswith("_")][:40]
        return {str(k): plain(v, depth + 1) for k, v in items}
    if isinstance(value, list):
        return [plain(v, depth + 1) for v in value[:20]]
    if isinstance(value, str):
        return value[:500]
    return value if isinstance(value, (int, float, bool)) or value is None else str(value)[:200]
