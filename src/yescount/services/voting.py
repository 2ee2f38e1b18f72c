"""Participant writes: yes/skip votes on events and available evenings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from yescount.domain.availability import validate_dates
from yescount.domain.sessions import DEFAULT_POLICY, PlanPolicy
from yescount.errors import ConflictError, NotFoundError
from yescount.observability import log_operation
from yescount.ports import Clock, UnitOfWork
from yescount.services.access import load_session, require_participant

__all__ = ["cast_vote", "my_availability", "my_votes", "save_availability"]


def cast_vote(
    session_id: UUID,
    participant_token: str,
    event_id: int,
    interested: bool,
    *,
    uow: UnitOfWork,
    clock: Clock,
) -> None:
    """Set this participant's yes/skip on an event (upsert: toggling never fails)."""
    with log_operation("cast_vote", session_id=str(session_id), event_id=event_id) as log, uow:
        now = clock()
        plan = load_session(uow, session_id)
        person = require_participant(uow, session_id, participant_token)
        log["participant_id"] = person.id
        plan.ensure_open(now)
        if uow.events.get(event_id) is None:
            raise _event_not_found()
        try:
            with uow.savepoint():
                uow.votes.upsert(
                    session_id=session_id,
                    participant_id=person.id,
                    event_id=event_id,
                    interested=interested,
                    now=now,
                )
        except ConflictError as exc:  # the event was deleted in between
            raise _event_not_found() from exc
        uow.commit()


def _event_not_found() -> NotFoundError:
    return NotFoundError("That event is no longer listed.", code="event_not_found")


def my_votes(session_id: UUID, participant_token: str, *, uow: UnitOfWork) -> frozenset[int]:
    """Ids of the events this participant said yes to."""
    with log_operation("my_votes", session_id=str(session_id)) as log, uow:
        load_session(uow, session_id)
        person = require_participant(uow, session_id, participant_token)
        log["participant_id"] = person.id
        return uow.votes.yes_event_ids(session_id, person.id)


def save_availability(
    session_id: UUID,
    participant_token: str,
    dates: Iterable[date],
    *,
    uow: UnitOfWork,
    clock: Clock,
    policy: PlanPolicy = DEFAULT_POLICY,
) -> tuple[date, ...]:
    """Replace this participant's available evenings (one slot per day) atomically."""
    with log_operation("save_availability", session_id=str(session_id)) as log, uow:
        now = clock()
        plan = load_session(uow, session_id)
        person = require_participant(uow, session_id, participant_token)
        log["participant_id"] = person.id
        plan.ensure_open(now)
        days = validate_dates(
            dates, start=plan.date_start, end=plan.date_end, blackout=plan.blackout_dates
        )
        uow.availability.replace(
            session_id=session_id,
            participant_id=person.id,
            days=days,
            slot_start=policy.slot_start,
            slot_end=policy.slot_end,
            now=now,
        )
        uow.commit()
        log["days"] = len(days)
    return days


def my_availability(
    session_id: UUID, participant_token: str, *, uow: UnitOfWork
) -> tuple[date, ...]:
    """The evenings this participant marked Available, in order."""
    with log_operation("my_availability", session_id=str(session_id)) as log, uow:
        load_session(uow, session_id)
        person = require_participant(uow, session_id, participant_token)
        log["participant_id"] = person.id
        return uow.availability.days_for(session_id, person.id)
