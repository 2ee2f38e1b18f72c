"""Price text → (min, max): None is unknown, 0 is free."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yescount.ingest.prices import parse_price, price_from_description, structured_price

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
