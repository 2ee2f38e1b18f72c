"""What a plan has come to: progress, picks and a pick's calendar file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from yescount.bootstrap import Container
from yescount.services import policy_from_settings
from yescount.services import results as results_service
from yescount.web.deps import ERRORS, SessionId, parse_session_id
from yescount.web.offload import Offload
from yescount.web.schemas import ProgressOut, RecommendationOut
from yescount.web.shapes import progress_out, recommendation_out


def router(c: Container, off: Offload) -> APIRouter:
    r = APIRouter()
    policy = policy_from_settings(c.settings)
    base = c.settings.base_url

    @r.get("/sessions/{session_id}/progress", response_model=ProgressOut, responses=ERRORS)
    async def progress(session_id: SessionId) -> ProgressOut:
        """Joined, voted, gave availability, quorum."""
        sid = parse_session_id(session_id)
        return progress_out(await off(results_service.progress, sid, uow=c.uow(write=False)))

    @r.get(
        "/sessions/{session_id}/recommendations",
        response_model=list[RecommendationOut],
        responses=ERRORS,
    )
    async def recommendations(session_id: SessionId) -> list[RecommendationOut]:
        """The best (event, evening) picks, best first, with why and who would come."""
        sid = parse_session_id(session_id)
        picks = await off(results_service.recommend, sid, uow=c.uow(write=False), policy=policy)
        return [recommendation_out(sid, pick, base) for pick in picks]

    @r.get(
        "/sessions/{session_id}/recommendations/{rank}/invite.ics",
        response_class=Response,
        responses={**ERRORS, 200: {"content": {"text/calendar": {}}}},
    )
    async def calendar(session_id: SessionId, rank: Annotated[int, Path(ge=1, le=50)]) -> Response:
        """An RFC 5545 calendar file for the pick at ``rank``."""
        sid = parse_session_id(session_id)
        body = await off(
            results_service.invite_calendar,
            sid,
            rank,
            uow=c.uow(write=False),
            policy=policy,
            base_url=base,
            clock=c.clock,
        )
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="yescount-pick-{rank}.ics"'},
        )

    return r
