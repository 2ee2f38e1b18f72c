"""Every field of an event record bounded to what its column (and the app) can hold.

One bad value costs at most that value: an implausible price becomes unknown, a
date outside 1900–2100 becomes unknown, an unsafe link is dropped, text loses
NUL and control characters and is cut to its column — each with a reason code
counted in the run (``Counts.dropped``). The record itself is kept.

Reason codes: ``price_implausible``, ``price_order``, ``date_out_of_range``,
``date_order``, ``confidence_out_of_range``, ``url_unsafe``, ``image_url_unsafe``,
``source_link_unsafe``, ``text_truncated``, ``control_chars``, ``payload_truncated``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from yescount.domain.events import DateStatus, EventRecord, SourceLink
from yescount.domain.urls import http_url
from yescount.ingest.prices import MAX_PRICE

YEAR_MIN, YEAR_MAX = 1900, 2100
# Column sizes (storage/tables.py) and generous caps for the TEXT columns.
LIMITS = {
    "source": 64,
    "source_id": 255,
    "title": 300,
    "location": 300,
    "extraction_method": 32,
    "description": 5000,
    "date_evidence": 2000,
}
MAX_TAGS, MAX_TAG_LENGTH, MAX_LINKS = 24, 40, 50
MAX_PAYLOAD_CHARS = 20_000
_CENT = Decimal("0.01")
# NUL breaks PostgreSQL text; other C0 controls and lone surrogates break encoders.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"[\t\n\r]+")


def bound_record(record: EventRecord) -> tuple[EventRecord, tuple[str, ...]]:
    """The record with every field within bounds, and a reason per value changed or dropped.

    An event whose own link is unsafe gets ``url=""`` (validation then rejects it).
    """
    reasons: list[str] = []
    texts = {
        name: _text(getattr(record, name), LIMITS[name], reasons, multiline=name == "description")
        for name in ("title", "description", "location", "date_evidence")
    }
    start, end, status = _dates(record, reasons)
    price_min, price_max = _prices(record.price_min, record.price_max, reasons)
    url = http_url(record.url)
    if url is None:
        reasons.append("url_unsafe")
    image = http_url(record.image_url) if record.image_url else None
    if record.image_url and image is None:
        reasons.append("image_url_unsafe")
    bounded = replace(
        record,
        source=_text(record.source, LIMITS["source"], reasons) or "unknown",
        source_id=_source_id(_text(record.source_id, 10_000, reasons)),
        title=texts["title"] or "",
        description=texts["description"] or "",
        location=texts["location"] or None,
        date_evidence=texts["date_evidence"] or None,
        extraction_method=_text(record.extraction_method, LIMITS["extraction_method"], reasons),
        date_start=start,
        date_end=end,
        date_status=status,
        date_confidence=_confidence(record.date_confidence, reasons),
        price_min=price_min,
        price_max=price_max,
        url=url or "",
        image_url=image,
        vibe_tags=_tags(record.vibe_tags),
        source_links=_links(record.source_links, reasons),
        raw_payload=_payload(record.raw_payload, reasons),
    )
    return bounded, tuple(reasons)


def _text(value: str | None, limit: int, reasons: list[str], *, multiline: bool = False) -> str:
    if not value:
        return ""
    text = str(value)
    if _CONTROL.search(text):
        reasons.append("control_chars")
        text = _CONTROL.sub("", text)
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    text = text.strip()
    if len(text) > limit:
        reasons.append("text_truncated")
        text = text[: limit - 1].rstrip() + "…"
    return text


def _source_id(value: str) -> str:
    if len(value) <= LIMITS["source_id"]:
        return value
    return value[:230] + "~" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:24]


def in_range(day: date | None) -> bool:
    """A day the app can plan around (years 1900–2100)."""
    return day is not None and YEAR_MIN <= day.year <= YEAR_MAX


def _dates(record: EventRecord, reasons: list[str]) -> tuple[date | None, date | None, DateStatus]:
    start, end, status = record.date_start, record.date_end, record.date_status
    if start is not None and not in_range(start):
        reasons.append("date_out_of_range")
        start = None
    if end is not None and not in_range(end):
        reasons.append("date_out_of_range")
        end = None
    if start is not None and end is not None and end < start:
        reasons.append("date_order")
        end = None
    dropped = (start, end) != (record.date_start, record.date_end)
    if dropped and status in (DateStatus.SINGLE, DateStatus.RANGE):
        # What is left decides: nothing known is unclear, an end alone is a run.
        if start is None and end is None:
            status = DateStatus.UNCLEAR
        elif start is None:
            status = DateStatus.RANGE
    return start, end, status


def plausible_price(value: Decimal | None) -> Decimal | None:
    """A price the app shows (0–``MAX_PRICE``, cents), else None."""
    if value is None or not isinstance(value, Decimal) or not value.is_finite():
        return None
    if value < 0 or value > MAX_PRICE:
        return None
    return value.quantize(_CENT)


def _prices(
    low: Decimal | None, high: Decimal | None, reasons: list[str]
) -> tuple[Decimal | None, Decimal | None]:
    checked_low, checked_high = plausible_price(low), plausible_price(high)
    if (low is not None and checked_low is None) or (high is not None and checked_high is None):
        reasons.append("price_implausible")
    if checked_low is not None and checked_high is not None and checked_high < checked_low:
        reasons.append("price_order")
        checked_high = None
    return checked_low, checked_high


def _confidence(value: float, reasons: list[str]) -> float:
    number = float(value) if isinstance(value, (int, float)) else 0.0
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        reasons.append("confidence_out_of_range")
        return min(max(number, 0.0), 1.0) if math.isfinite(number) else 0.0
    return number


def _tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    kept = [t for t in tags if isinstance(t, str) and 0 < len(t) <= MAX_TAG_LENGTH]
    return tuple(dict.fromkeys(kept))[:MAX_TAGS]


def _links(links: tuple[SourceLink, ...], reasons: list[str]) -> tuple[SourceLink, ...]:
    kept: list[SourceLink] = []
    for link in links[:MAX_LINKS]:
        url = http_url(link.url)
        if url is None:
            reasons.append("source_link_unsafe")
            continue
        kept.append(SourceLink(link.source[: LIMITS["source"]], url))
    return tuple(kept)


def _payload(payload: dict[str, object] | None, reasons: list[str]) -> dict[str, object] | None:
    """JSON that every backend accepts: no NaN, no NUL, bounded size."""
    if payload is None:
        return None
    clean = _json_safe(payload, depth=0)
    if not isinstance(clean, dict):
        return None
    text = json.dumps(clean, ensure_ascii=False)
    if len(text) <= MAX_PAYLOAD_CHARS:
        return clean
    reasons.append("payload_truncated")
    return {"truncated": True, "head": text[: MAX_PAYLOAD_CHARS - 200]}


def _json_safe(value: Any, *, depth: int) -> Any:
    if depth > 20:
        return None
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {_CONTROL.sub("", str(k)): _json_safe(v, depth=depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v, depth=depth + 1) for v in value]
    return _CONTROL.sub("", str(value))
