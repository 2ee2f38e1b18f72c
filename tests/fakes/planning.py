"""In-memory plan, participant, vote and availability repositories."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from uuid import UUID

from yescount.domain.events import Event
from yescount.domain.ingestion import RunSummary
from yescount.domain.sessions import (
    NAME_TAKEN_MESSAGE,
    Participant,
    PlanSession,
    SessionRules,
    SessionStatus,
)
from yescount.errors import ConflictError


@dataclass
class Tables:
    """Every fake table; deep-copied per unit of work."""

    sessions: dict[UUID, PlanSession] = field(default_factory=dict)
    participants: dict[int, Participant] = field(default_factory=dict)
    # (session, participant, event) -> interested
    votes: dict[tuple[UUID, int, int], bool] = field(default_factory=dict)
    # (session, participant) -> days
    availability: dict[tuple[UUID, int], tuple[date, ...]] = field(default_factory=dict)
    events: dict[int, Event] = field(default_factory=dict)
    duplicate_of: dict[int, int] = field(default_factory=dict)
    runs: dict[int, RunSummary] = field(default_factory=dict)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


class FakeSessionRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def add(self, plan: PlanSession) -> None:
        self.t.sessions[plan.id] = plan

    def get(self, session_id: UUID) -> PlanSession | None:
        return self.t.sessions.get(session_id)

    def get_with_locked_title(self, session_id: UUID) -> tuple[PlanSession, str | None] | None:
        plan = self.get(session_id)
        if plan is None:
            return None
        event = self.t.events.get(plan.locked_event_id or -1)
        return plan, event.title if event else None

    def _update(self, session_id: UUID, allowed: set[SessionStatus], **changes: object) -> bool:
        plan = self.t.sessions.get(session_id)
        if plan is None or plan.status not in allowed:
            return False
        self.t.sessions[session_id] = replace(plan, **changes)  # type: ignore[arg-type]
        return True

    def reserve_seat(self, session_id: UUID, *, now: datetime) -> bool:
        plan = self.t.sessions.get(session_id)
        if plan is None or plan.participant_count >= plan.max_participants:
            return False
        return self._update(
            session_id,
            {SessionStatus.OPEN},
            participant_count=plan.participant_count + 1,
            updated_at=now,
        )

    def lock(
        self, session_id: UUID, *, now: datetime, event_id: int | None, day: date | None
    ) -> bool:
        return self._update(
            session_id,
            {SessionStatus.OPEN},
            status=SessionStatus.LOCKED,
            locked_event_id=event_id,
            locked_date=day,
            locked_at=now,
            updated_at=now,
        )

    def archive(self, session_id: UUID, *, now: datetime) -> bool:
        return self._update(
            session_id,
            {SessionStatus.OPEN, SessionStatus.LOCKED},
            status=SessionStatus.ARCHIVED,
            archived_at=now,
            updated_at=now,
        )

    def update_rules(self, session_id: UUID, rules: SessionRules, *, now: datetime) -> bool:
        return self._update(
            session_id,
            {SessionStatus.OPEN},
            budget_cap=rules.budget_cap,
            vibe_tags=tuple(rules.vibe_tags),
            min_attendees=rules.min_attendees,
            blackout_dates=tuple(sorted(rules.blackout_dates)),
            over_budget=rules.over_budget,
            updated_at=now,
        )

    def archive_expired(self, *, now: datetime) -> int:
        expired = [
            p.id
            for p in self.t.sessions.values()
            if p.status != SessionStatus.ARCHIVED and p.expires_at <= now
        ]
        return sum(self.archive(sid, now=now) for sid in expired)


class FakeParticipantRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def add(
        self,
        *,
        session_id: UUID,
        display_name: str,
        name_key: str,
        token_hash: str,
        is_organizer: bool,
        now: datetime,
    ) -> Participant:
        if self.by_name_key(session_id, name_key) is not None:
            raise ConflictError(NAME_TAKEN_MESSAGE, code="name_taken")
        person = Participant(
            id=self.t.new_id(),
            session_id=session_id,
            display_name=display_name,
            name_key=name_key,
            token_hash=token_hash,
            is_organizer=is_organizer,
            joined_at=now,
        )
        self.t.participants[person.id] = person
        return person

    def _first(self, session_id: UUID, **match: str) -> Participant | None:
        for person in self.list_for_session(session_id):
            if all(getattr(person, k) == v for k, v in match.items()):
                return person
        return None

    def by_token_hash(self, session_id: UUID, token_hash: str) -> Participant | None:
        return self._first(session_id, token_hash=token_hash)

    def by_name_key(self, session_id: UUID, key: str) -> Participant | None:
        return self._first(session_id, name_key=key)

    def list_for_session(self, session_id: UUID) -> list[Participant]:
        return sorted(
            (p for p in self.t.participants.values() if p.session_id == session_id),
            key=lambda p: p.id,
        )


class FakeVoteRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def upsert(
        self,
        *,
        session_id: UUID,
        participant_id: int,
        event_id: int,
        interested: bool,
        now: datetime,
    ) -> None:
        if event_id not in self.t.events:  # the foreign key the real table has
            raise ConflictError("The database refused a conflicting row.", code="conflict")
        self.t.votes[(session_id, participant_id, event_id)] = interested

    def _yes(self, session_id: UUID) -> list[tuple[int, int]]:
        return sorted((p, e) for (s, p, e), yes in self.t.votes.items() if s == session_id and yes)

    def yes_event_ids(self, session_id: UUID, participant_id: int) -> frozenset[int]:
        return frozenset(e for p, e in self._yes(session_id) if p == participant_id)

    def yes_votes(self, session_id: UUID) -> list[tuple[int, int]]:
        return self._yes(session_id)

    def tally(self, session_id: UUID) -> dict[int, int]:
        counts: dict[int, int] = {}
        for _, event_id in self._yes(session_id):
            counts[event_id] = counts.get(event_id, 0) + 1
        return counts

    def top_events(self, session_id: UUID, *, limit: int) -> list[tuple[int, str, int]]:
        ranked = sorted(self.tally(session_id).items(), key=lambda item: (-item[1], item[0]))
        return [(e, self.t.events[e].title, n) for e, n in ranked[:limit]]


class FakeAvailabilityRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def replace(
        self,
        *,
        session_id: UUID,
        participant_id: int,
        days: Iterable[date],
        slot_start: time,
        slot_end: time,
        now: datetime,
    ) -> None:
        self.t.availability[(session_id, participant_id)] = tuple(sorted(set(days)))

    def days_for(self, session_id: UUID, participant_id: int) -> tuple[date, ...]:
        return self.t.availability.get((session_id, participant_id), ())

    def for_session(self, session_id: UUID) -> list[tuple[int, date]]:
        return sorted(
            (p, d) for (s, p), days in self.t.availability.items() if s == session_id for d in days
        )

    def delete_days(self, session_id: UUID, days: Iterable[date]) -> int:
        gone = set(days)
        removed = 0
        for key, kept in list(self.t.availability.items()):
            if key[0] == session_id:
                left = tuple(d for d in kept if d not in gone)
                removed += len(kept) - len(left)
                self.t.availability[key] = left
        return removed
