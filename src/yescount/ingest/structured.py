"""schema.org ``Event`` items from JSON-LD and microdata (via extruct) as candidates."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import extruct

from yescount.ingest import prices
from yescount.ingest.html import absolute, clean
from yescount.ingest.models import Candidate

_NESTED_KEYS = ("@graph", "itemListElement", "item", "mainEntity", "hasPart", "event", "events")
_EXTRA_EVENT_TYPES = frozenset({"Festival", "CourseInstance"})
_SKIP_EVENT_TYPES = frozenset({"PublicationEvent", "BroadcastEvent", "OnDemandEvent"})
_EVIDENCE_MAX = 1500

logging.getLogger("extruct").setLevel(logging.CRITICAL)


def extract_items(text: str, base_url: str) -> list[dict[str, Any]]:
    """Every top-level JSON-LD and microdata item (microdata tagged with ``_syntax``)."""
    lowered = text[:2_000_000].lower()
    syntaxes = []
    if "application/ld+json" in lowered:
        syntaxes.append("json-ld")
    if "itemscope" in lowered:
        syntaxes.append("microdata")
    if not syntaxes:
        return []
    data = extruct.extract(
        text.encode("utf-8"), base_url=base_url, syntaxes=syntaxes, uniform=True, errors="log"
    )
    items: list[dict[str, Any]] = []
    for syntax in ("json-ld", "microdata"):
        for item in data.get(syntax, []):
            if isinstance(item, dict):
                items.append({**item, "_syntax": syntax})
    return items


def event_candidates(items: list[dict[str, Any]], page_url: str) -> list[Candidate]:
    """One candidate per distinct event; repeated occurrences become extra dates."""
    grouped: dict[tuple[str, str], Candidate] = {}
    for item in items:
        method = "microdata" if item.get("_syntax") == "microdata" else "jsonld"
        for event in _events(item):
            candidate = _candidate(event, page_url, method)
            if candidate is None:
                continue
            key = (candidate.title.casefold(), candidate.url or "")
            if key in grouped:
                first = grouped[key]
                if candidate.start_value:
                    first.extra_dates = (*first.extra_dates, candidate.start_value)
                continue
            grouped[key] = candidate
    return list(grouped.values())


def _types(item: dict[str, Any]) -> set[str]:
    raw = item.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rstrip("/").rsplit("/", 1)[-1] for v in values if v}


def is_event_type(item: dict[str, Any]) -> bool:
    """schema.org Event or one of its subtypes (MusicEvent, ExhibitionEvent, Festival...)."""
    types = _types(item)
    if types & _SKIP_EVENT_TYPES:
        return False
    return any(t.endswith("Event") for t in types) or bool(types & _EXTRA_EVENT_TYPES)


def _events(item: object) -> Iterator[dict[str, Any]]:
    if isinstance(item, list):
        for element in item:
            yield from _events(element)
        return
    if not isinstance(item, dict):
        return
    if is_event_type(item):
        yield item
        return
    for key in _NESTED_KEYS:
        if key in item:
            yield from _events(item[key])


def _first(value: object) -> object:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value: object) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return clean(str(value)) if value is not None else ""


def _candidate(event: dict[str, Any], page_url: str, method: str) -> Candidate | None:
    title = _text(event.get("name"))
    if not title:
        return None
    url = absolute(_text(event.get("url")) or None, page_url)
    ident = _text(event.get("@id"))
    starts = event.get("startDate")
    start_list = [str(s) for s in starts] if isinstance(starts, list) else []
    sub_starts = [
        str(s.get("startDate"))
        for s in _as_list(event.get("subEvent"))
        if isinstance(s, dict) and s.get("startDate")
    ]
    status = _text(event.get("eventStatus")).lower()
    schedule = _first(event.get("eventSchedule"))
    candidate = Candidate(
        title=title,
        page_url=page_url,
        extraction_method=method,
        url=url,
        description=_text(event.get("description")),
        start_value=str(_first(starts)) if _first(starts) else None,
        end_value=_text(event.get("endDate")) or None,
        extra_dates=tuple(start_list[1:] + sub_starts),
        location=_location(event),
        price_range=_offers(event),
        image_url=_image(event.get("image"), page_url),
        source_id_hint=url or (ident if ident.startswith("http") else None),
        evidence=json.dumps(_plain(event), ensure_ascii=False, default=str)[:_EVIDENCE_MAX],
        keywords=tuple(k.strip() for k in _text(event.get("keywords")).split(",") if k.strip()),
    )
    if "cancel" in status:
        candidate.flags["cancelled"] = True
    if "postpone" in status:
        candidate.flags["postponed"] = True
    if isinstance(schedule, dict):
        candidate.flags["recurring"] = True
        candidate.start_value = candidate.start_value or _text(schedule.get("startDate")) or None
        candidate.end_value = candidate.end_value or _text(schedule.get("endDate")) or None
    return candidate


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _location(event: dict[str, Any]) -> str | None:
    place = _first(event.get("location"))
    if isinstance(place, str):
        return clean(place) or None
    if not isinstance(place, dict):
        return None
    if "VirtualLocation" in _types(place):
        return "Online"
    name = _text(place.get("name"))
    address = _first(place.get("address"))
    parts: list[str] = [name] if name else []
    if isinstance(address, dict):
        street = _text(address.get("streetAddress"))
        locality = _text(address.get("addressLocality"))
        if street and not name:
            parts.append(street)
        if locality and locality.lower() not in name.lower():
            parts.append(locality)
    elif address:
        parts.append(_text(address))
    return ", ".join(p for p in parts if p) or None


def _offers(event: dict[str, Any]) -> prices.PriceRange | None:
    free = event.get("isAccessibleForFree")
    ranges = [
        prices.structured_price(o.get("price"), o.get("lowPrice"), o.get("highPrice"))
        for o in _as_list(event.get("offers"))
        if isinstance(o, dict)
    ]
    if free is True or str(free).lower() == "true":
        return prices.structured_price(free=True)
    merged = prices.merge(ranges)
    return merged if merged != prices.UNKNOWN else None


def _image(value: object, base: str) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return absolute(str(value), base) if value else None


def _plain(value: object) -> object:
    """JSON-safe copy of an item (microdata may carry lxml nodes)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
