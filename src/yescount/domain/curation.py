"""Voting-card curation (SPEC §5): which events a group sees, in what order, and how.

Pure rules: website sources only, events that may happen in the plan's window,
ranked by quality — text richness, priority keywords (immersive, theater,
exhibit, festival, pop-up), date confidence — plus the plan's preferred vibes.
Card copy (a short title and a two-line summary) is extracted from the stored
fields, so it is deterministic and never invents anything.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from yescount.domain.events import WEBSITE_SOURCES, DateStatus, Event

MAX_CARDS = 30
TITLE_CHARS = 60
SUMMARY_CHARS = 140
RICH_DESCRIPTION_CHARS = 400

PRIORITY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "immersive": ("immersive",),
    "theater": ("theater", "theatre", "musical", "broadway"),
    "exhibit": ("exhibit", "exhibition", "installation", "gallery", "museum"),
    "festival": ("festival", "fest"),
    "pop-up": ("pop-up", "popup", "pop up"),
}

# Weights of the quality score (sum of the maxima = 1.0).
W_RICHNESS = 0.30
W_KEYWORDS = 0.25
W_DATES = 0.25
W_VIBES = 0.20

_SITE_SUFFIX = re.compile(r"\s*[|–—-]\s*(?:time ?out.*|secret ?nyc.*|fever.*|untapped.*)$", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True, slots=True)
class CuratedCard:
    event: Event
    score: float
    reasons: tuple[str, ...]


def is_card_source(event: Event, sources: Collection[str] = WEBSITE_SOURCES) -> bool:
    """Only card sources feed voting cards (``cards: true`` in sources.yaml; not open data)."""
    return event.source in sources


def priority_keywords(event: Event) -> tuple[str, ...]:
    """Priority keywords (SPEC §5) found in the title or description."""
    text = f"{event.title} {event.description}".lower()
    return tuple(
        name
        for name, words in PRIORITY_KEYWORDS.items()
        if any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text) for w in words)
    )


def quality(event: Event, *, vibe_tags: Sequence[str] = ()) -> tuple[float, tuple[str, ...]]:
    """Quality score in [0, 1] and the reasons behind it."""
    reasons: list[str] = []
    richness = min(len(event.description), RICH_DESCRIPTION_CHARS) / RICH_DESCRIPTION_CHARS
    extras = sum(x is not None for x in (event.location, event.image_url, event.price_min))
    richness_score = W_RICHNESS * (0.7 * richness + 0.1 * extras)
    keywords = priority_keywords(event)
    keyword_score = W_KEYWORDS * min(1.0, len(keywords) / 2) if keywords else 0.0
    if keywords:
        reasons.append(", ".join(keywords).capitalize())
    fixed = 1.0 if event.has_fixed_dates else 0.5
    date_score = W_DATES * event.date_confidence * fixed
    if event.has_fixed_dates and event.date_confidence >= 0.8:
        reasons.append("dates confirmed")
    liked = [t for t in vibe_tags if t in event.vibe_tags]
    vibe_score = W_VIBES * len(liked) / len(vibe_tags) if vibe_tags else 0.0
    if liked:
        reasons.insert(0, "your vibe: " + ", ".join(liked))
    score = richness_score + keyword_score + date_score + vibe_score
    return round(score, 4), tuple(reasons)


def within_budget(event: Event, max_price: Decimal | None) -> bool:
    """Unknown prices pass; otherwise the lowest price must fit the cap."""
    return max_price is None or event.price_min is None or event.price_min <= max_price


def rank_cards(
    events: Iterable[Event],
    *,
    window: tuple[date, date] | None,
    max_price: Decimal | None = None,
    vibe_tags: Sequence[str] = (),
    limit: int = MAX_CARDS,
    sources: Collection[str] = WEBSITE_SOURCES,
) -> list[CuratedCard]:
    """Best cards first: card-source events overlapping ``window`` (None = any) within budget."""
    cards = []
    for event in events:
        if not is_card_source(event, sources) or not within_budget(event, max_price):
            continue
        if window is not None and not event.overlaps(*window):
            continue
        score, reasons = quality(event, vibe_tags=vibe_tags)
        cards.append(CuratedCard(event, score, reasons))
    cards.sort(key=lambda c: (-c.score, _sort_day(c.event), c.event.id))
    return cards[: max(0, min(limit, MAX_CARDS))]


def _sort_day(event: Event) -> date:
    return event.date_start or date.max


def card_title(title: str) -> str:
    """A card title of at most 60 characters, cut at a word boundary."""
    clean = " ".join(_SITE_SUFFIX.sub("", title).split()) or " ".join(title.split())
    if len(clean) <= TITLE_CHARS:
        return clean
    cut = clean[: TITLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def card_summary(event: Event) -> str:
    """Two short lines from the stored description (or place, schedule and price)."""
    text = " ".join(event.description.split())
    if not text:
        parts = [event.location, _schedule_phrase(event), event.price_label()]
        return " · ".join(p for p in parts if p)
    summary = ""
    for sentence in _SENTENCE_END.split(text):
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > SUMMARY_CHARS:
            break
        summary = candidate
    if summary:
        return summary
    cut = text[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def _schedule_phrase(event: Event) -> str | None:
    if event.date_status is DateStatus.UNCLEAR and event.date_start is None:
        return None
    return event.schedule_label()
