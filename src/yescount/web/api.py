"""The JSON API (FastAPI, mounted at ``/api/v1``): the journey for scripts, smoke and load tests.

Thin: parse input, call one service, shape the answer. Errors become JSON in
one place (``web.errors``); tokens travel in ``Authorization: Bearer``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import FastAPI, Path, Query, Request, Response

from yescount.bootstrap import Container
from yescount.domain import invite
from yescount.errors import ForbiddenError, NotFoundError
from yescount.services import policy_from_settings
from yescount.services import results as results_service
from yescount.services import sessions as sessions_service
from yescount.services import voting as voting_service
from yescount.web import catalog
from yescount.web.errors import install_error_handlers
from yescount.web.metrics import WebMetrics
from yescount.web.offload import Offload
from yescount.web.ratelimit import RateLimiter
from yescount.web.schemas import (
    MAX_ID,
    AvailabilityIn,
    AvailabilityOut,
    CardOut,
    CreateSessionIn,
    CreateSessionOut,
    ErrorOut,
    JoinIn,
    JoinOut,
    LockIn,
    PreviewOut,
    ProgressOut,
    RecommendationOut,
    SearchOut,
    VoteIn,
    VoteOut,
)
from yescount.web.shapes import preview_out, recommendation_out

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in {
        400: "Body not valid JSON (invalid_json) or a forbidden character in the path",
        401: "Write without `Authorization: Bearer <token>`",
        403: "Wrong or missing token, or the plan is full",
        404: "Unknown plan, event or pick",
        409: "Conflict: name taken or plan locked",
        410: "Plan expired or archived",
        422: "Invalid input",
        413: "Request body over the size cap (payload_too_large)",
        429: "Rate limited (see Retry-After)",
        503: "Database or search unavailable; retry (see Retry-After)",
    }.items()
}


# A plan id is a UUID (36 characters); anything much longer is refused before a lookup.
SessionId = Annotated[str, Path(max_length=64)]
# Ids are 64-bit database keys: anything larger names nothing (422, never an overflow).
EventId = Annotated[int, Path(ge=1, le=MAX_ID)]


class MissingTokenError(ForbiddenError):
    """A write without ``Authorization: Bearer`` (401 asks the client to authenticate)."""

    default_code = "token_required"
    http_status = 401


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_token(request: Request) -> str:
    token = bearer_token(request)
    if token is None:
        raise MissingTokenError(
            "Send your personal token as `Authorization: Bearer <token>`.",
            details={"www_authenticate": True},
        )
    return token


def parse_session_id(raw: str) -> UUID:
    """A malformed id is answered like an unknown one: the plan does not exist."""
    try:
        return UUID(raw)
    except ValueError:
        raise NotFoundError(
            "We couldn't find that plan. Check the link, or start your own plan.",
            code="session_not_found",
        ) from None


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def create_api(
    container: Container, *, metrics: WebMetrics, limiter: RateLimiter | None = None
) -> FastAPI:
    """Build the FastAPI app bound to one container (mount it at ``/api/v1``)."""
    api = FastAPI(
        title="YesCount API",
        version="1",
        description="Plan one NYC outing with friends: create, join, vote, availability, picks.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    install_error_handlers(api, metrics)
    # The container's limiter is the one the Streamlit pages use too.
    limiter = limiter or container.rate_limiter
    off = Offload()
    _session_routes(api, container, off, metrics, limiter)
    _participant_routes(api, container, off, metrics)
    _result_routes(api, container, off)
    _catalog_routes(api, container, off, limiter)
    return api


def _session_routes(
    api: FastAPI, c: Container, off: Offload, metrics: WebMetrics, limiter: RateLimiter
) -> None:
    policy = policy_from_settings(c.settings)
    base = c.settings.base_url

    @api.post("/sessions", status_code=201, response_model=CreateSessionOut, responses=ERRORS)
    async def create_session(body: CreateSessionIn, request: Request) -> CreateSessionOut:
        """Start a plan; the organizer is participant #1 (rate limited per client)."""
        limiter.check("create", client_key(request))
        cmd = sessions_service.NewSession(
            name=body.name,
            organizer_name=body.organizer_name,
            date_start=body.date_start,
            date_end=body.date_end,
            budget_cap=body.budget_cap,
            vibe_tags=tuple(body.vibe_tags),
            min_attendees=body.min_attendees,
            blackout_dates=tuple(body.blackout_dates),
        )
        made = await off(
            sessions_service.create_session, cmd, uow=c.uow(), clock=c.clock, policy=policy
        )
        metrics.sessions_created.inc()
        return CreateSessionOut(
            session_id=str(made.session_id),
            organizer_token=made.organizer_token,
            participant_id=made.participant_id,
            participant_token=made.participant_token,
            share_url=invite.share_link(base, made.session_id),
            personal_url=invite.personal_link(base, made.session_id, made.participant_token),
            organizer_url=invite.organizer_link(
                base, made.session_id, made.participant_token, made.organizer_token
            ),
        )

    @api.get("/sessions/{session_id}", response_model=PreviewOut, responses=ERRORS)
    async def preview(session_id: SessionId, request: Request) -> PreviewOut:
        """Public, read-only preview of a plan (rate limited per client)."""
        limiter.check("preview", client_key(request))
        sid = parse_session_id(session_id)
        found = await off(sessions_service.get_preview, sid, uow=c.uow(write=False), clock=c.clock)
        return preview_out(found)

    @api.post(
        "/sessions/{session_id}/participants",
        status_code=201,
        response_model=JoinOut,
        responses=ERRORS,
    )
    async def join(
        session_id: SessionId, body: JoinIn, request: Request, response: Response
    ) -> JoinOut:
        """Join with a first name; with your own token again it is idempotent (200).

        Rate limited per client."""
        limiter.check("join", client_key(request))
        sid = parse_session_id(session_id)
        joined = await off(
            sessions_service.join_session,
            sid,
            body.name,
            token=bearer_token(request),
            uow=c.uow(),
            clock=c.clock,
        )
        if joined.rejoined:
            response.status_code = 200
        else:
            metrics.joins.inc()
        return JoinOut(
            participant_id=joined.participant_id,
            participant_token=joined.participant_token,
            display_name=joined.display_name,
            rejoined=joined.rejoined,
            personal_url=invite.personal_link(base, sid, joined.participant_token),
        )

    @api.post("/sessions/{session_id}/lock", response_model=PreviewOut, responses=ERRORS)
    async def lock(
        session_id: SessionId, request: Request, body: LockIn | None = None
    ) -> PreviewOut:
        """Organizer locks the plan on a pick (default: the current #1)."""
        sid = parse_session_id(session_id)
        locked = await off(
            sessions_service.lock_session,
            sid,
            require_token(request),
            event_id=body.event_id if body else None,
            on_date=body.date if body else None,
            uow=c.uow(),
            clock=c.clock,
            policy=policy,
        )
        return preview_out(locked)


def _participant_routes(api: FastAPI, c: Container, off: Offload, metrics: WebMetrics) -> None:
    policy = policy_from_settings(c.settings)

    @api.put("/sessions/{session_id}/votes/{event_id}", response_model=VoteOut, responses=ERRORS)
    async def vote(
        session_id: SessionId, event_id: EventId, body: VoteIn, request: Request
    ) -> VoteOut:
        """Say yes (or take it back) on one event."""
        sid = parse_session_id(session_id)
        await off(
            voting_service.cast_vote,
            sid,
            require_token(request),
            event_id,
            body.interested,
            uow=c.uow(),
            clock=c.clock,
        )
        metrics.votes.inc()
        return VoteOut(event_id=event_id, interested=body.interested)

    @api.put(
        "/sessions/{session_id}/availability", response_model=AvailabilityOut, responses=ERRORS
    )
    async def availability(
        session_id: SessionId, body: AvailabilityIn, request: Request
    ) -> AvailabilityOut:
        """Replace your available evenings (days of the window, not blacked out)."""
        sid = parse_session_id(session_id)
        saved = await off(
            voting_service.save_availability,
            sid,
            require_token(request),
            body.available,
            uow=c.uow(),
            clock=c.clock,
            policy=policy,
        )
        metrics.availability_saves.inc()
        return AvailabilityOut(available=list(saved))


def _result_routes(api: FastAPI, c: Container, off: Offload) -> None:
    policy = policy_from_settings(c.settings)
    base = c.settings.base_url

    @api.get("/sessions/{session_id}/progress", response_model=ProgressOut, responses=ERRORS)
    async def progress(session_id: SessionId) -> ProgressOut:
        """Joined, voted, gave availability, quorum."""
        sid = parse_session_id(session_id)
        p = await off(results_service.progress, sid, uow=c.uow(write=False))
        return ProgressOut(
            joined=p.joined,
            voted=p.voted,
            gave_availability=p.gave_availability,
            quorum_size=p.quorum_size,
            quorum_reached=p.quorum_reached,
        )

    @api.get(
        "/sessions/{session_id}/recommendations",
        response_model=list[RecommendationOut],
        responses=ERRORS,
    )
    async def recommendations(session_id: SessionId) -> list[RecommendationOut]:
        """The best (event, evening) picks, best first, with why and who would come."""
        sid = parse_session_id(session_id)
        picks = await off(results_service.recommend, sid, uow=c.uow(write=False), policy=policy)
        return [recommendation_out(sid, pick, base) for pick in picks]

    @api.get(
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


def _catalog_routes(api: FastAPI, c: Container, off: Offload, limiter: RateLimiter) -> None:
    @api.get("/sessions/{session_id}/cards", response_model=list[CardOut], responses=ERRORS)
    async def cards(
        session_id: SessionId,
        request: Request,
        response: Response,
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
            limiter.check("cards_search", client_key(request))
        sid = parse_session_id(session_id)
        found = await off(
            catalog.session_cards, c, sid, q=q, max_price=max_price, vibes=tuple(vibe or ())
        )
        response.headers["X-YesCount-Fallback"] = "1" if found.fallback else "0"
        response.headers["X-YesCount-Degraded"] = "1" if found.degraded else "0"
        return found.cards

    @api.get("/events/search", response_model=SearchOut, responses=ERRORS)
    async def search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=500)],
        date_from: date | None = None,
        date_to: date | None = None,
        max_price: Annotated[float | None, Query(ge=0)] = None,
        limit: Annotated[int, Query(ge=1, le=50)] = 20,
    ) -> SearchOut:
        """Plain-English event search with filters (rate limited per client)."""
        limiter.check("search", client_key(request))
        return await off(
            catalog.search,
            c,
            q,
            date_from=date_from,
            date_to=date_to,
            max_price=max_price,
            limit=limit,
        )
