"""Name rules: normalization, allowed characters of any alphabet, case-insensitive keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yescount.domain.names import MAX_KEY_LENGTH, name_key, normalize_name, normalize_plan_name
from yescount.errors import ValidationError
from yescount.services.lookalike import person_key, tr39_skeleton


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


def key(raw: str) -> str:
    return person_key(normalize_name(raw))


def test_name_key_is_case_insensitive_across_alphabets() -> None:
    assert key("ZOË") == key("zoë")
    assert key("ДАРЬЯ") == key("дарья")
    assert key("Straße") == key("STRASSE")
    assert key("Ema") != key("Emma")


def test_look_alike_and_fullwidth_names_share_one_key() -> None:
    cyrillic_a, fullwidth = "J\u0430ke", "\uff2a\uff41\uff4b\uff45"
    assert key("Jake") == key(cyrillic_a) == key(fullwidth) == key("JAKE")
    assert key("Jake") == "jake"


@pytest.mark.parametrize("other", ["José", "Zoë", "李雷", "Jose", "Zoe", "Jakob"])
def test_distinct_names_keep_distinct_keys(other: str) -> None:
    names = ["Jake", "José", "Zoë", "李雷", "Jose", "Zoe", "Jakob"]
    assert [n for n in names if key(n) == key(other)] == [other]


def test_the_domain_key_takes_any_skeleton_and_bounds_its_length() -> None:
    assert (
        name_key("\uff2a\uff41\uff4b\uff45", skeleton=lambda s: s) == "jake"
    )  # NFKC + case fold alone
    assert name_key("Jake", skeleton=str.upper) == "JAKE"
    long = name_key("\ufdfa" * 20, skeleton=tr39_skeleton)  # NFKC turns one letter into 18
    assert long.startswith("#")
    assert len(long) <= MAX_KEY_LENGTH


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
