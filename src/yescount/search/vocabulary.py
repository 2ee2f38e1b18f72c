"""The search vocabulary (config/search_concepts.yaml): concepts, areas and aliases.

A *concept* is what a query word means for an outing: "spooky" is the horror, ghost,
haunted and séance events; "kids" is every event tagged family-friendly. An event
matches a concept when it carries one of the concept's vibe tags or its text (title,
description, place) holds one of its terms, so a tag match counts even when no word
of the description repeats the query. The file is data; nothing here knows a
catalogue.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml

from yescount.domain.events import VIBE_TAGS

CONFIG_DIR = Path(__file__).resolve().parents[3] / "config"
CONCEPTS_FILE = CONFIG_DIR / "search_concepts.yaml"
VIBE_FILE = CONFIG_DIR / "vibe_tags.yaml"
MAX_PHRASES = 400


@functools.lru_cache(maxsize=20_000)
def normalise(text: str) -> str:
    """Lower case without accents, curly quotes made straight (séance -> seance)."""
    if text.isascii():  # nothing to decompose: most event text (~8x faster)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _term_regex(term: str) -> str:
    """One term as a regex: ``ghost*`` = any ending, hyphen = hyphen, space or nothing."""
    prefix = term.endswith("*")
    words = normalise(term.rstrip("*")).split()
    parts = [re.escape(w).replace(r"\-", r"[-\s]?") for w in words]
    body = r"\s+".join(parts)
    return body + (r"[\w'-]*" if prefix else "")


def phrase_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """A whole-word pattern matching any of ``terms`` (None for no terms)."""
    alternatives = sorted({_term_regex(t) for t in terms if t.strip("* ")}, key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


@dataclass(frozen=True)
class Concept:
    """A kind of outing or a mood, the query phrases that name it and what matches it."""

    name: str
    say: tuple[str, ...]
    tags: frozenset[str]
    terms: tuple[str, ...]
    broad: bool = False
    excludes: tuple[str, ...] = ()

    @functools.cached_property
    def pattern(self) -> re.Pattern[str] | None:
        return phrase_pattern(self.terms)

    def matches(self, tags: Iterable[str], text: str) -> str | None:
        """How an event (its tags, its normalised text) matches: a tag, a term, or None."""
        for tag in tags:
            if tag in self.tags:
                return tag
        pattern = self.pattern
        found = pattern.search(text) if pattern is not None else None
        return found.group(0) if found else None

    def fts_terms(self) -> tuple[str, ...]:
        """Plain words for a full-text query (prefix stars dropped, phrases kept whole)."""
        return tuple(dict.fromkeys(t.rstrip("*") for t in self.terms if len(t.rstrip("*")) > 1))


@dataclass(frozen=True)
class Vocabulary:
    aliases: Mapping[str, str]
    areas: Mapping[str, tuple[str, ...]]
    regions: Mapping[str, tuple[str, ...]]
    concepts: tuple[Concept, ...]
    neighbours: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)

    @functools.cached_property
    def borough_of(self) -> Mapping[str, str]:
        """Neighbourhood (or borough) -> borough."""
        table = {borough: borough for borough in self.areas}
        for borough, places in self.areas.items():
            table.update({normalise(p): borough for p in places})
        return table

    @functools.cached_property
    def place_pattern(self) -> re.Pattern[str]:
        pattern = phrase_pattern(self.borough_of)
        assert pattern is not None
        return pattern

    @functools.cached_property
    def trigger_phrases(self) -> tuple[tuple[str, tuple[Concept, ...]], ...]:
        """(phrase, concepts it names), longest phrase first."""
        table: dict[str, list[Concept]] = {}
        for concept in self.concepts:
            for phrase in (concept.name.replace("-", " "), *concept.say):
                key = normalise(phrase)
                if concept not in table.setdefault(key, []):
                    table[key].append(concept)
        ordered = sorted(table.items(), key=lambda item: (-len(item[0]), item[0]))
        return tuple((phrase, tuple(found)) for phrase, found in ordered)

    @functools.cached_property
    def words(self) -> tuple[str, ...]:
        """Every word the vocabulary knows (for typo correction; serve's warm-up counts them)."""
        found: list[str] = []
        for phrase, _ in self.trigger_phrases:
            found.extend(re.findall(r"[a-z][a-z'-]+", phrase))
        for place in self.borough_of:
            found.extend(re.findall(r"[a-z][a-z'-]+", place))
        return tuple(dict.fromkeys(found))

    def named(self, names: Iterable[str]) -> tuple[Concept, ...]:
        wanted = set(names)
        return tuple(c for c in self.concepts if c.name in wanted)

    def borough(self, location: str | None) -> str | None:
        """The borough named last in ``location``, else the last neighbourhood's borough."""
        if not location:
            return None
        text = normalise(location)
        boroughs = [m for m in self.place_pattern.finditer(text) if m.group(0) in self.areas]
        if boroughs:
            return boroughs[-1].group(0)
        places = list(self.place_pattern.finditer(text))
        return self.borough_of[places[-1].group(0)] if places else None


def _strings(raw: object, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ValueError(f"{where}: expected a list of strings")
    if len(raw) > MAX_PHRASES:
        raise ValueError(f"{where}: at most {MAX_PHRASES} entries")
    return tuple(raw)


def _safe_yaml(handle: IO[str]) -> Any:
    """Safe YAML through libyaml when present: ~10x faster than the pure-Python parser
    (~0.5 s of a cold CLI search), the same data."""
    if yaml.__with_libyaml__:
        return yaml.load(handle, Loader=yaml.CSafeLoader)
    return yaml.safe_load(handle)


def _vibe_keywords(path: Path) -> Mapping[str, tuple[str, ...]]:
    with path.open(encoding="utf-8") as handle:
        raw = _safe_yaml(handle) or {}
    tags = raw.get("tags") or {}
    return {str(tag): _strings(words, f"vibe tag {tag}") for tag, words in tags.items()}


def _concept(name: str, raw: Mapping[str, Any], vibes: Mapping[str, Sequence[str]]) -> Concept:
    unknown = set(raw) - {"say", "tags", "terms", "broad", "excludes"}
    if unknown:
        raise ValueError(f"concept {name}: unknown keys {sorted(unknown)}")
    tags = frozenset(_strings(raw.get("tags"), f"concept {name} tags"))
    if tags - set(VIBE_TAGS):
        raise ValueError(f"concept {name}: unknown tags {sorted(tags - set(VIBE_TAGS))}")
    terms: list[str] = []
    for term in _strings(raw.get("terms"), f"concept {name} terms"):
        if term.startswith("@"):
            if term[1:] not in vibes:
                raise ValueError(f"concept {name}: no vibe tag {term[1:]!r}")
            terms.extend(vibes[term[1:]])
        else:
            terms.append(term)
    say = _strings(raw.get("say"), f"concept {name} say")
    excludes = _strings(raw.get("excludes"), f"concept {name} excludes")
    broad = bool(raw.get("broad", False))
    return Concept(name, say, tags, tuple(dict.fromkeys(terms)), broad, excludes)


def parse_vocabulary(raw: Mapping[str, Any], vibes: Mapping[str, Sequence[str]]) -> Vocabulary:
    aliases = {normalise(str(k)): normalise(str(v or "")) for k, v in raw["aliases"].items()}
    areas = {
        normalise(b): tuple(normalise(p) for p in _strings(places, f"areas {b}"))
        for b, places in raw["areas"].items()
    }
    regions = {
        normalise(r): tuple(normalise(p) for p in _strings(places, f"regions {r}"))
        for r, places in (raw.get("regions") or {}).items()
    }
    concepts = tuple(_concept(str(n), c or {}, vibes) for n, c in raw["concepts"].items())
    near: dict[str, set[str]] = {}
    for place, others in (raw.get("neighbours") or {}).items():
        for other in _strings(others, f"neighbours {place}"):
            near.setdefault(normalise(place), set()).add(normalise(other))
            near.setdefault(normalise(other), set()).add(normalise(place))
    return Vocabulary(
        aliases=aliases,
        areas=areas,
        regions=regions,
        concepts=concepts,
        neighbours={p: frozenset(n) for p, n in near.items()},
    )


@functools.lru_cache(maxsize=4)
def load_vocabulary(path: Path = CONCEPTS_FILE, vibe_path: Path = VIBE_FILE) -> Vocabulary:
    """The vocabulary from its YAML files (read once per process)."""
    with path.open(encoding="utf-8") as handle:
        raw = _safe_yaml(handle)
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping")
    try:
        return parse_vocabulary(raw, _vibe_keywords(vibe_path))
    except (KeyError, ValueError, AttributeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
