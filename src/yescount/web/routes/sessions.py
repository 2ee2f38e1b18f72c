"""Plans: create, public preview, join, edit rules, lock (``/sessions``)."""

# No ``from __future__ import annotations``: FastAPI reads these routes' annotations at
# runtime and they name the closure's ``budget`` dependency.

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from yescount.bootstrap import Container
from yescount.domain.sessions import OverBudget, SessionRules
from yescount.services import policy_from_settings
from yescount.services import sessions as sessions_service
from yescount.web.deps import ERRORS, Caller, ClientBudget, SessionId, caller, parse_session_id
from yescount.web.metrics import WebMetrics
from yescount.web.offload import Offload
from yescount.web.schemas import (
    CreateSessionIn,
    CreateSessionOut,
    JoinIn,
    JoinOut,
    LockIn,
    PreviewOut,
    RulesIn,
)
from yescount.web.shapes import created_out, joined_out, preview_out

Budget = Callable[[Request], ClientBudget]
Who = Annotated[Caller, Depends(caller)]


def router(c: Container, off: Offload, metrics: WebMetrics, budget: Budget) -> APIRouter:
    r = APIRouter()
    _plan_routes(r, c, off, metrics, budget)
    _member_routes(r, c, off, metrics, budget)
    _organizer_routes(r, c, off)
    return r


def _plan_routes(
    r: APIRouter, c: Container, off: Offload, metrics: WebMetrics, budget: Budget
) -> None:
    policy = policy_from_settings(c.settings)

    @r.post("/sessions", status_code=201, response_model=CreateSessionOut, responses=ERRORS)
    async def create_session(
        body: CreateSessionIn, limit: Annotated[ClientBudget, Depends(budget)]
    ) -> CreateSessionOut:
        """Start a plan; the organizer is participant #1 (rate limited per client)."""
        limit.check("create")
        cmd = sessions_service.NewSession(
            name=body.name,
            organizer_name=body.organizer_name,
            date_start=body.date_start,
            date_end=body.date_end,
            budget_cap=body.budget_cap,
            vibe_tags=tuple(body.vibe_tags),
            min_attendees=body.min_attendees,
            blackout_dates=tuple(body.blackout_dates),
            over_budget=OverBudget(body.over_budget),
        )
        made = await off(
            sessions_service.create_session, cmd, uow=c.uow(), clock=c.clock, policy=policy
        )
        metrics.sessions_created.inc()
        return created_out(made, c.settings.base_url)

    @r.get("/sessions/{session_id}", response_model=PreviewOut, responses=ERRORS)
    async def preview(
        session_id: SessionId, limit: Annotated[ClientBudget, Depends(budget)]
    ) -> PreviewOut:
        """Public, read-only preview of a plan (rate limited per client)."""
        limit.check("preview")
        sid = parse_session_id(session_id)
        found = await off(sessions_service.get_preview, sid, uow=c.uow(write=False), clock=c.clock)
        return preview_out(found)


def _member_routes(
    r: APIRouter, c: Container, off: Offload, metrics: WebMetrics, budget: Budget
) -> None:
    policy = policy_from_settings(c.settings)

    @r.post(
        "/sessions/{session_id}/participants",
        status_code=201,
        response_model=JoinOut,
        responses=ERRORS,
    )
    async def join(
        session_id: SessionId,
        body: JoinIn,
        response: Response,
        limit: Annotated[ClientBudget, Depends(budget)],
        who: Who,
    ) -> JoinOut:
        """Join with a first name; with your own token again it is idempotent (200).

        Rate limited per client."""
        limit.check("join")
        sid = parse_session_id(session_id)
        joined = await off(
            sessions_service.join_session,
            sid,
            body.name,
            token=who.token,
            uow=c.uow(),
            clock=c.clock,
        )
        if joined.rejoined:
            response.status_code = 200
        else:
            metrics.joins.inc()
        return joined_out(sid, joined, c.settings.base_url)

    @r.post("/sessions/{session_id}/lock", response_model=PreviewOut, responses=ERRORS)
    async def lock(session_id: SessionId, who: Who, body: LockIn | None = None) -> PreviewOut:
        """Organizer locks the plan on a pick (default: the current #1)."""
        sid = parse_session_id(session_id)
        locked = await off(
            sessions_service.lock_session,
            sid,
            who.required(),
            event_id=body.event_id if body else None,
            on_date=body.date if body else None,
            uow=c.uow(),
            clock=c.clock,
            policy=policy,
        )
        return preview_out(locked)


def _organizer_routes(r: APIRouter, c: Container, off: Offload) -> None:
    policy = policy_from_settings(c.settings)

    @r.put("/sessions/{session_id}/rules", response_model=PreviewOut, responses=ERRORS)
    async def edit_rules(session_id: SessionId, body: RulesIn, who: Who) -> PreviewOut:
        """Organizer replaces the plan's rules (budget, vibes, minimum, blackouts, over budget).

        Only while the plan is open; availability on a new blackout day is dropped."""
        sid = parse_session_id(session_id)
        rules = SessionRules(
            budget_cap=body.budget_cap,
            vibe_tags=tuple(body.vibe_tags),
            min_attendees=body.min_attendees,
            blackout_dates=tuple(body.blackout_dates),
            over_budget=OverBudget(body.over_budget),
        )
        await off(
            sessions_service.update_rules, sid, who.required(), rules, uow=c.uow(),
            clock=c.clock, policy=policy,
        )  # fmt: skip
        found = await off(sessions_service.get_preview, sid, uow=c.uow(write=False), clock=c.clock)
        return preview_out(found)
