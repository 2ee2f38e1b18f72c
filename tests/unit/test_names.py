"""Name rules: normalization, allowed characters of any alphabet, case-insensitive keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yescount.domain.names import name_key, normalize_name, normalize_plan_name
from yescount.errors import ValidationError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("José", "José"),
        ("Zoë", "Zoë"),
        ("李", "李"),
        ("Дарья", "Дарья"),
        ("  Ema   Lee \t", "Ema Lee"),
        ("O'Brien", "O'Brien"),
        ("D\u2019Angelo", "D\u2019Angelo"),
        ("Anne-Marie", "Anne-Marie"),
        ("Jose\u0301", "José"),  # decomposed input is NFC-composed
        ("अनु", "अनु"),  # Devanagari with a combining vowel sign
        ("Ema\u00a0Lee", "Ema Lee"),  # no-break space collapses
        ("R2", "R2"),
        ("x" * 50, "x" * 50),
    ],
)
def test_valid_names_are_normalized(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "enter your first name"),
        ("   ", "enter your first name"),
        ("x" * 51, "at most 50"),
        ("Ema!", "“!”"),
        ("<b>Ema</b>", "“<”"),
        ("Ema 🎉", "“🎉”"),
        ("Ema\u0000", "U+0000"),
        ("'-", "at least one letter"),
        ("\u0301a", "U+0301"),
    ],
)
def test_invalid_names_get_a_readable_message(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalize_name(raw)
    assert err.value.code == "invalid_input"
    assert fragment in err.value.message


def test_name_key_is_case_insensitive_across_alphabets() -> None:
    assert name_key(normalize_name("ZOË")) == name_key(normalize_name("zoë"))
    assert name_key(normalize_name("ДАРЬЯ")) == name_key(normalize_name("дарья"))
    assert name_key(normalize_name("Straße")) == name_key(normalize_name("STRASSE"))
    assert name_key("Ema") != name_key("Emma")


@given(st.text(max_size=80))
def test_normalized_names_are_stable_and_tidy(raw: str) -> None:
    try:
        name = normalize_name(raw)
    except ValidationError:
        return
    assert normalize_name(name) == name
    assert 1 <= len(name) <= 50
    assert name == name.strip()
    assert "  " not in name


def test_plan_names() -> None:
    assert normalize_plan_name("  Crew   Night Out! ") == "Crew Night Out!"
    for bad in ("", "x" * 81, "Crew\u0007Night"):
        with pytest.raises(ValidationError):
            normalize_plan_name(bad)
