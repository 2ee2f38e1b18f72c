"""Plan use cases: create, preview, join, identify, lock, archive, edit rules, clean up."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from yescount.domain import newyork
from yescount.domain.names import normalize_name
from yescount.domain.sessions import (
    DEFAULT_POLICY,
    NAME_TAKEN_MESSAGE,
    NewSession,
    OverBudget,
    PlanPolicy,
    PlanSession,
    SessionRules,
    SessionStatus,
    hash_token,
    new_plan_session,
    new_token,
    validate_new_session,
    validate_rules,
)
from yescount.errors import (
    ConflictError,
    ForbiddenError,
    GoneError,
    NotFoundError,
    ValidationError,
)
from yescount.observability import log_operation
from yescount.ports import Clock, UnitOfWork
from yescount.services.access import (
    SESSION_NOT_FOUND_MESSAGE,
    find_participant,
    load_session,
    require_organizer,
    require_participant,
)
from yescount.services.lookalike import person_key
from yescount.services.results import scored_pairs

PREVIEW_TOP_EVENTS = 3

__all__ = [
    "CreatedSession",
    "JoinResult",
    "LockedPick",
    "NewSession",
    "SessionPreview",
    "SessionRules",
    "TopEvent",
    "Viewer",
    "archive_expired",
    "archive_session",
    "check_organizer",
    "create_session",
    "get_preview",
    "identify",
    "join_session",
    "lock_session",
    "update_rules",
]


@dataclass(frozen=True, slots=True)
class CreatedSession:
    session_id: UUID
    organizer_token: str
    participant_id: int
    participant_token: str


@dataclass(frozen=True, slots=True)
class TopEvent:
    event_id: int
    title: str
    votes: int


@dataclass(frozen=True, slots=True)
class LockedPick:
    event_id: int | None
    title: str | None
    day: date | None


@dataclass(frozen=True, slots=True)
class SessionPreview:
    """What anyone with the share link may see (read-only)."""

    session_id: UUID
    name: str
    organizer_name: str
    date_start: date
    date_end: date
    vibe_tags: tuple[str, ...]
    budget_cap: Decimal | None
    over_budget: OverBudget
    min_attendees: int | None
    blackout_dates: tuple[date, ...]
    participant_names: tuple[str, ...]
    participant_count: int
    max_participants: int
    top_events: list[TopEvent]
    status: str
    created_at: datetime
    expires_at: datetime
    is_expired: bool
    read_only: bool
    locked_pick: LockedPick | None

    @property
    def is_full(self) -> bool:
        return self.participant_count >= self.max_participants


@dataclass(frozen=True, slots=True)
class JoinResult:
    participant_id: int
    participant_token: str
    display_name: str
    rejoined: bool


@dataclass(frozen=True, slots=True)
class Viewer:
    participant_id: int
    display_name: str
    is_organizer: bool


def create_session(
    cmd: NewSession, *, uow: UnitOfWork, clock: Clock, policy: PlanPolicy = DEFAULT_POLICY
) -> CreatedSession:
    """Validate and store a new plan; the organizer becomes participant #1."""
    with log_operation("create_session") as log:
        now = clock()
        valid = validate_new_session(cmd, policy, today=newyork.today(now))
        organizer_token, participant_token = new_token(), new_token()
        plan = new_plan_session(
            valid,
            organizer_token_hash=hash_token(organizer_token),
            now=now,
            policy=policy,
            session_id=uuid4(),
        )
        log["session_id"] = str(plan.id)
        with uow:
            uow.sessions.add(replace(plan, participant_count=1))
            organizer = uow.participants.add(
                session_id=plan.id,
                display_name=valid.organizer_name,
                name_key=person_key(valid.organizer_name),
                token_hash=hash_token(participant_token),
                is_organizer=True,
                now=now,
            )
            uow.commit()
        log["participant_id"] = organizer.id
    return CreatedSession(plan.id, organizer_token, organizer.id, participant_token)


def _preview(uow: UnitOfWork, session_id: UUID, now: datetime) -> SessionPreview:
    # Three queries whatever the plan's size: plan (+ locked title), people, top events.
    found = uow.sessions.get_with_locked_title(session_id)
    if found is None:
        raise NotFoundError(SESSION_NOT_FOUND_MESSAGE, code="session_not_found")
    plan, locked_title = found
    people = uow.participants.list_for_session(session_id)
    top = uow.votes.top_events(session_id, limit=PREVIEW_TOP_EVENTS)
    organizer = next((p.display_name for p in people if p.is_organizer), "")
    pick = None
    if plan.status is not SessionStatus.OPEN and plan.locked_at is not None:
        pick = LockedPick(plan.locked_event_id, locked_title, plan.locked_date)
    return SessionPreview(
        session_id=plan.id,
        name=plan.name,
        organizer_name=organizer,
        date_start=plan.date_start,
        date_end=plan.date_end,
        vibe_tags=plan.vibe_tags,
        budget_cap=plan.budget_cap,
        over_budget=plan.over_budget,
        min_attendees=plan.min_attendees,
        blackout_dates=plan.blackout_dates,
        participant_names=tuple(p.display_name for p in people),
        participant_count=len(people),
        max_participants=plan.max_participants,
        top_events=[TopEvent(i, t, n) for i, t, n in top],
        status=plan.status.value,
        created_at=plan.created_at,
        expires_at=plan.expires_at,
        is_expired=plan.is_expired(now),
        read_only=plan.is_read_only(now),
        locked_pick=pick,
    )


def get_preview(session_id: UUID, *, uow: UnitOfWork, clock: Clock) -> SessionPreview:
    """The public welcome-page view of a plan (viewable even when expired or archived)."""
    with log_operation("get_preview", session_id=str(session_id)), uow:
        return _preview(uow, session_id, clock())


def join_session(
    session_id: UUID, name: str, *, token: str | None = None, uow: UnitOfWork, clock: Clock
) -> JoinResult:
    """Join with a first name, or get back in with one's own personal token."""
    with log_operation("join_session", session_id=str(session_id)) as log:
        display = normalize_name(name)
        now = clock()
        with uow:
            plan = load_session(uow, session_id)
            own = find_participant(uow, session_id, token)
            if own is not None and token is not None:
                log["participant_id"] = own.id
                log["rejoined"] = True
                return JoinResult(own.id, token, own.display_name, rejoined=True)
            plan.ensure_open(now)
            key = person_key(display)
            if uow.participants.by_name_key(session_id, key) is not None:
                raise ConflictError(NAME_TAKEN_MESSAGE, code="name_taken")
            if not uow.sessions.reserve_seat(session_id, now=now):
                _refuse_seat(uow, session_id, now)
            fresh_token = new_token()
            person = uow.participants.add(
                session_id=session_id,
                display_name=display,
                name_key=key,
                token_hash=hash_token(fresh_token),
                is_organizer=False,
                now=now,
            )
            uow.commit()
        log["participant_id"] = person.id
    return JoinResult(person.id, fresh_token, person.display_name, rejoined=False)


def _refuse_seat(uow: UnitOfWork, session_id: UUID, now: datetime) -> None:
    # No seat was taken: either the plan changed status meanwhile or it is full.
    load_session(uow, session_id).ensure_open(now)
    raise ForbiddenError(
        "This plan is full — ask the organizer, or start your own plan.", code="session_full"
    )


def identify(session_id: UUID, participant_token: str, *, uow: UnitOfWork) -> Viewer:
    """Who is behind a personal token (ForbiddenError invalid_token otherwise)."""
    with log_operation("identify", session_id=str(session_id)) as log, uow:
        plan = load_session(uow, session_id)
        person = require_participant(uow, plan.id, participant_token)
        log["participant_id"] = person.id
    return Viewer(person.id, person.display_name, person.is_organizer)


def check_organizer(session_id: UUID, organizer_token: str, *, uow: UnitOfWork) -> None:
    """ForbiddenError(not_organizer) unless this is the plan's organizer token."""
    with log_operation("check_organizer", session_id=str(session_id)), uow:
        require_organizer(load_session(uow, session_id), organizer_token)


def _chosen_pick(
    uow: UnitOfWork,
    plan: PlanSession,
    event_id: int | None,
    on_date: date | None,
    policy: PlanPolicy,
) -> tuple[int | None, date | None]:
    if event_id is None:
        if on_date is not None:
            raise ValidationError("Choose the event to go with that date.", code="invalid_input")
        ranked = scored_pairs(uow, plan, top_n=1)
        return (ranked[0].event.id, ranked[0].day) if ranked else (None, None)
    if uow.events.get(event_id) is None:
        raise NotFoundError("That event no longer exists.", code="event_not_found")
    if on_date is None:
        best = [p for p in scored_pairs(uow, plan, top_n=None) if p.event.id == event_id]
        return event_id, best[0].day if best else None
    if not plan.in_window(on_date):
        raise ValidationError("That day is outside the plan's dates.", code="date_outside_window")
    if plan.is_blacked_out(on_date):
        raise ValidationError("That day is blacked out.", code="date_blacked_out")
    return event_id, on_date


def lock_session(
    session_id: UUID,
    organizer_token: str,
    *,
    event_id: int | None = None,
    on_date: date | None = None,
    uow: UnitOfWork,
    clock: Clock,
    policy: PlanPolicy = DEFAULT_POLICY,
) -> SessionPreview:
    """Organizer locks the plan (``open → locked``), pinning a pick (default: the #1)."""
    with log_operation("lock_session", session_id=str(session_id)) as log, uow:
        now = clock()
        plan = load_session(uow, session_id)
        require_organizer(plan, organizer_token)
        plan.ensure_open(now)
        pick_event, pick_day = _chosen_pick(uow, plan, event_id, on_date, policy)
        if not uow.sessions.lock(session_id, now=now, event_id=pick_event, day=pick_day):
            load_session(uow, session_id).ensure_open(now)
            raise ConflictError("This plan is already locked.", code="session_locked")
        log["event_id"] = pick_event
        preview = _preview(uow, session_id, now)
        uow.commit()
    return preview


def archive_session(
    session_id: UUID, organizer_token: str, *, uow: UnitOfWork, clock: Clock
) -> None:
    """Organizer archives the plan (``open|locked → archived``); it stays viewable."""
    with log_operation("archive_session", session_id=str(session_id)), uow:
        now = clock()
        plan = load_session(uow, session_id)
        require_organizer(plan, organizer_token)
        # Archiving an expired plan is allowed: it only closes what is already read-only.
        if plan.status is SessionStatus.ARCHIVED or not uow.sessions.archive(session_id, now=now):
            raise GoneError("This plan is already archived.", code="session_archived")
        uow.commit()


def update_rules(
    session_id: UUID,
    organizer_token: str,
    rules: SessionRules,
    *,
    uow: UnitOfWork,
    clock: Clock,
    policy: PlanPolicy = DEFAULT_POLICY,
) -> SessionRules:
    """Organizer edits budget, vibe tags, minimum attendees and blackout days of an open plan."""
    with log_operation("update_rules", session_id=str(session_id)), uow:
        now = clock()
        plan = load_session(uow, session_id)
        require_organizer(plan, organizer_token)
        plan.ensure_open(now)
        valid = validate_rules(rules, start=plan.date_start, end=plan.date_end, policy=policy)
        if not uow.sessions.update_rules(session_id, valid, now=now):
            load_session(uow, session_id).ensure_open(now)
        # Availability never sits on a blackout day, so overlap stays honest.
        uow.availability.delete_days(session_id, valid.blackout_dates)
        uow.commit()
    return valid


def archive_expired(*, uow: UnitOfWork, clock: Clock) -> int:
    """Archive every plan past its expiry (``yescount cleanup``); returns how many."""
    with log_operation("archive_expired") as log, uow:
        count = uow.sessions.archive_expired(now=clock())
        uow.commit()
        log["archived"] = count
    return count
