"""Voting cards and event search as the web layer shows them (API and UI share this).

Thin glue over ``services.cards`` and ``services.search``: the smart-search
collaborators (embedder, vector index) are only handed over when there is a
query, so curated cards never wake the embedding model. The results become
response bodies in ``web.shapes``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from yescount.bootstrap import Container
from yescount.services import cards as cards_service
from yescount.services import search as search_service
from yescount.services import sessions as sessions_service
from yescount.services.cards import CardsResult
from yescount.services.search import SearchResult


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def window_cards(
    c: Container,
    start: date,
    end: date,
    *,
    q: str = "",
    max_price: float | None = None,
    vibes: tuple[str, ...] = (),
) -> CardsResult:
    """Up to 30 cards for a date window; searched (hybrid) when ``q`` is not blank."""
    searched = bool(q.strip())
    return cards_service.voting_cards(
        start,
        end,
        uow_factory=c.uow,
        clock=c.clock,
        query=q if searched else None,
        max_price=_decimal(max_price),
        vibe_tags=vibes,
        search=_card_search(c) if searched else None,
        copywriter=c.copywriter,
        card_sources=c.card_sources,
    )


def _card_search(c: Container) -> cards_service.CardSearch:
    """``search_events`` bound to the container's units of work, index, embedder and clock."""
    index, embedder = c.vector_index, c.embedder

    def run(query: str, filters: search_service.SearchFilters, *, limit: int) -> SearchResult:
        return search_service.search_events(
            query, filters, uow_factory=c.uow, index=index, embedder=embedder, clock=c.clock,
            limit=limit,
        )  # fmt: skip

    return run


def session_cards(
    c: Container,
    session_id: UUID,
    *,
    q: str = "",
    max_price: float | None = None,
    vibes: tuple[str, ...] = (),
) -> CardsResult:
    """The plan's voting cards (its window), optionally searched and filtered."""
    preview = sessions_service.get_preview(session_id, uow=c.uow(write=False), clock=c.clock)
    return window_cards(
        c, preview.date_start, preview.date_end, q=q, max_price=max_price, vibes=vibes
    )


def search(
    c: Container,
    q: str,
    *,
    date_from: date | None,
    date_to: date | None,
    max_price: float | None,
    limit: int,
) -> SearchResult:
    """Events matching a plain-English query and filters (hybrid, may degrade)."""
    filters = search_service.SearchFilters(
        date_from=date_from, date_to=date_to, max_price=_decimal(max_price)
    )
    return search_service.search_events(
        q,
        filters,
        uow_factory=c.uow,
        index=c.vector_index,
        embedder=c.embedder,
        clock=c.clock,
        limit=limit,
    )
