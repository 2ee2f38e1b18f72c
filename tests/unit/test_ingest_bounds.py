"""One bad value costs that value: every field of a record bounded to its column."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories.events import event_record
from yescount.domain.events import DateStatus, SourceLink
from yescount.domain.urls import is_safe_http_url
from yescount.ingest.bounds import LIMITS, bound_record
from yescount.ingest.prices import MAX_PRICE

D = Decimal


@pytest.mark.parametrize(
    "price",
    [D("NaN"), D("Infinity"), D("-Infinity"), D("1e308"), D("99999999999999"), D("-5")],
)
def test_implausible_prices_become_unknown_with_a_reason(price: Decimal) -> None:
    record, reasons = bound_record(event_record(price_min=price, price_max=price))
    assert (record.price_min, record.price_max) == (None, None)
    assert "price_implausible" in reasons
    assert record.title  # the event itself is kept


def test_one_bad_end_of_a_range_keeps_the_other() -> None:
    record, reasons = bound_record(event_record(price_min=D("20"), price_max=D("1e20")))
    assert (record.price_min, record.price_max) == (D("20.00"), None)
    assert reasons == ("price_implausible",)
    record, reasons = bound_record(event_record(price_min=D("50"), price_max=D("20")))
    assert (record.price_min, record.price_max, reasons) == (D("50.00"), None, ("price_order",))


def test_dates_outside_1900_2100_and_reversed_ranges_are_dropped() -> None:
    record, reasons = bound_record(
        event_record(date_status=DateStatus.SINGLE, date_start=date(9999, 12, 31))
    )
    assert (record.date_start, record.date_status) == (None, DateStatus.UNCLEAR)
    assert reasons == ("date_out_of_range",)
    record, reasons = bound_record(
        event_record(
            date_status=DateStatus.RANGE, date_start=date(2026, 12, 5), date_end=date(1, 1, 1)
        )
    )
    assert (record.date_start, record.date_end) == (date(2026, 12, 5), None)
    record, reasons = bound_record(
        event_record(
            date_status=DateStatus.RANGE, date_start=date(2026, 12, 5), date_end=date(2026, 12, 1)
        )
    )
    assert (record.date_end, reasons) == (None, ("date_order",))


def test_text_loses_nul_and_controls_and_fits_its_column() -> None:
    record, reasons = bound_record(
        event_record(
            title="Jazz\x00 Night\x1b" + "x" * 400,
            location="Bar\ud800 " * 100,
            source_id="s" * 400,
        )
    )
    assert "\x00" not in record.title
    assert "\x1b" not in record.title
    assert len(record.title) <= LIMITS["title"]
    assert record.location is not None
    assert len(record.location) <= LIMITS["location"]
    assert "\ud800" not in record.location
    assert len(record.source_id) <= LIMITS["source_id"]
    assert {"control_chars", "text_truncated"} <= set(reasons)
    record.title.encode("utf-8")
    record.location.encode("utf-8")


def test_unsafe_links_are_dropped() -> None:
    record, reasons = bound_record(
        event_record(
            url="javascript:alert(1)",
            image_url="data:image/png;base64,AAAA",
            source_links=(
                SourceLink("secretnyc", "https://secretnyc.co/x"),
                SourceLink("evil", "javascript:alert(2)"),
            ),
        )
    )
    assert record.url == ""
    assert record.image_url is None
    assert record.source_links == (SourceLink("secretnyc", "https://secretnyc.co/x"),)
    assert set(reasons) == {"url_unsafe", "image_url_unsafe", "source_link_unsafe"}


def test_payload_is_json_every_backend_accepts() -> None:
    payload = {"evidence": "a\x00b", "nan": float("nan"), "big": "x" * 50_000}
    record, reasons = bound_record(event_record(raw_payload=payload))
    assert record.raw_payload is not None
    text = json.dumps(record.raw_payload, allow_nan=False)
    assert "\\u0000" not in text
    assert len(text) < 21_000
    assert "payload_truncated" in reasons


def test_a_clean_record_is_unchanged() -> None:
    record = event_record()
    bounded, reasons = bound_record(record)
    assert reasons == ()
    assert bounded == replace(record, price_min=D("25.00"), price_max=D("40.00"))


prices = st.one_of(
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30).map(Decimal),
)
days = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))


@given(
    low=prices,
    high=prices,
    start=days,
    end=days,
    title=st.text(max_size=600),
    url=st.text(max_size=60),
    confidence=st.floats(allow_nan=True, allow_infinity=True),
)
def test_any_record_is_bounded(
    low: Decimal | None,
    high: Decimal | None,
    start: date | None,
    end: date | None,
    title: str,
    url: str,
    confidence: float,
) -> None:
    record, _reasons = bound_record(
        event_record(
            price_min=low,
            price_max=high,
            date_start=start,
            date_end=end,
            title=title,
            url=url,
            image_url=url,
            date_confidence=confidence,
        )
    )
    for price in (record.price_min, record.price_max):
        assert price is None or (price.is_finite() and 0 <= price <= MAX_PRICE)
    if record.price_min is not None and record.price_max is not None:
        assert record.price_min <= record.price_max
    for day in (record.date_start, record.date_end):
        assert day is None or 1900 <= day.year <= 2100
    if record.date_start and record.date_end:
        assert record.date_start <= record.date_end
    assert len(record.title) <= LIMITS["title"]
    assert "\x00" not in record.title
    assert record.url == "" or is_safe_http_url(record.url)
    assert record.image_url is None or is_safe_http_url(record.image_url)
    assert 0.0 <= record.date_confidence <= 1.0
