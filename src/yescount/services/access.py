"""Shared checks of the planning use cases: find the plan, who is calling, may they write."""

from __future__ import annotations

from uuid import UUID

from yescount.domain.sessions import Participant, PlanSession, hash_token, token_matches
from yescount.errors import ForbiddenError, NotFoundError
from yescount.ports import UnitOfWork

SESSION_NOT_FOUND_MESSAGE = "We couldn't find that plan. Check the link, or start your own plan."


def load_session(uow: UnitOfWork, session_id: UUID) -> PlanSession:
    """The plan or NotFoundError(session_not_found)."""
    plan = uow.sessions.get(session_id)
    if plan is None:
        raise NotFoundError(SESSION_NOT_FOUND_MESSAGE, code="session_not_found")
    return plan


def find_participant(uow: UnitOfWork, session_id: UUID, token: str | None) -> Participant | None:
    """The participant whose personal token this is, if any (constant-time check)."""
    if not token:
        return None
    found = uow.participants.by_token_hash(session_id, hash_token(token))
    if found is None or not token_matches(token, found.token_hash):
        return None
    return found


def require_participant(uow: UnitOfWork, session_id: UUID, token: str | None) -> Participant:
    """The calling participant or ForbiddenError(invalid_token)."""
    found = find_participant(uow, session_id, token)
    if found is None:
        raise ForbiddenError(
            "This personal link is not valid for this plan. Join the plan first.",
            code="invalid_token",
        )
    return found


def require_organizer(plan: PlanSession, organizer_token: str | None) -> None:
    """ForbiddenError(not_organizer) unless the organizer's secret token is presented."""
    if not token_matches(organizer_token, plan.organizer_token_hash):
        raise ForbiddenError(
            "Only the organizer can do this (use your private organizer link).",
            code="not_organizer",
        )
