"""Hostile structured data (issue 8 §7): extraction never raises, never lets a bad value out."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yescount.domain.urls import is_safe_http_url
from yescount.ingest.bounds import LIMITS
from yescount.ingest.models import Page
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.prices import MAX_PRICE
from yescount.ingest.registry import adapter_for
from yescount.ingest.structured import structured_candidates
from yescount.ingest.tags import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://example.com/events/"
CTX = ExtractContext(
    load_vocabulary(ROOT / "config" / "vibe_tags.yaml"),
    today=date(2026, 11, 20),
    as_of=date(2026, 11, 20),
)
KEYS = st.sampled_from(
    [
        "@type", "@graph", "itemListElement", "item", "name", "title", "startDate",
        "start_date", "startsAt", "date", "endDate", "url", "link", "image", "offers",
        "price", "lowPrice", "highPrice", "location", "venue", "address", "events",
        "description", "__ref", "isFree", "eventStatus", "subEvent",
    ]
) | st.text(max_size=12)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(
        [
            "Event", "MusicEvent", "NaN", "Infinity", "1e308", "99999999999999", "-5",
            "javascript:alert(1)", "data:text/html,x", "/relative", "//cdn.example.net/i.jpg",
            "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2026-12-04T20:00",
            "Dec 4", "", "\x00", "\ud800",
        ]
    )
    | st.text(max_size=40)
)  # fmt: skip
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=30,
)


def _page(value: object, wrapper: str) -> str:
    blob = json.dumps(value, allow_nan=True)
    if wrapper == "jsonld":
        script = f'<script type="application/ld+json">{blob}</script>'
    elif wrapper == "next":
        script = f'<script id="__NEXT_DATA__" type="application/json">{blob}</script>'
    else:
        script = f"<script>window.__INITIAL_STATE__ = {blob};</script>"
    return f"<html><head>{script}</head><body><h1>Listing</h1></body></html>"


def _bounded_price(value: Decimal | None) -> bool:
    return value is None or (value.is_finite() and Decimal(0) <= value <= MAX_PRICE)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fields=st.dictionaries(KEYS, JSON_VALUES, max_size=8),
    more=JSON_VALUES,
    wrapper=st.sampled_from(["jsonld", "next", "window"]),
)
def test_hostile_structured_data_never_raises_nor_leaks_bad_values(
    fields: dict[str, object], more: object, wrapper: str
) -> None:
    event = {"@type": "Event", "name": "Seed", "startDate": "2026-12-04", **fields}
    page = _page({"@graph": [event, more]}, wrapper)
    _items, candidates = structured_candidates(page, BASE)
    for candidate in candidates:
        assert candidate.url is None or is_safe_http_url(candidate.url)
        assert candidate.image_url is None or is_safe_http_url(candidate.image_url)
        if candidate.price_range is not None:
            assert all(_bounded_price(p) for p in candidate.price_range)
    result = process_page(adapter_for("secretnyc"), Page("secretnyc", BASE, page), CTX)
    for record in result.accepted:
        assert is_safe_http_url(record.url)
        assert record.image_url is None or is_safe_http_url(record.image_url)
        assert _bounded_price(record.price_min)
        assert _bounded_price(record.price_max)
        for day in (record.date_start, record.date_end):
            assert day is None or 1900 <= day.year <= 2100
        assert len(record.title) <= LIMITS["title"]
        assert "\x00" not in record.title + record.description + (record.location or "")


@settings(deadline=None)
@given(text=st.text(max_size=300))
def test_any_script_text_is_safe(text: str) -> None:
    for kind in ("application/ld+json", "application/json"):
        page = f'<html><head><script type="{kind}">{text}</script></head></html>'
        structured_candidates(page, BASE)
    structured_candidates(f"<script>window.__APOLLO_STATE__ = {text}</script>", BASE)
