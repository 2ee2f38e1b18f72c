"""Participant and plan names: normalization, the allowed characters, the uniqueness key.

A person's name is trimmed, inner whitespace collapsed to one space and
NFC-normalized, then checked: 1–50 characters, letters of any alphabet (with
their combining marks), digits, spaces, apostrophes (' and ’) and hyphens.
Uniqueness inside a plan ignores case, compatibility forms and look-alikes:
``name_key`` is NFKC + case fold + a confusable skeleton (Unicode TR39), so
``Jake``, ``Jake`` with a Cyrillic a (U+0430) and fullwidth ``Jake`` (U+FF2A…)
are one person while
``José`` and ``Jose`` stay two. The skeleton comes from a library outside the
domain and is passed in; the display keeps the first spelling.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable

from yescount.errors import ValidationError

MAX_NAME_LENGTH = 50
MAX_PLAN_NAME_LENGTH = 80
# The participants.name_key column; longer keys (NFKC can expand a letter into a phrase)
# are stored as a digest, which no real name key can look like ("#" is not a name letter).
MAX_KEY_LENGTH = 200

Skeleton = Callable[[str], str]

APOSTROPHES = frozenset("'\u2019")
HYPHENS = frozenset("-\u2010\u2011")
_PUNCTUATION = APOSTROPHES | HYPHENS


def _collapse(raw: str) -> str:
    # str.split() without arguments splits on every Unicode whitespace run,
    # so tabs, newlines and no-break spaces collapse too.
    return " ".join(unicodedata.normalize("NFC", raw).split())


def _is_allowed(char: str, previous: str) -> bool:
    category = unicodedata.category(char)
    if category.startswith("L") or category == "Nd" or char == " " or char in _PUNCTUATION:
        return True
    # Combining marks (Devanagari vowel signs, stacked diacritics NFC cannot
    # compose) belong to the letter before them.
    return category.startswith("M") and bool(previous) and previous != " "


def normalize_name(raw: str) -> str:
    """Return the display form of a person's name or raise ValidationError(invalid_input)."""
    name = _collapse(raw)
    if not name:
        raise ValidationError("Please enter your first name.", details={"field": "name"})
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            f"Names can be at most {MAX_NAME_LENGTH} characters long.",
            details={"field": "name"},
        )
    previous = ""
    for char in name:
        if not _is_allowed(char, previous):
            invisible = not char.isprintable() or unicodedata.category(char).startswith("M")
            shown = f"U+{ord(char):04X}" if invisible else char
            raise ValidationError(
                "Names can use letters, numbers, spaces, apostrophes and hyphens "
                f"— “{shown}” is not allowed.",
                details={"field": "name"},
            )
        previous = char
    if not any(unicodedata.category(c).startswith("L") or c.isdigit() for c in name):
        raise ValidationError(
            "A name needs at least one letter or number.", details={"field": "name"}
        )
    return name


def fold_name(name: str) -> str:
    """NFKC + case fold (the NFKC_Casefold of TR39: fullwidth and case differences vanish)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def name_key(display_name: str, *, skeleton: Skeleton) -> str:
    """Uniqueness key of an already normalized name: fold, then the confusable skeleton."""
    key = unicodedata.normalize("NFC", skeleton(fold_name(display_name)))
    if len(key) > MAX_KEY_LENGTH:
        return "#" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    return key


def normalize_plan_name(raw: str) -> str:
    """Return a plan title (1–80 printable characters) or raise ValidationError."""
    name = _collapse(raw)
    if not name:
        raise ValidationError("Please give your plan a name.", details={"field": "plan_name"})
    if len(name) > MAX_PLAN_NAME_LENGTH:
        raise ValidationError(
            f"Plan names can be at most {MAX_PLAN_NAME_LENGTH} characters long.",
            details={"field": "plan_name"},
        )
    if not all(c.isprintable() for c in name):
        raise ValidationError(
            "Plan names cannot contain control characters.", details={"field": "plan_name"}
        )
    return name
