"""What every API route shares: path types, error docs, the caller's token and rate limit.

The token and limiter dependencies only *read* the request; the route decides when to
check, so the order of answers stays: bad path or body (422), unknown plan (404), then a
missing token (401) or an exhausted budget (429) as each route does it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import Path, Request

from yescount.errors import ForbiddenError, NotFoundError
from yescount.web.ratelimit import RateLimiter
from yescount.web.schemas import MAX_ID, ErrorOut

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


@dataclass(frozen=True, slots=True)
class Caller:
    """The participant's or organizer's bearer token, as sent (``None`` when absent)."""

    token: str | None

    def required(self) -> str:
        if self.token is None:
            raise MissingTokenError(
                "Send your personal token as `Authorization: Bearer <token>`.",
                details={"www_authenticate": True},
            )
        return self.token


def caller(request: Request) -> Caller:
    """FastAPI dependency: who is calling (by token)."""
    return Caller(bearer_token(request))


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


@dataclass(frozen=True, slots=True)
class ClientBudget:
    """One client's rate-limit budgets: ``check("create")`` spends one or raises 429."""

    limiter: RateLimiter
    key: str

    def check(self, action: str) -> None:
        self.limiter.check(action, self.key)


def budget_dependency(limiter: RateLimiter) -> Callable[[Request], ClientBudget]:
    """FastAPI dependency bound to the app's limiter (keyed by ``client_key``)."""

    def budget(request: Request) -> ClientBudget:
        return ClientBudget(limiter, client_key(request))

    return budget
