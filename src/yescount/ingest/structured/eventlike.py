"""Objects in a page's JSON state that look like events, mapped onto schema.org names.

An object is an event when it has a title (``name``/``title``/``eventName``…)
and a start (``startDate``/``start_date``/``startTime``/``startsAt``/``begin``…)
whose value reads as a date. Weak start keys (``start``, ``date``, ``dateTime``,
``when``) also need a second sign: a venue, an end, tickets or a price, a type
saying "event", or an ``events`` key above it. Blog posts (an author, a
publication date) are not events. Key names are compared without case,
underscores or dashes; Apollo ``{"__ref": "Venue:1"}`` links are followed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from yescount.ingest.structured.schema import first

MAX_NODES = 400_000
MAX_EVENTS = 500
MAX_DEPTH = 64

TITLE_KEYS = ("name", "title", "eventname", "eventtitle", "headline", "displayname")
STRONG_START = (
    "startdate", "starttime", "startdatetime", "startsat", "startat", "startdatelocal",
    "begindate", "begintime", "beginsat", "begin", "eventdate", "datestart", "eventstart",
    "startdateutc", "startutc",
)  # fmt: skip
WEAK_START = ("start", "date", "datetime", "when", "from", "dates", "nextdate")
END_KEYS = (
    "enddate", "endtime", "enddatetime", "endsat", "endat", "end", "dateend", "until",
    "eventend", "finish",
)  # fmt: skip
URL_KEYS = (
    "url", "link", "href", "permalink", "canonicalurl", "absoluteurl", "fullurl", "eventurl",
    "weburl", "pageurl", "detailurl", "uri",
    "path", "ticketurl", "ticketsurl", "bookingurl",
)  # fmt: skip
IMAGE_KEYS = (
    "image", "imageurl", "images", "thumbnail", "thumbnailurl", "photo", "picture", "cover",
    "coverimage", "featuredimage", "heroimage", "poster", "banner", "media",
)  # fmt: skip
IMAGE_URL_KEYS = ("url", "src", "href", "secureurl", "sourceurl", "original", "large")
TEXT_KEYS = ("description", "summary", "excerpt", "shortdescription", "blurb", "subtitle", "teaser")
PLACE_KEYS = ("venue", "location", "place", "venuename", "locationname", "address")
LOW_PRICE = ("minprice", "pricemin", "lowprice", "pricefrom", "fromprice", "startingprice")
HIGH_PRICE = ("maxprice", "pricemax", "highprice", "priceto")
PRICE_KEYS = ("price", "pricerange", "cost", "ticketprice", "admission")
FREE_KEYS = ("isfree", "free", "isaccessibleforfree")
SIGN_KEYS = frozenset((*PLACE_KEYS, *END_KEYS, *LOW_PRICE, *PRICE_KEYS, "tickets", "offers"))
# Collections of happenings: objects under such a key need no further sign.
_COLLECTIONS = (
    "events", "exhibitions", "exhibits", "shows", "performances", "programs", "programmes",
    "screenings", "occurrences", "happenings", "concerts", "festivals", "workshops",
)  # fmt: skip
_CHROME = (
    "menu", "menus", "nav", "navigation", "navbar", "footer", "header", "breadcrumb",
    "breadcrumbs", "sidebar", "cookie", "cookies", "consent", "banner", "megamenu",
)  # fmt: skip
POST_KEYS = frozenset(("author", "byline", "publishedat", "datepublished", "wordcount"))
_DATE_TEXT = re.compile(
    r"^\$?D?\s*\d{4}-\d{2}-\d{2}|^\d{8}(?:T\d{4,6})?|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)
_DATE_OBJECT_KEYS = ("local", "datetime", "date", "iso", "value", "start", "utc", "timestamp")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = re.compile(r"\b(?:" + "|".join(_MONTHS) + r")[a-z]*\.?\s+\d{1,2}\b", re.IGNORECASE)
_TIMED_KEYS = frozenset((*STRONG_START, *WEAK_START, *END_KEYS, "datepublished", "datemodified"))


def norm(key: str) -> str:
    """``start_date``, ``startDate`` and ``Start-Date`` all become ``startdate``."""
    return key.replace("_", "").replace("-", "").replace(" ", "").lower()


def find_events(root: object) -> list[dict[str, Any]]:
    """Event-like objects under ``root`` (bounded walk), as schema.org-shaped dicts."""
    refs: dict[str, dict[str, Any]] = {}
    found: list[tuple[dict[str, Any], bool]] = []
    stack: list[tuple[object, int, bool]] = [(root, 0, False)]
    visited = 0
    while stack and visited < MAX_NODES:
        node, depth, under_events = stack.pop()
        visited += 1
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, list):
            stack.extend((child, depth + 1, under_events) for child in reversed(node[:5000]))
            continue
        if not isinstance(node, dict):
            continue
        found.append((node, under_events))
        for key, value in reversed(list(node.items())[:500]):
            if isinstance(value, dict) and ":" in str(key):
                refs[str(key)] = value
            if isinstance(value, (dict, list)) and not is_chrome_key(str(key)):
                stack.append((value, depth + 1, under_events or _is_events_key(str(key))))
    events: list[dict[str, Any]] = []
    for node, under in found:
        if _looks_like_event(node, under, refs):
            events.append(_event(node, refs))
            if len(events) >= MAX_EVENTS:
                break
    return events


def is_chrome_key(key: str) -> bool:
    """State of the page's furniture (``mainMenu``, ``footerNav``, ``header``, ``cookieBanner``):
    events listed there are menu teasers, not the page's listing."""
    name = norm(key)
    return name.endswith(_CHROME) or name.startswith(_CHROME)


def _is_events_key(key: str) -> bool:
    """``events``, ``eventList``, ``upcomingEvents``, ``featuredExhibitions``, ``shows``…
    (not ``preventDefault``)."""
    name = norm(key)
    return name.startswith("event") or name.endswith(_COLLECTIONS)


def _keyed(node: dict[str, Any]) -> dict[str, Any]:
    return {norm(str(k)): v for k, v in list(node.items())[:500]}


def _pick(keyed: dict[str, Any], names: tuple[str, ...]) -> tuple[str | None, Any]:
    for name in names:
        value = keyed.get(name)
        if value not in (None, "", [], {}):
            return name, value
    return None, None


def _looks_like_event(node: dict[str, Any], under_events: bool, refs: dict[str, Any]) -> bool:
    keyed = _keyed(node)
    if _title(keyed) is None:
        return False
    strong_key, strong = _pick(keyed, STRONG_START)
    if strong_key and date_text(strong, refs):
        return True
    weak_key, weak = _pick(keyed, WEAK_START)
    dated = bool(weak_key and date_text(weak, refs)) or _display_date(keyed) is not None
    if not dated or POST_KEYS & keyed.keys():
        return False
    typed = " ".join(str(keyed.get(k, "")) for k in ("typename", "@type", "type", "kind"))
    return under_events or "event" in typed.lower() or bool(SIGN_KEYS & keyed.keys())


def _title(keyed: dict[str, Any]) -> str | None:
    _key, value = _pick(keyed, TITLE_KEYS)
    if isinstance(value, dict):  # {"rendered": "…"} (WordPress), {"text": "…"}, {"en": "…"}
        value = next((v for v in value.values() if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if 3 <= len(value) <= 500 and any(c.isalpha() for c in value) else None


def date_text(value: object, refs: dict[str, Any], depth: int = 0) -> str | None:
    """A date value as ISO-ish text: strings, epoch seconds or ms, ``{"local": …}``,
    ``{"start": …}`` and ``{"year", "month", "day"}`` objects."""
    value = _resolve(first(value), refs)
    if isinstance(value, dict):
        keyed = _keyed(value)
        parts = _date_parts(keyed)
        if parts is not None or depth > 2:
            return parts
        _key, inner = _pick(keyed, _DATE_OBJECT_KEYS)
        return date_text(inner, refs, depth + 1)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _epoch(value)
    text = str(value).strip()
    if len(text) > 80 or not _DATE_TEXT.search(text):
        return None
    return text[2:] if text.startswith("$D") else text  # React Server Components' dates


def _date_parts(keyed: dict[str, Any]) -> str | None:
    """``{"day": "5", "month": "March", "year": "2026"}`` as ``2026-03-05``."""
    try:
        year = int(str(keyed["year"]))
        raw_month = str(keyed["month"]).strip().lower()
        month = int(raw_month) if raw_month.isdigit() else _MONTHS.index(raw_month[:3]) + 1
        day = int(str(keyed.get("day") or keyed.get("date") or ""))
        return date(year, month, day).isoformat()
    except (KeyError, ValueError, TypeError, OverflowError):
        return None


def _display_date(keyed: dict[str, Any]) -> str | None:
    """Dates written for people under a date-ish key ("dates_display": "April 25–July 31")."""
    for key, value in keyed.items():
        if not isinstance(value, str) or len(value) > 120 or key in _TIMED_KEYS:
            continue
        if any(part in key for part in ("date", "when", "schedule")) and _MONTH.search(value):
            return value.strip()
    return None


def _epoch(value: float) -> str | None:
    seconds = value / 1000 if value > 10**11 else value
    if not 946_684_800 <= seconds <= 4_102_444_800:  # 2000-01-01 … 2100-01-01
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def _resolve(value: object, refs: dict[str, Any]) -> object:
    if isinstance(value, dict) and isinstance(value.get("__ref"), str):
        return refs.get(value["__ref"], value)
    return value


def _event(node: dict[str, Any], refs: dict[str, Any]) -> dict[str, Any]:
    keyed = {k: _resolve(v, refs) for k, v in _keyed(node).items()}
    start, end = _span(keyed, refs)
    event: dict[str, Any] = {
        "@type": "Event",
        "_syntax": "embedded_json",
        "name": _title(keyed),
        "startDate": start,
        "endDate": end,
        "_date_text": None if start else _display_date(keyed),
        "url": _url(_pick(keyed, URL_KEYS)[1]),
        "image": _image(_pick(keyed, IMAGE_KEYS)[1], refs),
        "description": _plain_text(_pick(keyed, TEXT_KEYS)[1]),
        "location": _place(_pick(keyed, PLACE_KEYS)[1], refs),
    }
    event.update(_price(keyed))
    return {k: v for k, v in event.items() if v not in (None, "")}


def _span(keyed: dict[str, Any], refs: dict[str, Any]) -> tuple[str | None, str | None]:
    """Start and end; ``"dates": {"start": …, "end": …}`` gives both."""
    start_key, start = _pick(keyed, STRONG_START)
    if start_key is None or date_text(start, refs) is None:
        _key, start = _pick(keyed, WEAK_START)
    _end_key, end = _pick(keyed, END_KEYS)
    holder = _resolve(first(start), refs)
    if end is None and isinstance(holder, dict):
        end = _pick(_keyed(holder), END_KEYS)[1]
    return date_text(start, refs), date_text(end, refs)


def _plain_text(value: object) -> str | None:
    if isinstance(value, dict):
        value = next((v for v in value.values() if isinstance(v, str)), None)
    return value[:5000] if isinstance(value, str) else None


def _url(value: object) -> str | None:
    value = first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("href")
    return value if isinstance(value, str) and len(value) <= 2048 else None


def _image(value: object, refs: dict[str, Any]) -> str | None:
    value = _resolve(first(value), refs)
    if isinstance(value, dict):
        keyed = _keyed(value)
        inner = keyed.get("node")  # GraphQL edges: {"node": {"sourceUrl": …}}
        value = first(_pick(_keyed(inner) if isinstance(inner, dict) else keyed, IMAGE_URL_KEYS)[1])
    return value if isinstance(value, str) and len(value) <= 2048 else None


def _place(value: object, refs: dict[str, Any]) -> object:
    value = _resolve(first(value), refs)
    if isinstance(value, str):
        return value[:300]
    if not isinstance(value, dict):
        return None
    keyed = {k: _resolve(v, refs) for k, v in _keyed(value).items()}
    name = _title(keyed) or _plain_text(keyed.get("venuename"))
    address = keyed.get("address")
    if isinstance(address, dict):
        akeys = _keyed(address)
        street = _pick(akeys, ("streetaddress", "street", "address1", "line1"))[1]
        city = _pick(akeys, ("addresslocality", "locality", "city", "neighborhood", "borough"))[1]
        address = {"streetAddress": street, "addressLocality": city}
    elif not isinstance(address, str):
        city = _pick(keyed, ("city", "locality", "neighborhood", "borough"))[1]
        address = {"addressLocality": city} if isinstance(city, str) else None
    if not name and not address:
        return None
    return {"@type": "Place", "name": name, "address": address}


def _price(keyed: dict[str, Any]) -> dict[str, Any]:
    _free_key, free = _pick(keyed, FREE_KEYS)
    if free is True or str(free).strip().lower() == "true":
        return {"isAccessibleForFree": True}
    low, high = _pick(keyed, LOW_PRICE)[1], _pick(keyed, HIGH_PRICE)[1]
    offers = keyed.get("offers") or keyed.get("tickets")
    if isinstance(offers, (list, dict)) and not low and not high:
        return {"offers": offers}
    price = _pick(keyed, PRICE_KEYS)[1]
    if isinstance(price, str) and not re.fullmatch(r"[\s$]*[\d.,]+\s*", price):
        return {"_price_text": price[:200]}
    if isinstance(price, dict):
        price = _pick(_keyed(price), ("amount", "value", "price", "min"))[1]
    if price is None and low is None and high is None:
        return {}
    return {"offers": [{"price": price, "lowPrice": low, "highPrice": high}]}
