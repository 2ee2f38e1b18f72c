"""Use case: the voting cards of a plan (SPEC §5), curated or searched.

``voting_cards(start, end, uow_factory=..., clock=...)`` returns up to 30 cards for
the window; with ``query="cheap immersive art"`` it searches inside the window
instead through the ``search`` collaborator (the caller binds ``search_events`` to its
index and embedder; ``degraded`` when only full text answered). When the
window has no events at all, upcoming website events are shown instead and
``fallback_used`` is set, so the page is never empty while events exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from yescount.domain import newyork
from yescount.domain.curation import MAX_CARDS, CuratedCard, rank_cards
from yescount.domain.events import VIBE_TAGS, WEBSITE_SOURCES, Event
from yescount.domain.search import SearchFilters
from yescount.errors import ValidationError
from yescount.llm.copy import Copywriter, ExtractiveCopywriter
from yescount.observability import log_operation
from yescount.ports import Clock, UnitOfWorkFactory
from yescount.services.search import SearchResult


class CardSearch(Protocol):
    """``search_events`` with its index, embedder and clock already bound."""

    def __call__(self, query: str, filters: SearchFilters, *, limit: int) -> SearchResult: ...


@dataclass(frozen=True, slots=True)
class VotingCard:
    """One card: the event, a short title (≤ 60 chars), a two-line summary and why."""

    event: Event
    title: str
    summary: str
    why: tuple[str, ...]
    score: float


@dataclass(frozen=True, slots=True)
class CardsResult:
    cards: tuple[VotingCard, ...]
    degraded: bool = False
    fallback_used: bool = False
    query: str | None = None


def voting_cards(
    window_start: date,
    window_end: date,
    *,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    query: str | None = None,
    max_price: Decimal | None = None,
    vibe_tags: tuple[str, ...] = (),
    search: CardSearch | None = None,
    copywriter: Copywriter | None = None,
    limit: int = MAX_CARDS,
    card_sources: tuple[str, ...] = WEBSITE_SOURCES,
) -> CardsResult:
    """Up to ``limit`` (≤ 30) cards for the window; searched when ``query`` is given.

    ``vibe_tags`` filter: only events with at least one of them are shown. A ``query``
    needs ``search`` (a programming error otherwise).
    """
    if window_end < window_start:
        raise ValidationError("The end date is before the start date.", code="invalid_window")
    searched = query is not None and bool(query.strip())
    if searched and search is None:
        raise TypeError("voting_cards(query=...) needs a search collaborator")
    tags = tuple(t for t in vibe_tags if t in VIBE_TAGS)
    writer = copywriter or ExtractiveCopywriter()
    limit = max(1, min(limit, MAX_CARDS))
    with log_operation("voting_cards", searched=query is not None) as log:
        if query is not None and search is not None and searched:
            filters = SearchFilters(
                date_from=window_start,
                date_to=window_end,
                max_price=max_price,
                sources=card_sources,
            )
            found = search(query, filters, limit=limit)
            hits = [h for h in found.hits if _has_vibe(h.event, tags)]
            cards = [_card(h.event, h.score, h.why, writer) for h in hits]
            log.update(cards=len(cards), degraded=found.degraded)
            return CardsResult(tuple(cards), degraded=found.degraded, query=found.query)
        curated, fallback = _curate(
            uow_factory, clock, (window_start, window_end), max_price, tags, limit, card_sources
        )
        log.update(cards=len(curated), fallback=fallback)
    cards = [_card(c.event, c.score, c.reasons, writer) for c in curated]
    return CardsResult(tuple(cards), fallback_used=fallback)


def _curate(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    window: tuple[date, date],
    max_price: Decimal | None,
    tags: tuple[str, ...],
    limit: int,
    sources: tuple[str, ...],
) -> tuple[list[CuratedCard], bool]:
    def rank(events: list[Event], within: tuple[date, date] | None) -> list[CuratedCard]:
        return rank_cards(
            [e for e in events if _has_vibe(e, tags)],
            window=within,
            max_price=max_price,
            vibe_tags=tags,
            limit=limit,
            sources=sources,
        )

    with uow_factory(write=False) as uow:
        ranked = rank(uow.events.list_overlapping(*window, sources=sources), window)
        if ranked:
            return ranked, False
        upcoming = uow.events.list_upcoming(newyork.today(clock), sources=sources)
    return rank(upcoming, None), True


def _has_vibe(event: Event, tags: tuple[str, ...]) -> bool:
    """The vibe filter really filters: with tags chosen, an event needs one of them."""
    return not tags or any(tag in event.vibe_tags for tag in tags)


def _card(event: Event, score: float, why: tuple[str, ...], writer: Copywriter) -> VotingCard:
    copy = writer.card_copy(event)
    return VotingCard(event=event, title=copy.title, summary=copy.summary, why=why, score=score)
