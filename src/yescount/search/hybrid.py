"""Hybrid ranking: fuse vector similarity, full-text relevance and query hints.

Better than plain reciprocal rank fusion for this data: every candidate gets its
exact cosine similarity (also those found only by full text), so the fused score
is absolute and a threshold can drop weak matches. Score =
``W_VECTOR * similarity + W_LEXICAL * lexical + boosts`` where lexical mixes term
coverage with the engine's rank score, and boosts reward what the query asked
for (free, cheap, a borough, a vibe). Weights and the threshold were set on the
labelled query set (tests/integration/test_search_quality.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from yescount.domain.events import Event
from yescount.search.lexical import LexicalHit
from yescount.search.query import ParsedQuery, area_matches, matched_terms

W_VECTOR = 0.6
W_LEXICAL = 0.4
BOOST_FREE = 0.10
BOOST_CHEAP = 0.05
BOOST_AREA = 0.08
BOOST_VIBE = 0.12
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


@dataclass(frozen=True, slots=True)
class RankedHit:
    event: Event
    score: float
    similarity: float | None
    lexical: float
    reasons: tuple[str, ...]


def fuse(
    parsed: ParsedQuery,
    events: Mapping[int, Event],
    *,
    similarities: Mapping[int, float] | None,
    lexical: Sequence[LexicalHit],
) -> list[RankedHit]:
    """Rank ``events`` (already filtered) for ``parsed``; ``similarities`` None = text only."""
    nearest = _nearest(similarities, events)
    best_lexical = max((h.score for h in lexical), default=0.0)
    lexical_scores = {h.event_id: h.score for h in lexical}
    hits = []
    for event_id, event in events.items():
        terms = matched_terms(parsed.terms, _text(event))
        coverage = len(terms) / len(parsed.terms) if parsed.terms else 0.0
        engine = lexical_scores.get(event_id, 0.0) / best_lexical if best_lexical > 0 else 0.0
        lex = 0.5 * coverage + 0.5 * engine
        boost, hint_reasons = _boosts(parsed, event)
        if similarities is None:
            score = lex + boost
            threshold = MIN_SCORE_TEXT_ONLY
            similarity = None
        else:
            similarity = similarities.get(event_id, 0.0)
            score = W_VECTOR * similarity + W_LEXICAL * lex + boost
            threshold = MIN_SCORE
        if score < threshold and event_id not in nearest:
            continue
        reasons = _reasons(similarity, terms) + hint_reasons
        hits.append(RankedHit(event, round(score, 4), similarity, round(lex, 4), reasons))
    hits.sort(key=lambda h: (-h.score, h.event.id))
    return hits


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


def _text(event: Event) -> str:
    return f"{event.title} {event.location or ''} {event.description}"


def _boosts(parsed: ParsedQuery, event: Event) -> tuple[float, tuple[str, ...]]:
    boost = 0.0
    reasons: list[str] = []
    if parsed.wants_free and event.is_free:
        boost += BOOST_FREE
        reasons.append("free")
    elif parsed.wants_cheap and _cheap(event):
        boost += BOOST_CHEAP
        reasons.append(f"cheap ({event.price_label()})")
    if parsed.max_price is not None and event.price_min is not None and not event.is_free:
        reasons.append(f"within ${parsed.max_price:,.0f} ({event.price_label()})")
    areas = [a for a in parsed.areas if area_matches(a, event.location)]
    if areas:
        boost += BOOST_AREA
        reasons.append(f"in {areas[0].title()}")
    asked = [v for v in parsed.vibes if v != "free"]  # "free" is rewarded above
    vibes = [v for v in asked if v in event.vibe_tags]
    if vibes:
        boost += BOOST_VIBE * len(vibes) / len(asked)
        reasons.append("vibe: " + ", ".join(vibes))
    return boost, tuple(reasons)


def _cheap(event: Event) -> bool:
    return event.price_min is not None and event.price_min <= Decimal(20)


def _reasons(similarity: float | None, terms: tuple[str, ...]) -> tuple[str, ...]:
    reasons: list[str] = []
    if similarity is not None and similarity >= STRONG_SIMILARITY:
        reasons.append(f"close in meaning ({similarity:.2f})")
    if terms:
        reasons.append("mentions " + ", ".join(terms))
    return tuple(reasons)
