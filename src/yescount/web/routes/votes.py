"""A participant's votes and available evenings (``/sessions/{id}/votes|availability``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from yescount.bootstrap import Container
from yescount.services import policy_from_settings
from yescount.services import voting as voting_service
from yescount.web.deps import ERRORS, Caller, EventId, SessionId, caller, parse_session_id
from yescount.web.metrics import WebMetrics
from yescount.web.offload import Offload
from yescount.web.schemas import AvailabilityIn, AvailabilityOut, VoteIn, VoteOut

Who = Annotated[Caller, Depends(caller)]


def router(c: Container, off: Offload, metrics: WebMetrics) -> APIRouter:
    r = APIRouter()
    policy = policy_from_settings(c.settings)

    @r.put("/sessions/{session_id}/votes/{event_id}", response_model=VoteOut, responses=ERRORS)
    async def vote(session_id: SessionId, event_id: EventId, body: VoteIn, who: Who) -> VoteOut:
        """Say yes (or take it back) on one event."""
        sid = parse_session_id(session_id)
        await off(
            voting_service.cast_vote,
            sid,
            who.required(),
            event_id,
            body.interested,
            uow=c.uow(),
            clock=c.clock,
        )
        metrics.votes.inc()
        return VoteOut(event_id=event_id, interested=body.interested)

    @r.put("/sessions/{session_id}/availability", response_model=AvailabilityOut, responses=ERRORS)
    async def availability(
        session_id: SessionId, body: AvailabilityIn, who: Who
    ) -> AvailabilityOut:
        """Replace your available evenings (days of the window, not blacked out)."""
        sid = parse_session_id(session_id)
        saved = await off(
            voting_service.save_availability,
            sid,
            who.required(),
            body.available,
            uow=c.uow(),
            clock=c.clock,
            policy=policy,
        )
        metrics.availability_saves.inc()
        return AvailabilityOut(available=list(saved))

    return r
