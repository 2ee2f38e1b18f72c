"""The event catalogue: a plan's voting cards and plain-English search."""

# No ``from __future__ import annotations``: FastAPI reads these routes' annotations at
# runtime and they name the closure's ``budget`` dependency.

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from yescount.bootstrap import Container
from yescount.web import catalog, shapes
from yescount.web.deps import ERRORS, ClientBudget, SessionId, parse_session_id
from yescount.web.offload import Offload
from yescount.web.schemas import CardOut, SearchOut


def router(c: Container, off: Offload, budget: Callable[[Request], ClientBudget]) -> APIRouter:
    r = APIRouter()

    @r.get("/sessions/{session_id}/cards", response_model=list[CardOut], responses=ERRORS)
    async def cards(
        session_id: SessionId,
        response: Response,
        limit: Annotated[ClientBudget, Depends(budget)],
        q: Annotated[str, Query(max_length=500)] = "",
        max_price: Annotated[float | None, Query(ge=0)] = None,
        vibe: Annotated[list[Annotated[str, Query(max_length=40)]] | None, Query()] = None,
    ) -> list[CardOut]:
        """The plan's voting cards (up to 30, best first), optionally searched and filtered.

        Headers say when upcoming events stand in for an empty window
        (``X-YesCount-Fallback: 1``) or search ran on keywords only
        (``X-YesCount-Degraded: 1``). A search (``q``) is rate limited per client.
        """
        if q.strip():
            limit.check("cards_search")
        sid = parse_session_id(session_id)
        found = shapes.cards_out(
            await off(
                catalog.session_cards, c, sid, q=q, max_price=max_price, vibes=tuple(vibe or ())
            )
        )
        response.headers["X-YesCount-Fallback"] = "1" if found.fallback else "0"
        response.headers["X-YesCount-Degraded"] = "1" if found.degraded else "0"
        return found.cards

    @r.get("/events/search", response_model=SearchOut, responses=ERRORS)
    async def search(
        rate: Annotated[ClientBudget, Depends(budget)],
        q: Annotated[str, Query(min_length=1, max_length=500)],
        date_from: date | None = None,
        date_to: date | None = None,
        max_price: Annotated[float | None, Query(ge=0)] = None,
        limit: Annotated[int, Query(ge=1, le=50)] = 20,
    ) -> SearchOut:
        """Plain-English event search with filters (rate limited per client)."""
        rate.check("search")
        found = await off(
            catalog.search,
            c,
            q,
            date_from=date_from,
            date_to=date_to,
            max_price=max_price,
            limit=limit,
        )
        return shapes.search_out(found)

    return r
