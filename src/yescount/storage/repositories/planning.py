"""Sessions, participants, votes and availability: the planning tables.

Concurrency lives here as single conditional statements so both databases
enforce it: a seat is taken with ``UPDATE … WHERE participant_count <
max_participants AND status = 'open'`` (rowcount 0 means no seat), status
changes are ``UPDATE … WHERE status = …``, and votes are dialect upserts
(``INSERT … ON CONFLICT DO UPDATE``) so concurrent toggles never raise.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, RowMapping, and_, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from yescount.domain.sessions import (
    NAME_TAKEN_MESSAGE,
    OverBudget,
    Participant,
    PlanSession,
    SessionRules,
    SessionStatus,
)
from yescount.errors import ConflictError
from yescount.storage.tables import availability_slots, events, participants, sessions, votes


def row_to_session(row: RowMapping) -> PlanSession:
    """Map a ``sessions`` row onto the domain model."""
    return PlanSession(
        id=row["id"],
        name=row["name"],
        organizer_token_hash=row["organizer_token_hash"],
        date_start=row["date_start"],
        date_end=row["date_end"],
        max_participants=int(row["max_participants"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        expires_at=row["expires_at"],
        budget_cap=row["budget_cap"],
        vibe_tags=tuple(row["vibe_tags"] or ()),
        min_attendees=row["min_attendees"],
        blackout_dates=tuple(date.fromisoformat(d) for d in row["blackout_dates"] or ()),
        over_budget=OverBudget(row["over_budget"]),
        participant_count=int(row["participant_count"]),
        status=SessionStatus(row["status"]),
        locked_event_id=row["locked_event_id"],
        locked_date=row["locked_date"],
        locked_at=row["locked_at"],
        archived_at=row["archived_at"],
    )


def _rules_values(rules: SessionRules) -> dict[str, Any]:
    return {
        "budget_cap": rules.budget_cap,
        "vibe_tags": list(rules.vibe_tags),
        "min_attendees": rules.min_attendees,
        "blackout_dates": [d.isoformat() for d in sorted(rules.blackout_dates)],
        "over_budget": OverBudget(rules.over_budget).value,
    }


class SessionRepository:
    """Plans: creation, reads and the conditional status/seat updates."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, plan: PlanSession) -> None:
        self.conn.execute(
            insert(sessions).values(
                id=plan.id,
                name=plan.name,
                organizer_token_hash=plan.organizer_token_hash,
                date_start=plan.date_start,
                date_end=plan.date_end,
                max_participants=plan.max_participants,
                participant_count=plan.participant_count,
                status=plan.status.value,
                created_at=plan.created_at,
                updated_at=plan.updated_at,
                expires_at=plan.expires_at,
                **_rules_values(plan.rules),
            )
        )

    def get(self, session_id: UUID) -> PlanSession | None:
        row = self.conn.execute(select(sessions).where(sessions.c.id == session_id)).mappings()
        found = row.first()
        return row_to_session(found) if found else None

    def get_with_locked_title(self, session_id: UUID) -> tuple[PlanSession, str | None] | None:
        """The plan and the title of its locked event (one query, for the preview)."""
        query = (
            select(sessions, events.c.title.label("locked_title"))
            .select_from(sessions.outerjoin(events, events.c.id == sessions.c.locked_event_id))
            .where(sessions.c.id == session_id)
        )
        row = self.conn.execute(query).mappings().first()
        return (row_to_session(row), row["locked_title"]) if row else None

    def reserve_seat(self, session_id: UUID, *, now: datetime) -> bool:
        """Atomically take one participant seat of an open plan; False when none is left."""
        result = self.conn.execute(
            update(sessions)
            .where(
                sessions.c.id == session_id,
                sessions.c.status == SessionStatus.OPEN.value,
                sessions.c.participant_count < sessions.c.max_participants,
            )
            .values(participant_count=sessions.c.participant_count + 1, updated_at=now)
        )
        return result.rowcount == 1

    def lock(
        self, session_id: UUID, *, now: datetime, event_id: int | None, day: date | None
    ) -> bool:
        """Conditional ``open → locked``; False when the plan was not open."""
        result = self.conn.execute(
            update(sessions)
            .where(sessions.c.id == session_id, sessions.c.status == SessionStatus.OPEN.value)
            .values(
                status=SessionStatus.LOCKED.value,
                locked_event_id=event_id,
                locked_date=day,
                locked_at=now,
                updated_at=now,
            )
        )
        return result.rowcount == 1

    def archive(self, session_id: UUID, *, now: datetime) -> bool:
        """Conditional ``open|locked → archived``."""
        result = self.conn.execute(
            update(sessions)
            .where(sessions.c.id == session_id, sessions.c.status != SessionStatus.ARCHIVED.value)
            .values(status=SessionStatus.ARCHIVED.value, archived_at=now, updated_at=now)
        )
        return result.rowcount == 1

    def update_rules(self, session_id: UUID, rules: SessionRules, *, now: datetime) -> bool:
        """Replace the optional rules of an open plan."""
        result = self.conn.execute(
            update(sessions)
            .where(sessions.c.id == session_id, sessions.c.status == SessionStatus.OPEN.value)
            .values(updated_at=now, **_rules_values(rules))
        )
        return result.rowcount == 1

    def archive_expired(self, *, now: datetime) -> int:
        """Archive every open or locked plan whose expiry has passed; returns the count."""
        result = self.conn.execute(
            update(sessions)
            .where(
                sessions.c.status != SessionStatus.ARCHIVED.value,
                sessions.c.expires_at <= now,
            )
            .values(status=SessionStatus.ARCHIVED.value, archived_at=now, updated_at=now)
        )
        return int(result.rowcount or 0)


def _row_to_participant(row: RowMapping) -> Participant:
    return Participant(
        id=int(row["id"]),
        session_id=row["session_id"],
        display_name=row["display_name"],
        name_key=row["name_key"],
        token_hash=row["token_hash"],
        is_organizer=bool(row["is_organizer"]),
        joined_at=row["joined_at"],
    )


class ParticipantRepository:
    """People in a plan; ``(session_id, name_key)`` is unique."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

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
        """Insert a participant; a taken name (unique constraint) → ConflictError name_taken."""
        values = {
            "session_id": session_id,
            "display_name": display_name,
            "name_key": name_key,
            "token_hash": token_hash,
            "is_organizer": is_organizer,
            "joined_at": now,
        }
        try:
            new_id = self.conn.execute(
                insert(participants).values(**values).returning(participants.c.id)
            ).scalar_one()
        except IntegrityError as exc:
            raise ConflictError(NAME_TAKEN_MESSAGE, code="name_taken") from exc
        return Participant(
            id=int(new_id),
            session_id=session_id,
            display_name=display_name,
            name_key=name_key,
            token_hash=token_hash,
            is_organizer=is_organizer,
            joined_at=now,
        )

    def _one(self, *conditions: Any) -> Participant | None:
        row = self.conn.execute(select(participants).where(*conditions)).mappings().first()
        return _row_to_participant(row) if row else None

    def by_token_hash(self, session_id: UUID, token_hash: str) -> Participant | None:
        return self._one(
            participants.c.session_id == session_id, participants.c.token_hash == token_hash
        )

    def by_name_key(self, session_id: UUID, key: str) -> Participant | None:
        return self._one(participants.c.session_id == session_id, participants.c.name_key == key)

    def list_for_session(self, session_id: UUID) -> list[Participant]:
        """Everyone in the plan, in join order."""
        rows = self.conn.execute(
            select(participants)
            .where(participants.c.session_id == session_id)
            .order_by(participants.c.id)
        ).mappings()
        return [_row_to_participant(r) for r in rows]


class VoteRepository:
    """One row per (session, participant, event), written by upsert."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def upsert(
        self,
        *,
        session_id: UUID,
        participant_id: int,
        event_id: int,
        interested: bool,
        now: datetime,
    ) -> None:
        """Insert or overwrite this participant's vote on the event."""
        dialect_insert = (
            postgresql.insert if self.conn.dialect.name == "postgresql" else sqlite.insert
        )
        statement = dialect_insert(votes).values(
            session_id=session_id,
            participant_id=participant_id,
            event_id=event_id,
            interested=interested,
            updated_at=now,
        )
        statement = statement.on_conflict_do_update(
            index_elements=[votes.c.session_id, votes.c.participant_id, votes.c.event_id],
            set_={
                "interested": statement.excluded.interested,
                "updated_at": statement.excluded.updated_at,
            },
        )
        self.conn.execute(statement)

    def yes_event_ids(self, session_id: UUID, participant_id: int) -> frozenset[int]:
        rows = self.conn.execute(
            select(votes.c.event_id).where(
                votes.c.session_id == session_id,
                votes.c.participant_id == participant_id,
                votes.c.interested.is_(True),
            )
        )
        return frozenset(int(r) for r in rows.scalars())

    def yes_votes(self, session_id: UUID) -> list[tuple[int, int]]:
        """(participant_id, event_id) of every yes vote in the plan."""
        rows = self.conn.execute(
            select(votes.c.participant_id, votes.c.event_id)
            .where(votes.c.session_id == session_id, votes.c.interested.is_(True))
            .order_by(votes.c.participant_id, votes.c.event_id)
        )
        return [(int(p), int(e)) for p, e in rows]

    def tally(self, session_id: UUID) -> dict[int, int]:
        """Yes votes per event id (events without a yes vote are absent)."""
        rows = self.conn.execute(
            select(votes.c.event_id, func.count())
            .where(votes.c.session_id == session_id, votes.c.interested.is_(True))
            .group_by(votes.c.event_id)
        )
        return {int(e): int(n) for e, n in rows}

    def top_events(self, session_id: UUID, *, limit: int) -> list[tuple[int, str, int]]:
        """(event_id, title, yes votes) of the most voted events, most first (one query)."""
        count = func.count(votes.c.id)
        rows = self.conn.execute(
            select(events.c.id, events.c.title, count)
            .select_from(votes.join(events, events.c.id == votes.c.event_id))
            .where(votes.c.session_id == session_id, votes.c.interested.is_(True))
            .group_by(events.c.id, events.c.title)
            .order_by(count.desc(), events.c.id)
            .limit(limit)
        )
        return [(int(i), str(t), int(n)) for i, t, n in rows]


class AvailabilityRepository:
    """Available evenings; a participant's set is replaced as a whole."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

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
        """Delete the participant's slots and insert ``days`` (same transaction)."""
        self.conn.execute(
            delete(availability_slots).where(
                availability_slots.c.session_id == session_id,
                availability_slots.c.participant_id == participant_id,
            )
        )
        rows = [
            {
                "session_id": session_id,
                "participant_id": participant_id,
                "slot_date": day,
                "slot_start": slot_start,
                "slot_end": slot_end,
                "created_at": now,
            }
            for day in sorted(set(days))
        ]
        if rows:
            self.conn.execute(insert(availability_slots), rows)

    def days_for(self, session_id: UUID, participant_id: int) -> tuple[date, ...]:
        rows = self.conn.execute(
            select(availability_slots.c.slot_date)
            .where(
                availability_slots.c.session_id == session_id,
                availability_slots.c.participant_id == participant_id,
            )
            .distinct()
            .order_by(availability_slots.c.slot_date)
        )
        return tuple(rows.scalars())

    def for_session(self, session_id: UUID) -> list[tuple[int, date]]:
        """(participant_id, day) for every available evening in the plan."""
        rows = self.conn.execute(
            select(availability_slots.c.participant_id, availability_slots.c.slot_date)
            .where(availability_slots.c.session_id == session_id)
            .distinct()
            .order_by(availability_slots.c.participant_id, availability_slots.c.slot_date)
        )
        return [(int(p), d) for p, d in rows]

    def delete_days(self, session_id: UUID, days: Iterable[date]) -> int:
        """Drop everyone's slots on ``days`` (used when they become blackout days)."""
        chosen = sorted(set(days))
        if not chosen:
            return 0
        result = self.conn.execute(
            delete(availability_slots).where(
                and_(
                    availability_slots.c.session_id == session_id,
                    availability_slots.c.slot_date.in_(chosen),
                )
            )
        )
        return int(result.rowcount or 0)
