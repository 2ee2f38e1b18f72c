"""Events marked up in the HTML itself: microdata, RDFa, microformats and OpenGraph.

Each reader runs only when its markers are in the parsed page (``[itemscope]``,
``[typeof]``, ``.h-event``/``.vevent``, ``og:type`` = event), so ordinary
pages pay nothing, and each returns JSON-LD–shaped dicts for ``schema.py``.
Microdata, RDFa and microformats come from extruct (which runs mf2py for
``h-event`` and the older hCalendar ``vevent``, parsed as ``h-event``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import extruct
from selectolax.lexbor import LexborHTMLParser

_LOCAL = re.compile(r"^.*[/#]")
MAX_ITEMS = 500
# Marker search and the parsers run on the first bytes only: a 5 MB page of JSON
# state has its markup (if any) well before that.
MARKUP_MAX_CHARS = 3_000_000

logging.getLogger("extruct").setLevel(logging.CRITICAL)


def markup_items(page_text: str, base_url: str, doc: LexborHTMLParser) -> list[dict[str, Any]]:
    """Microdata, RDFa and microformat items of a page (``_syntax`` tells which)."""
    text = page_text[:MARKUP_MAX_CHARS]
    items: list[dict[str, Any]] = []
    syntaxes = [
        name
        for name, selector in (("microdata", "[itemscope]"), ("rdfa", "[typeof]"))
        if doc.css_first(selector) is not None
    ]
    if syntaxes:
        data = extruct.extract(
            text, base_url=base_url, syntaxes=syntaxes, uniform=True, errors="log"
        )
        items += [
            {**item, "_syntax": "microdata"}
            for item in data.get("microdata", [])[:MAX_ITEMS]
            if isinstance(item, dict)
        ]
        items += rdfa_items(data.get("rdfa", []))
    if doc.css_first(".h-event, .vevent") is not None:
        items += microformat_items(text, base_url)
    return items


def rdfa_items(nodes: list[Any]) -> list[dict[str, Any]]:
    """RDFa (expanded JSON-LD from pyRdfa) compacted: local names, plain values, nested nodes."""
    by_id = {n["@id"]: n for n in nodes[: MAX_ITEMS * 4] if isinstance(n, dict) and "@id" in n}
    return [
        {**_compact(node, by_id, frozenset({node["@id"]})), "_syntax": "rdfa"}
        for node in by_id.values()
        if "@type" in node
    ][:MAX_ITEMS]


def _compact(node: dict[str, Any], by_id: dict[str, Any], seen: frozenset[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": [_LOCAL.sub("", str(t)) for t in node.get("@type", [])]}
    if str(node.get("@id", "")).startswith("http"):
        out["@id"] = node["@id"]
    for key, raw in node.items():
        if key.startswith("@"):
            continue
        values: list[Any] = []
        for value in raw if isinstance(raw, list) else [raw]:
            if not isinstance(value, dict):
                values.append(value)
            elif "@value" in value:
                values.append(value["@value"])
            elif value.get("@id") in by_id and value["@id"] not in seen and len(seen) < 6:
                values.append(_compact(by_id[value["@id"]], by_id, seen | {value["@id"]}))
            elif "@id" in value:
                values.append(value["@id"])
        if values:
            out[_LOCAL.sub("", key)] = values[0] if len(values) == 1 else values
    return out


def microformat_items(text: str, base_url: str) -> list[dict[str, Any]]:
    """``h-event`` (and hCalendar ``vevent``) items, nested ones included, as Event dicts."""
    # extruct runs mf2py; the raw (not "uniform") output keeps children and nesting.
    parsed = extruct.extract(text, base_url=base_url, syntaxes=["microformat"], errors="log")
    stack: list[Any] = list(parsed.get("microformat", []))
    found: list[dict[str, Any]] = []
    while stack and len(found) < MAX_ITEMS:
        item = stack.pop(0)
        if not isinstance(item, dict):
            continue
        props = item.get("properties") or {}
        if "h-event" in (item.get("type") or []):
            found.append(_h_event(props))
        stack.extend(item.get("children") or [])
        stack.extend(v for vs in props.values() if isinstance(vs, list) for v in vs if _is_mf(v))
    return found


def _is_mf(value: object) -> bool:
    return isinstance(value, dict) and "type" in value and "properties" in value


def _mf_text(values: object) -> str | None:
    first = values[0] if isinstance(values, list) and values else values
    if isinstance(first, dict):
        first = first.get("value") or (first.get("properties") or {}).get("name")
        return _mf_text(first)
    return str(first) if isinstance(first, (str, int, float)) and str(first).strip() else None


def _h_event(props: dict[str, Any]) -> dict[str, Any]:
    event: dict[str, Any] = {"@type": "Event", "_syntax": "microformat"}
    mapping = {
        "name": "name",
        "start": "startDate",
        "end": "endDate",
        "url": "url",
        "photo": "image",
        "featured": "image",
        "summary": "description",
        "description": "description",
        "category": "keywords",
        "price": "_price_text",
    }
    for key, target in mapping.items():
        value = _mf_text(props.get(key))
        if value and target not in event:
            event[target] = value
    place = (props.get("location") or [None])[0]
    if isinstance(place, dict) and "properties" in place:
        inner = place["properties"]
        event["location"] = {
            "name": _mf_text(inner.get("name")) or _mf_text(place),
            "address": {
                "streetAddress": _mf_text(inner.get("street-address")),
                "addressLocality": _mf_text(inner.get("locality")),
            },
        }
    elif place is not None:
        event["location"] = _mf_text([place])
    return event


_OG_EVENT_TYPE = re.compile(r"\bevents?\b", re.IGNORECASE)
_OG_START = re.compile(r"(?:^|:)start(?:_?time|_?date|date|time)?$")
_OG_END = re.compile(r"(?:^|:)end(?:_?time|_?date|date|time)?$")
_OG_PLACE = re.compile(r"(?:^|:)(?:location(?::name)?|venue(?::name)?|place)$")


def opengraph_event(doc: LexborHTMLParser, page_url: str) -> dict[str, Any] | None:
    """The page itself as one Event when its ``og:type`` says it is an event page."""
    tags: dict[str, str] = {}
    for node in doc.css("meta[property], meta[name]"):
        key = (node.attributes.get("property") or node.attributes.get("name") or "").lower()
        value = (node.attributes.get("content") or "").strip()
        if key.startswith(("og:", "event:", "events:")) and value and key not in tags:
            tags[key] = value[:2000]
    if not _OG_EVENT_TYPE.search(tags.get("og:type", "")):
        return None
    event: dict[str, Any] = {
        "@type": "Event",
        "_syntax": "opengraph",
        "name": tags.get("og:title"),
        "description": tags.get("og:description"),
        "image": tags.get("og:image:secure_url")
        or tags.get("og:image")
        or tags.get("og:image:url"),
        "url": tags.get("og:url") or page_url,
    }
    for key, value in tags.items():
        if _OG_START.search(key):
            event.setdefault("startDate", value)
        elif _OG_END.search(key):
            event.setdefault("endDate", value)
        elif _OG_PLACE.search(key):
            event.setdefault("location", value)
    return event
