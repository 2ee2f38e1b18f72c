"""Query understanding: validation, terms, concepts, constraints and preferences.

Pure functions: "free outdoor music in brooklyn under $30" becomes terms for full
text, the concepts it names (outdoor, music: config/search_concepts.yaml), the
constraints the user states (free, a $30 cap, Brooklyn) and preferences (days and
times: "tonight", "after work"). An explicit cap also filters in SQL; free, cheap
(<= $25) and places rank keepers above breakers (hybrid.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from yescount.errors import ValidationError
from yescount.search.vocabulary import Concept, Vocabulary, load_vocabulary, normalise
from yescount.search.when import When, read_when

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
CHEAP_PRICE = Decimal("25")

_STOPWORD_TEXT = """a an and any are around at be best but by can do does for from get go going
    good great have i in into is it its me my near nearby new nyc of on or our out place places
    some something somewhere that the their there these thing things this to try us want we what
    where which while who with york you your event events stuff whats what's happening
    anything plans plan ideas idea please lol kinda sorta pls wanna gonna til until"""
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
    re.compile(r"\b(\d{1,5})\s*(?:dollars|bucks)\b", re.IGNORECASE),
)
_FREE = re.compile(r"(?<![\w-])(?:free|no cover|no charge|\$0)(?![\w-])", re.IGNORECASE)
_CHEAP = re.compile(
    r"\b(?:cheap|cheaper|cheapo|budget|inexpensive|affordable|low[- ]cost|broke|cheap eats)\b",
    re.IGNORECASE,
)
_CONSTRAINT_WORDS = frozenset(
    [
        "free",
        "cheap",
        "cheaper",
        "cheapo",
        "budget",
        "inexpensive",
        "affordable",
        "broke",
        "cover",
        "entry",
    ]
)
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
# _WORD on lower-case ASCII text (the same matches; a plain character class is faster).
_ASCII_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)?")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What a query asks for: terms, concepts, constraints (place, price) and days."""

    text: str
    embed_text: str
    terms: tuple[str, ...]
    max_price: Decimal | None = None
    wants_free: bool = False
    wants_cheap: bool = False
    areas: tuple[str, ...] = ()
    vibes: tuple[str, ...] = ()
    corrected: str | None = None
    concepts: tuple[Concept, ...] = ()
    when: When | None = None
    excluded: tuple[Concept, ...] = ()

    @property
    def price_cap(self) -> Decimal | None:
        """The price constraint: the explicit cap, 0 for free, CHEAP_PRICE for cheap."""
        caps = [c for c in (self.max_price, CHEAP_PRICE if self.wants_cheap else None) if c]
        if self.wants_free and not self.wants_cheap:
            caps.append(Decimal(0))
        if self.max_price is not None and self.max_price == 0:
            caps.append(Decimal(0))
        return min(caps) if caps else None

    @property
    def has_constraints(self) -> bool:
        return bool(self.areas) or self.price_cap is not None

    @property
    def browsing(self) -> bool:
        """Only a place, a price or a day: every event fits what the query is about."""
        return (
            not self.concepts
            and not self.content_terms
            and (self.has_constraints or self.when is not None)
        )

    @property
    def content_terms(self) -> tuple[str, ...]:
        """Terms that are not a place, a price or a free/cheap word."""
        places = {w for area in self.areas for w in area.split()}
        return tuple(t for t in self.terms if t not in places and t not in _CONSTRAINT_WORDS)


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


def parse_query(
    raw: str | None,
    *,
    correct: Callable[[str], str] | None = None,
    today: date | None = None,
) -> ParsedQuery:
    """Validate ``raw`` and read its terms, concepts, constraints and days."""
    text = validate_query(raw)
    vocabulary = load_vocabulary()
    lowered = _expand_aliases(_REPEATS.sub(r"\1\1", text.lower()), vocabulary)
    if correct is not None:
        lowered = _corrected(lowered, correct)
    cap, stripped = _price_cap(lowered)
    wants_free = bool(_FREE.search(lowered))
    when, without_days = read_when(stripped, today or date.today())
    areas, without_places = _areas(without_days, vocabulary)
    concepts, excluded = _concepts(without_places, vocabulary)
    return ParsedQuery(
        text=text,
        embed_text=" ".join(stripped.split()) or text,
        terms=_terms(without_days),
        max_price=Decimal(0) if wants_free and cap is None and _only_free(lowered) else cap,
        wants_free=wants_free,
        wants_cheap=bool(_CHEAP.search(lowered)),
        areas=areas,
        vibes=tuple(sorted({t for c in concepts if not c.broad for t in c.tags})),
        corrected=lowered if lowered != text.lower() else None,
        concepts=concepts,
        when=when,
        excluded=excluded,
    )


def _expand_aliases(lowered: str, vocabulary: Vocabulary) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        return vocabulary.aliases.get(normalise(word), word)

    expanded = re.sub(r"(?<![\w$])[\w&/'-]+", swap, lowered)
    return " ".join(expanded.split())


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
    """ "only free" / "free only" / "must be free" make free an SQL filter too."""
    return bool(re.search(r"\b(?:only free|free only|must be free|strictly free)\b", lowered))


def _terms(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for found in _WORD.findall(text):
        word = found.removesuffix("'s")
        if len(word) < 2 or word in _STOPWORDS or word.isdigit():
            continue
        seen.setdefault(word, None)
    return tuple(seen)[:MAX_TERMS]


def _cut(text: str, match: re.Match[str]) -> str:
    return text[: match.start()] + " " + text[match.end() :]


def _areas(lowered: str, vocabulary: Vocabulary) -> tuple[tuple[str, ...], str]:
    """Places named in the query (boroughs, neighbourhoods, regions) and the rest."""
    text = normalise(lowered)
    found: list[str] = []
    for match in list(vocabulary.place_pattern.finditer(text)):
        found.append(match.group(0))
    for region in vocabulary.regions:
        if re.search(rf"(?<![\w-]){re.escape(region)}(?![\w-])", text):
            found.append(region)
    rest = vocabulary.place_pattern.sub(" ", text)
    return tuple(dict.fromkeys(found)), rest


_NEGATION = re.compile(r"(?:\bno|\bnot|\bwithout|\bnon|\bzero|\bminus)[\s-]+$")


def _concepts(text: str, vocabulary: Vocabulary) -> tuple[tuple[Concept, ...], tuple[Concept, ...]]:
    """Concepts the text names and those it rules out ("no kids"), longest phrase first;
    a phrase inside a longer one that matched already does not count again ("comedy
    show" is not also "show")."""
    found: dict[Concept, None] = {}
    excluded: dict[Concept, None] = {}
    spans: list[tuple[int, int]] = []
    for phrase, concepts in vocabulary.trigger_phrases:
        if phrase not in text:
            continue
        pattern = _phrase_pattern((phrase,))
        for match in pattern.finditer(text):
            if any(s <= match.start() and match.end() <= e for s, e in spans):
                continue
            spans.append(match.span())
            negated = _NEGATION.search(text[: match.start()]) is not None
            for concept in concepts:
                target = excluded if negated else found
                target.setdefault(concept, None)
                excluded.update(dict.fromkeys(vocabulary.named(concept.excludes)))
    kept = tuple(c for c in found if c not in excluded and not c.excludes)
    return kept, tuple(excluded)


@functools.lru_cache(maxsize=4096)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern matching any of ``phrases`` as whole words."""
    alternatives = "|".join(re.escape(p) for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def area_matches(area: str, location: str | None) -> bool:
    """True when ``location`` lies in ``area`` (a borough, a neighbourhood or a region)."""
    if not location:
        return False
    vocabulary = load_vocabulary()
    text = normalise(location)
    if area in vocabulary.areas:
        return vocabulary.borough(location) == area
    places = vocabulary.regions.get(area, (area,))
    return _phrase_pattern(places).search(text) is not None


@functools.lru_cache(maxsize=20_000)
def word_line(text: str) -> str:
    """The words of ``text``, lower case, each after one space: " live jazz tonight"."""
    if text.isascii():  # lower case first: the same words, one call instead of one per word
        words = _ASCII_WORD.findall(text.lower())
    else:
        words = [w.lower() for w in _WORD.findall(text)]
    return " " + " ".join(words) if words else ""


@functools.lru_cache(maxsize=1024)
def term_stems(terms: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each term with " " + its stem: the start some word of a text needs for a match."""
    return tuple((t, " " + (t[: max(4, len(t) - 2)] if len(t) > 4 else t)) for t in terms)


def matched_terms(terms: tuple[str, ...], text: str) -> tuple[str, ...]:
    """Query terms found in ``text``, allowing simple inflections (concert/concerts):
    some word of the text starts with the term's stem (the term itself counts, as its
    stem is a prefix of it). Words hold no spaces, so " " + stem finds a word start."""
    return matched_in_line(terms, word_line(text))


def matched_in_line(terms: tuple[str, ...], line: str) -> tuple[str, ...]:
    """``matched_terms`` over a text's ``word_line`` (callers that cache the line)."""
    return tuple(term for term, stem in term_stems(terms) if stem in line)
