"""Text matching for the yardstick: whole words, no case, no accents, and places.

A term is lower-case words; a trailing ``*`` matches any word ending, a hyphen
matches a hyphen, a space or nothing, spaces match any whitespace. Matching is
over normalised text (``normalise``): accents stripped, case folded, typographic
quotes and dashes made plain.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

BOROUGHS: tuple[str, ...] = ("manhattan", "brooklyn", "queens", "bronx", "staten island")
# Typographic apostrophes and dashes read as their plain forms.
_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-", "\u2010": "-"})
_TERM = re.compile(r"^[\w'.&+-]+(?: [\w'.&+-]+)*\*?$")


def normalise(text: str) -> str:
    """Case-folded text without accents, with plain quotes and dashes."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def _term_pattern(term: str) -> str:
    wildcard = term.endswith("*")
    words = term.removesuffix("*").split(" ")
    parts = [r"[\s-]?".join(re.escape(piece) for piece in word.split("-")) for word in words]
    return r"(?<!\w)" + r"\s+".join(parts) + (r"\w*" if wildcard else "") + r"(?!\w)"


@dataclass(frozen=True)
class Terms:
    """A list of terms compiled into one whole-word pattern."""

    terms: tuple[str, ...]
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, terms: Iterable[object]) -> Terms:
        cleaned = tuple(_clean_term(term) for term in terms)
        if not cleaned:
            raise ValueError("a term list must not be empty")
        return cls(cleaned, re.compile("|".join(_term_pattern(t) for t in cleaned)))

    def found_in(self, normalised_text: str) -> bool:
        return self.pattern.search(normalised_text) is not None

    def last_position(self, normalised_text: str) -> tuple[int, str] | None:
        """End offset and text of the last match, or None."""
        last = None
        for match in self.pattern.finditer(normalised_text):
            last = (match.end(), match.group(0))
        return last


def _clean_term(term: object) -> str:
    if not isinstance(term, str):
        raise ValueError(f"a term must be text, not {term!r}")
    cleaned = " ".join(normalise(term).split())
    if not _TERM.match(cleaned) or cleaned.removesuffix("*").strip("-") == "":
        raise ValueError(f"bad term {term!r}: words, optional trailing *")
    return cleaned


@dataclass(frozen=True)
class Places:
    """Which borough a location is in: the borough named last, else the neighbourhood."""

    names: Terms
    neighbourhoods: Mapping[str, str]
    neighbourhood_terms: Terms | None

    @classmethod
    def from_table(cls, table: Mapping[str, Iterable[object]] | None = None) -> Places:
        """``table`` maps a borough to its neighbourhoods (the YAML ``boroughs`` key)."""
        neighbourhoods: dict[str, str] = {}
        for borough, names in (table or {}).items():
            if borough not in BOROUGHS:
                raise ValueError(f"unknown borough {borough!r}; one of {', '.join(BOROUGHS)}")
            for name in names:
                term = _clean_term(name)
                if neighbourhoods.setdefault(term, borough) != borough:
                    raise ValueError(f"neighbourhood {name!r} is in two boroughs")
        terms = Terms.of(neighbourhoods) if neighbourhoods else None
        return cls(Terms.of(BOROUGHS), neighbourhoods, terms)

    def borough_of(self, normalised_location: str) -> str | None:
        named = self.names.last_position(normalised_location)
        if named is not None:
            return " ".join(named[1].split())
        if self.neighbourhood_terms is None:
            return None
        found = self.neighbourhood_terms.last_position(normalised_location)
        if found is None:
            return None
        return self._neighbourhood_borough(found[1])

    def _neighbourhood_borough(self, matched: str) -> str | None:
        # The match may be spelt differently from the table ("bed stuy" for
        # "bed-stuy"), so look it up by the term that matches it.
        for term, borough in self.neighbourhoods.items():
            if re.fullmatch(_term_pattern(term), matched):
                return borough
        return None
