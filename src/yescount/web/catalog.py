"""Voting cards and event search, as the web layer needs them (API and UI share this)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from yescount.bootstrap import Container
from yescount.domain.events import WEBSITE_SOURCES, Event
from yescount.services import sessions as sessions_service
from yescount.web.schemas import CardsOut, SearchHitOut, SearchOut
from yescount.web.shapes import card_out

MAX_CARDS = 30


def _matches(event: Event, q: str, max_price: float | None, vibes: tuple[str, ...]) -> bool:
    low = event.price_min
    if max_price is not None and low is not None and low > Decimal(str(max_price)):
        return False
    if vibes and not set(vibes) & set(event.vibe_tags):
        return False
    if q:
        text = f"{event.title} {event.description} {event.location or ''}".lower()
        return all(word in text for word in q.lower().split())
    return True


def session_cards(
    c: Container,
    session_id: UUID,
    *,
    q: str = "",
    max_price: float | None = None,
    vibes: tuple[str, ...] = (),
) -> CardsOut:
    """Up to 30 cards for the plan's window, filtered."""
    preview = sessions_service.get_preview(session_id, uow=c.uow(write=False), clock=c.clock)
    with c.uow(write=False) as uow:
        found = uow.events.list_overlapping(
            preview.date_start, preview.date_end, sources=WEBSITE_SOURCES
        )
        fallback = not found
        if fallback:
            found = uow.events.list_upcoming(c.clock().date(), sources=WEBSITE_SOURCES)
    kept = [e for e in found if _matches(e, q, max_price, vibes)][:MAX_CARDS]
    return CardsOut(cards=[card_out(e) for e in kept], fallback=fallback, degraded=bool(q))


def search(
    c: Container,
    q: str,
    *,
    date_from: date | None,
    date_to: date | None,
    max_price: float | None,
    limit: int,
) -> SearchOut:
    """Events matching a plain-English query and filters."""
    today = c.clock().date()
    with c.uow(write=False) as uow:
        if date_from or date_to:
            found = uow.events.list_overlapping(date_from or today, date_to or date.max)
        else:
            found = uow.events.list_upcoming(today)
    kept = [e for e in found if _matches(e, q, max_price, ())][:limit]
    return SearchOut(
        query=q,
        degraded=True,
        results=[
            SearchHitOut(
                event_id=e.id,
                title=e.title,
                schedule_label=e.schedule_label(),
                place=e.location,
                price=e.price_label(),
                tags=list(e.vibe_tags),
                url=e.url,
                score=1.0,
            )
            for e in kept
        ],
    )
