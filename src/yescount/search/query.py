"""Query understanding: validation, lexical terms and hints (price, free, place, vibe).

Pure functions: a query such as "free outdoor music in brooklyn under $30" becomes
terms for full-text search plus hints that ranking uses ("free", a $30 cap,
Brooklyn, the outdoor and music vibes). Hints boost; only an explicit price cap
filters, because "under $30" is a constraint while "outdoor" is a preference.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from yescount.errors import ValidationError

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
CHEAP_PRICE = Decimal("20")

_STOPWORD_TEXT = """a an and any are around at be best but by can do does for from get go going
    good great have i in into is it its me my near nearby new nyc of on or our out place places
    some something somewhere that the their there these thing things this to try us want we what
    where which while who with york you your event events"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_PRICE_WORDS = frozenset(("under", "below", "less", "than", "max", "dollars", "bucks", "usd"))

_PRICE_PATTERNS = (
    re.compile(
        r"\b(?:under|below|less than|cheaper than|max(?:imum)?|up to|at most|no more than)"
        r"\s*\$?\s*(\d{1,5}(?:\.\d{1,2})?)\s*(?:dollars|bucks|usd)?",
        re.IGNORECASE,
    ),
    re.compile(r"\$\s*(\d{1,5}(?:\.\d{1,2})?)\s*(?:or less|or under|and under|max)\b", re.I),
    re.compile(r"<\s*\$?\s*(\d{1,5}(?:\.\d{1,2})?)", re.IGNORECASE),
)
_FREE = re.compile(r"(?<![\w-])(?:free|no cover|no charge|\$0)(?![\w-])", re.IGNORECASE)
_CHEAP = re.compile(r"\b(?:cheap|budget|inexpensive|affordable|low[- ]cost)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)

# Boroughs and the neighbourhoods people name instead of them.
AREAS: dict[str, tuple[str, ...]] = {
    "brooklyn": (
        "williamsburg", "bushwick", "dumbo", "greenpoint", "park slope", "red hook",
        "prospect park", "coney island", "bed-stuy", "bedford-stuyvesant", "crown heights",
        "gowanus", "fort greene", "brooklyn heights", "industry city", "sunset park",
        "clinton hill", "carroll gardens", "cobble hill", "flatbush", "brighton beach",
    ),
    "manhattan": (
        "soho", "tribeca", "chelsea", "harlem", "midtown", "east village", "west village",
        "lower east side", "upper west side", "upper east side", "central park",
        "times square", "hudson yards", "financial district", "greenwich village",
        "battery park", "meatpacking", "nolita", "chinatown", "flatiron", "union square",
        "washington heights", "inwood", "little italy", "murray hill", "high line",
    ),
    "queens": (
        "astoria", "long island city", "flushing", "jackson heights", "ridgewood",
        "rockaway", "forest hills", "corona", "sunnyside", "woodside",
    ),
    "bronx": (
        "the bronx", "arthur avenue", "riverdale", "mott haven", "fordham",
        "yankee stadium", "pelham bay", "city island",
    ),
    "staten island": ("st. george", "st george", "snug harbor", "staten island ferry"),
}  # fmt: skip

# Words that signal a vibe tag (SPEC §3 vocabulary).
VIBE_WORDS: dict[str, tuple[str, ...]] = {
    "immersive": ("immersive", "interactive", "experience", "projection"),
    "artsy": ("art", "artsy", "arts", "gallery", "galleries", "exhibit", "exhibition",
              "museum", "artist", "artists", "painting", "sculpture"),
    "outdoor": ("outdoor", "outdoors", "outside", "open-air", "open air", "park", "rooftop",
                "garden", "picnic", "beach"),
    "low-key": ("chill", "relaxed", "relaxing", "low-key", "lowkey", "quiet", "cozy",
                "calm", "mellow"),
    "high-energy": ("high-energy", "energetic", "wild", "rave", "dance party", "party"),
    "music": ("music", "concert", "concerts", "gig", "live band", "jazz", "dj", "orchestra",
              "band", "bands", "songs", "opera", "hip-hop", "rock"),
    "comedy": ("comedy", "comedian", "comedians", "stand-up", "standup", "improv", "funny",
               "laugh", "laughs"),
    "food": ("food", "foodie", "eat", "eating", "tasting", "brunch", "dinner", "market",
             "drinks", "wine", "beer", "cocktails", "dumplings", "pizza"),
    "sports": ("sports", "game", "match", "basketball", "baseball", "soccer", "running",
               "race", "yoga", "skating", "climbing"),
    "nightlife": ("nightlife", "club", "clubs", "bar", "bars", "late-night", "late night",
                  "dancing", "night out"),
    "family-friendly": ("family", "kids", "children", "family-friendly", "kid-friendly",
                        "all ages", "toddlers"),
    "free": ("free",),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    text: str
    embed_text: str
    terms: tuple[str, ...]
    max_price: Decimal | None = None
    wants_free: bool = False
    wants_cheap: bool = False
    areas: tuple[str, ...] = ()
    vibes: tuple[str, ...] = ()
    corrected: str | None = None


def validate_query(raw: str | None) -> str:
    """Trim and collapse whitespace; 1–500 characters or ``ValidationError``."""
    text = " ".join((raw or "").split())
    if not text:
        raise ValidationError("Type something to search for.", code="query_empty")
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError(
            f"Searches are limited to {MAX_QUERY_CHARS} characters (got {len(text)}).",
            code="query_too_long",
        )
    return text


def parse_query(raw: str | None, *, correct: Callable[[str], str] | None = None) -> ParsedQuery:
    """Validate ``raw`` and extract terms and hints (after ``correct`` fixes typos)."""
    text = validate_query(raw)
    lowered = text.lower()
    if correct is not None:
        lowered = _corrected(lowered, correct)
    cap, stripped = _price_cap(lowered)
    wants_free = bool(_FREE.search(lowered))
    terms = _terms(stripped)
    return ParsedQuery(
        text=text,
        embed_text=" ".join(stripped.split()) or text,
        terms=terms,
        max_price=Decimal(0) if wants_free and cap is None and _only_free(lowered) else cap,
        wants_free=wants_free,
        wants_cheap=bool(_CHEAP.search(lowered)),
        areas=_areas(lowered),
        vibes=_vibes(lowered),
        corrected=lowered if lowered != text.lower() else None,
    )


def _corrected(lowered: str, correct: Callable[[str], str]) -> str:
    """Run ``correct`` over every word except stopwords and numbers."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in _STOPWORDS or word in _PRICE_WORDS or not word.isalpha():
            return word
        return correct(word)

    return _WORD.sub(fix, lowered)


def _price_cap(lowered: str) -> tuple[Decimal | None, str]:
    cap: Decimal | None = None
    stripped = lowered
    for pattern in _PRICE_PATTERNS:
        for match in pattern.finditer(lowered):
            value = Decimal(match.group(1))
            cap = value if cap is None else min(cap, value)
            stripped = stripped.replace(match.group(0), " ")
    return cap, stripped


def _only_free(lowered: str) -> bool:
    """ "only free" / "free only" / "must be free" make free a constraint, not a wish."""
    return bool(re.search(r"\b(?:only free|free only|must be free|strictly free)\b", lowered))


def _terms(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for found in _WORD.findall(text):
        word = found.removesuffix("'s")
        if len(word) < 2 or word in _STOPWORDS or word.isdigit():
            continue
        seen.setdefault(word, None)
    return tuple(seen)[:MAX_TERMS]


@functools.lru_cache(maxsize=1024)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern matching any of ``phrases`` as whole words."""
    alternatives = "|".join(re.escape(p) for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def _contains(haystack: str, phrase: str) -> bool:
    return _phrase_pattern((phrase,)).search(haystack) is not None


def _areas(lowered: str) -> tuple[str, ...]:
    found: list[str] = []
    for borough, places in AREAS.items():
        if _contains(lowered, borough):
            found.append(borough)
        found.extend(p for p in places if _contains(lowered, p))
    return tuple(dict.fromkeys(found))


def _vibes(lowered: str) -> tuple[str, ...]:
    return tuple(
        tag for tag, words in VIBE_WORDS.items() if any(_contains(lowered, w) for w in words)
    )


def area_matches(area: str, location: str | None) -> bool:
    """True when ``location`` lies in ``area`` (a borough or a neighbourhood)."""
    if not location:
        return False
    places = (area, *AREAS.get(area, ()))
    return _phrase_pattern(places).search(location.lower()) is not None


def matched_terms(terms: tuple[str, ...], text: str) -> tuple[str, ...]:
    """Query terms found in ``text``, allowing simple inflections (concert/concerts)."""
    words = {w.lower() for w in _WORD.findall(text)}
    found = []
    for term in terms:
        stem = term[: max(4, len(term) - 2)] if len(term) > 4 else term
        if term in words or any(w.startswith(stem) for w in words):
            found.append(term)
    return tuple(found)
