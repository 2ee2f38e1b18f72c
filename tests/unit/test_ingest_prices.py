"""Price text → (min, max): None is unknown, 0 is free."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yescount.ingest.prices import (
    MAX_PRICE,
    checked_amount,
    parse_price,
    price_from_description,
    structured_offer,
    structured_price,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Free", (D("0"), D("0"))),
        ("FREE admission", (D("0"), D("0"))),
        ("Free (skate rentals from $20)", (D("0"), D("20"))),
        ("Free–$20", (D("0"), D("20"))),
        ("from $25", (D("25"), None)),
        ("Tickets starting at $39.90", (D("39.90"), None)),
        ("$25+", (D("25"), None)),
        ("$10–$25", (D("10"), D("25"))),
        ("$10 - 25", (D("10"), D("25"))),
        ("$10 to $25", (D("10"), D("25"))),
        ("$25", (D("25"), D("25"))),
        ("$1,250", (D("1250"), D("1250"))),
        ("$35 ($30 for Insiders)", (D("30"), D("35"))),
        ("Pay what you wish", (D("0"), None)),
        ("Pay-what-you-wish ($25 suggested)", (D("0"), D("25"))),
        ("Suggested donation", (D("0"), None)),
        ("gluten-free", (None, None)),
        ("Price: TBA", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_price(text: str | None, expected: tuple[Decimal | None, Decimal | None]) -> None:
    assert parse_price(text) == expected


def test_prices_in_running_text_need_a_ticket_context() -> None:
    assert price_from_description("Admission is free. Bring friends.") == (D("0"), D("0"))
    assert price_from_description("Tickets are $15 at the door.") == (D("15"), D("15"))
    assert price_from_description("A $2 million renovation. Feel free to wander.") == (None, None)
    assert price_from_description("Gluten-free snacks available.") == (None, None)


def test_structured_offers() -> None:
    assert structured_price(price="0") == (D("0"), D("0"))
    assert structured_price(low="39.90") == (D("39.90"), None)
    assert structured_price(low=20, high=60) == (D("20"), D("60"))
    assert structured_price(free=True) == (D("0"), D("0"))
    assert structured_price(price="TBA") == (None, None)


amounts = st.decimals(min_value=0, max_value=9999, places=2, allow_nan=False)


@given(low=amounts, high=amounts)
def test_ranges_round_trip_and_stay_ordered(low: Decimal, high: Decimal) -> None:
    found_min, found_max = parse_price(f"${low}–${high}")
    assert found_min is not None
    assert found_max is not None
    assert found_min <= found_max
    assert {found_min, found_max} == {low, high}


@given(text=st.text(max_size=80))
def test_any_text_gives_an_ordered_range(text: str) -> None:
    low, high = parse_price(text)
    if low is not None:
        assert low >= 0
    if low is not None and high is not None:
        assert low <= high


HOSTILE_PRICES = [
    ("NaN", "price_not_finite"),
    ("nan", "price_not_finite"),
    ("sNaN", "price_not_finite"),
    ("Infinity", "price_not_finite"),
    ("-Infinity", "price_not_finite"),
    (float("nan"), "price_not_finite"),
    (float("inf"), "price_not_finite"),
    (Decimal("NaN"), "price_not_finite"),
    (1e308, "price_too_high"),
    ("1e308", "price_too_high"),
    ("1E+99999", "price_too_high"),
    (99999999999999, "price_too_high"),
    ("99999999999999", "price_too_high"),
    (10**400, "price_too_high"),
    (-5, "price_negative"),
    ("-0.01", "price_negative"),
    ("call the box office", "price_not_numeric"),
    ("1" * 200, "price_too_high"),
]


@pytest.mark.parametrize(("value", "reason"), HOSTILE_PRICES)
def test_implausible_offer_prices_become_unknown_with_a_reason(value: object, reason: str) -> None:
    assert checked_amount(value) == (None, reason)
    found, reasons = structured_offer(price=value)
    assert found == (None, None)
    assert reasons == (reason,)


def test_a_bad_offer_value_costs_only_that_value() -> None:
    found, reasons = structured_offer(price="NaN", low="15", high="Infinity")
    assert found == (D("15"), None)
    assert reasons == ("price_not_finite", "price_not_finite")
    assert structured_price(low="10", high="1e308") == (D("10"), None)
    assert checked_amount("$1,250") == (D("1250"), None)
    assert checked_amount("USD 25") == (D("25"), None)
    assert checked_amount("Free") == (D("0"), None)
    assert checked_amount("") == (None, None)
    assert checked_amount(True) == (None, None)


def test_text_prices_above_the_cap_are_not_prices() -> None:
    assert parse_price("$1,000,000,000,000,000,000 prize") == (None, None)
    assert parse_price(f"${MAX_PRICE + 1}") == (None, None)


hostile_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=60),
    st.sampled_from(["NaN", "Infinity", "-inf", "1e308", "1e-400", "$", "$.", "-$5", "0x10"]),
)


@given(price=hostile_values, low=hostile_values, high=hostile_values)
def test_offers_never_raise_and_stay_in_range(price: object, low: object, high: object) -> None:
    (minimum, maximum), reasons = structured_offer(price=price, low=low, high=high)
    for value in (minimum, maximum):
        assert value is None or (value.is_finite() and D(0) <= value <= MAX_PRICE)
        assert value is None or value == value.quantize(D("0.01"))
    if minimum is not None and maximum is not None:
        assert minimum <= maximum
    assert all(isinstance(reason, str) for reason in reasons)


@given(text=st.text(max_size=200))
def test_any_text_stays_in_range(text: str) -> None:
    for low, high in (parse_price(text), price_from_description(text)):
        for value in (low, high):
            assert value is None or (value.is_finite() and D(0) <= value <= MAX_PRICE)


def test_real_price_sentences() -> None:
    """The real Time Out page's price sentences (benchmarks/price_parsers.py prints the score)."""
    path = Path(__file__).resolve().parents[1] / "fixtures" / "prices" / "real_price_strings.json"
    items = json.loads(path.read_text(encoding="utf-8"))["strings"]
    right = 0
    for item in items:
        low, high = item["expected"]
        want = (D(low) if low else None, D(high) if high else None)
        found = parse_price(item["text"])
        found = found if found != (None, None) else price_from_description(item["text"])
        right += found == want
    assert right / len(items) >= 0.9, f"{right}/{len(items)}"
    assert parse_price("Tickets start at $39.") == (D("39"), None)
    assert parse_price("You're free to roam the galleries.") == (None, None)
    assert parse_price("Free to attend") == (D("0"), D("0"))
