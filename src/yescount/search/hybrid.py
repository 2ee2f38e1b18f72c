"""Hybrid ranking: concepts and constraints first, then meaning and words.

Every candidate (found by words, by meaning, by tag or by a concept's terms) gets:

- **concepts**: which of the query's concepts it matches (a vibe tag or one of the
  concept's terms in its title, description or place: config/search_concepts.yaml);
- **constraints**: the place and price the user stated ("in Brooklyn", "free",
  "under $30", "cheap" = at most $25) kept, unknown, or broken;
- **relevance**: ``W_VECTOR * similarity + W_LEXICAL * lexical + W_CONCEPT * concept
  share`` plus small rewards for day/time preferences and broad concepts.

Events matching a concept rank above those that do not, and among them constraint
keepers above unknowns above breakers. When a query names no concept, relevance
alone decides and weak matches below a threshold are dropped, except the few nearest
by meaning (paraphrases share no words).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from yescount.domain.events import Event
from yescount.domain.search import LexicalHit
from yescount.search.query import ParsedQuery, area_matches, matched_in_line, word_line
from yescount.search.vocabulary import Concept, load_vocabulary, normalise

W_VECTOR = 0.6
W_LEXICAL = 0.4
W_CONCEPT = 0.6
BOOST_WHEN = 0.2
BOOST_BROAD = 0.06
BOOST_TITLE = 0.04
# Weak matches below these fused scores are dropped (full ranking / text-only mode)...
MIN_SCORE = 0.30
MIN_SCORE_TEXT_ONLY = 0.25
# ...unless they are among the few nearest by meaning, clearly above the similarity
# of unrelated text (gibberish queries peak at ~0.15-0.19 with this model) and close
# to the best one: paraphrases ("get some exercise") share no words and score low.
NEAREST_KEPT = 5
MIN_SIMILARITY = 0.22
NEAREST_MARGIN = 0.05
STRONG_SIMILARITY = 0.35
# Constraint outcome: kept, cannot tell (no price, no place), broken.
KEEP, UNKNOWN, BREAK = 2, 1, 0
# Breakers are dropped once this many events keep every constraint.
ENOUGH_KEEPERS = 10


@dataclass(frozen=True, slots=True)
class RankedHit:
    event: Event
    score: float
    similarity: float | None
    lexical: float
    reasons: tuple[str, ...]
    concept_match: bool = True
    constraints: int = KEEP


def fuse(
    parsed: ParsedQuery,
    events: Mapping[int, Event],
    *,
    similarities: Mapping[int, float] | None,
    lexical: Sequence[LexicalHit],
    today: date | None = None,
    limit: int | None = None,
) -> list[RankedHit]:
    """Rank ``events`` (already filtered) for ``parsed``; ``similarities`` None = text only.

    With ``limit``, only the best ``limit`` are returned and only they are explained
    (a search ranks ~130-250 candidates to show 20: their reasons are not needed)."""
    nearest = _nearest(similarities, events)
    best_lexical = max((h.score for h in lexical), default=0.0)
    lexical_scores = {h.event_id: h.score for h in lexical}
    matches = {i: _matches(parsed, e) for i, e in events.items()}
    query = _Query.of(parsed, _weights(parsed, matches), today or date.today())
    # Properties of the query, read once rather than once per candidate.
    has_constraints, browsing, weights = parsed.has_constraints, parsed.browsing, query.weights
    hits = []
    why: dict[int, _Why] = {}
    for event_id, event in events.items():
        engine = lexical_scores.get(event_id, 0.0) / best_lexical if best_lexical > 0 else 0.0
        similarity = None if similarities is None else similarities.get(event_id, 0.0)
        hit, why[event_id] = _rank(query, event, matches[event_id], engine, similarity)
        threshold = MIN_SCORE_TEXT_ONLY if similarity is None else MIN_SCORE
        # A word match that keeps every stated constraint stays ("dumplings in flushing":
        # a market in Flushing that never says "dumpling").
        stated = has_constraints and hit.constraints == KEEP and event_id in lexical_scores
        if (
            (weights and hit.concept_match)
            or browsing
            or stated
            or hit.score >= threshold
            or event_id in nearest
        ):
            hits.append(hit)
    ordered = _order(hits)
    if limit is not None:
        ordered = ordered[: max(0, limit)]
    return [replace(h, reasons=_explain(why[h.event.id])) for h in ordered]


def _order(hits: list[RankedHit]) -> list[RankedHit]:
    hits.sort(key=lambda h: (-_tier(h), -h.score, h.event.id))
    keepers = sum(1 for h in hits if h.concept_match and h.constraints == KEEP)
    if keepers >= ENOUGH_KEEPERS:
        hits = [h for h in hits if h.constraints != BREAK]
    return hits


# (index into parsed.concepts, the concept, how it matched): weights are keyed by the
# index, as hashing a Concept hashes all its terms.
Matches = list[tuple[int, Concept, str]]


@dataclass(frozen=True, slots=True)
class _Query:
    """What every candidate of one query is ranked against, worked out once."""

    parsed: ParsedQuery
    weights: dict[int, float]
    weight_total: float
    price_cap: Decimal | None
    today: date

    @classmethod
    def of(cls, parsed: ParsedQuery, weights: dict[int, float], today: date) -> _Query:
        return cls(parsed, weights, sum(weights.values()), parsed.price_cap, today)


@functools.lru_cache(maxsize=20_000)
def _event_text(title: str, location: str | None, description: str) -> str:
    """An event's normalised title + place + description (cached: events repeat)."""
    return normalise(f"{title} {location or ''} {description}")


@functools.lru_cache(maxsize=20_000)
def _event_words(title: str, location: str | None, description: str) -> str:
    """The word line (query.word_line) of an event's raw title + place + description."""
    return word_line(f"{title} {location or ''} {description}")


def _matches(parsed: ParsedQuery, event: Event) -> Matches:
    text = _event_text(event.title, event.location, event.description)
    return [
        (i, c, m) for i, c in enumerate(parsed.concepts) if (m := c.matches(event.vibe_tags, text))
    ]


def _weights(parsed: ParsedQuery, matches: Mapping[int, Matches]) -> dict[int, float]:
    """Weight of each focused concept (by index): rarer among the candidates = more
    telling, so "queer party" ranks a queer event above any party."""
    concepts = parsed.concepts
    focus = [i for i, c in enumerate(concepts) if not c.broad] or list(range(len(concepts)))
    counts = dict.fromkeys(focus, 0)
    for matched in matches.values():
        for i in {i for i, _, _ in matched}:
            if i in counts:
                counts[i] += 1
    total = max(1, len(matches))
    return {i: math.log2(2 + total / (1 + counts[i])) for i in focus}


_TIERS = {KEEP: 4, UNKNOWN: 3}


def _tier(hit: RankedHit) -> int:
    """Concept and constraints kept > constraint unknown > constraint broken (jazz
    elsewhere beats a Brooklyn game for "live jazz in brooklyn") > only the
    constraints kept > neither."""
    if hit.concept_match:
        return _TIERS.get(hit.constraints, 2)
    return 1 if hit.constraints == KEEP else 0


# What a hit's reasons are made of, kept until the hit is known to be shown: the
# concepts matched, the constraint reasons, the day/time label, similarity and terms.
_Why = tuple[Matches, tuple[str, ...], str | None, float | None, tuple[str, ...]]


def _explain(why: _Why) -> tuple[str, ...]:
    matched, constraint_reasons, when_label, similarity, terms = why
    reasons = (
        *_concept_reasons(matched),
        *constraint_reasons,
        *((when_label,) if when_label else ()),
        *_reasons(similarity, terms),
    )
    return tuple(dict.fromkeys(reasons))


def _rank(
    query: _Query, event: Event, matched: Matches, engine: float, similarity: float | None
) -> tuple[RankedHit, _Why]:
    parsed, weights = query.parsed, query.weights
    line = _event_words(event.title, event.location, event.description)
    terms = matched_in_line(parsed.terms, line)
    coverage = len(terms) / len(parsed.terms) if parsed.terms else 0.0
    lex = 0.5 * coverage + 0.5 * engine
    focused = [(i, c) for i, c, _ in matched if i in weights]
    share = sum(weights[i] for i, _ in focused) / query.weight_total if focused else 0.0
    score = W_LEXICAL * lex if similarity is None else W_VECTOR * similarity + W_LEXICAL * lex
    score += W_CONCEPT * share
    if focused and any(c.matches(event.vibe_tags, normalise(event.title)) for _, c in focused):
        score += BOOST_TITLE
    if any(c.broad for _, c, _ in matched):
        score += BOOST_BROAD
    when_fits = parsed.when is not None and parsed.when.fits(event, query.today)
    if when_fits:
        score += BOOST_WHEN
    constraints, constraint_reasons = _constraints(query, event)
    when_label = parsed.when.label if when_fits and parsed.when else None
    hit = RankedHit(
        event,
        round(score, 4),
        similarity,
        round(lex, 4),
        (),
        concept_match=bool(focused) or not weights,
        constraints=constraints,
    )
    return hit, (matched, constraint_reasons, when_label, similarity, terms)


def _constraints(query: _Query, event: Event) -> tuple[int, tuple[str, ...]]:
    """The worst outcome over the stated constraints, and the plain-words reasons."""
    parsed = query.parsed
    outcome = KEEP
    reasons: list[str] = []
    if parsed.excluded:
        text = _event_text(event.title, event.location, event.description)
        if any(c.matches(event.vibe_tags, text) for c in parsed.excluded):
            outcome = BREAK
    if parsed.areas:
        place, reason = _places(parsed.areas, event.location)
        outcome = min(outcome, place)
        if reason:
            reasons.append(reason)
    cap = query.price_cap
    if cap is not None:
        price = _price(cap, event)
        outcome = min(outcome, price)
        if price == KEEP:
            reasons.append("free" if _is_free(event) else event.price_label() or "price ok")
    elif parsed.wants_free and _is_free(event):
        reasons.append("free")
    return outcome, tuple(reasons)


@functools.lru_cache(maxsize=20_000)
def _places(areas: tuple[str, ...], location: str | None) -> tuple[int, str | None]:
    """The best outcome over the asked-for areas for a place, and its reason when kept
    (cached: places repeat across candidates and searches)."""
    places = [(area, _place(area, location)) for area in areas]
    place = max(p for _, p in places)
    if place != KEEP:
        return place, None
    exact = [a for a in areas if area_matches(a, location)]
    near = next(a for a, p in places if p == KEEP)
    return KEEP, f"in {exact[0].title()}" if exact else f"near {near.title()}"


def _place(area: str, location: str | None) -> int:
    if not location:
        return UNKNOWN
    vocabulary = load_vocabulary()
    if any(area_matches(a, location) for a in (area, *vocabulary.neighbours.get(area, ()))):
        return KEEP
    borough = vocabulary.borough(location)
    if borough is None:
        return UNKNOWN
    wanted = vocabulary.borough_of.get(area)
    if area not in vocabulary.areas and wanted == borough:
        return UNKNOWN  # a neighbourhood was asked for; same borough is close
    return BREAK


def _is_free(event: Event) -> bool:
    return event.is_free or "free" in event.vibe_tags


def _price(cap: Decimal, event: Event) -> int:
    if _is_free(event):
        return KEEP
    if event.price_min is None:
        return UNKNOWN
    if cap == 0:  # pay what you wish is not free
        return BREAK
    return KEEP if event.price_min <= cap else BREAK


def _nearest(similarities: Mapping[int, float] | None, events: Mapping[int, Event]) -> set[int]:
    """Ids kept on meaning alone: the top few, above the noise floor, near the best."""
    if not similarities:
        return set()
    ranked = sorted(
        ((s, i) for i, s in similarities.items() if i in events), key=lambda p: (-p[0], p[1])
    )
    if not ranked:
        return set()
    floor = max(MIN_SIMILARITY, ranked[0][0] - NEAREST_MARGIN)
    return {i for s, i in ranked[:NEAREST_KEPT] if s >= floor}


def _concept_reasons(matched: Matches) -> tuple[str, ...]:
    return tuple(
        concept.name.replace("-", " ") if how in concept.tags else f"{concept.name}: {how}"
        for _, concept, how in matched
        if not concept.broad
    )


def _reasons(similarity: float | None, terms: tuple[str, ...]) -> tuple[str, ...]:
    reasons: list[str] = []
    if similarity is not None and similarity >= STRONG_SIMILARITY:
        reasons.append(f"close in meaning ({similarity:.2f})")
    if terms:
        reasons.append("mentions " + ", ".join(terms))
    return tuple(reasons)
