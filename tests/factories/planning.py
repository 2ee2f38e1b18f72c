"""Plans, participants and events for planning tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Engine

from tests.conftest import FROZEN_NOW
from tests.factories.events import event_record
from yescount.domain.events import EventRecord
from yescount.domain.sessions import DEFAULT_POLICY, NewSession, PlanPolicy
from yescount.ports import Clock
from yescount.services import sessions as plan_service
from yescount.storage.uow import UnitOfWork

WINDOW_START = date(2026, 12, 1)
WINDOW_END = date(2026, 12, 14)


def new_session(**overrides: Any) -> NewSession:
    """A valid plan request for Dec 1–14 2026; override any field."""
    base = NewSession(
        name="Crew Night Out",
        organizer_name="Ema",
        date_start=WINDOW_START,
        date_end=WINDOW_END,
    )
    return replace(base, **overrides)


@dataclass
class Plan:
    """A stored plan and the raw tokens of everyone in it."""

    session_id: UUID
    organizer_token: str
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)


def make_plan(
    engine: Engine,
    clock: Clock,
    *,
    friends: Sequence[str] = (),
    policy: PlanPolicy = DEFAULT_POLICY,
    **overrides: Any,
) -> Plan:
    """Create a plan (organizer "Ema" unless overridden) and join ``friends``."""
    cmd = new_session(**overrides)
    created = plan_service.create_session(cmd, uow=UnitOfWork(engine), clock=clock, policy=policy)
    plan = Plan(created.session_id, created.organizer_token)
    plan.tokens[cmd.organizer_name] = created.participant_token
    plan.ids[cmd.organizer_name] = created.participant_id
    for name in friends:
        joined = plan_service.join_session(
            created.session_id, name, uow=UnitOfWork(engine), clock=clock
        )
        plan.tokens[name] = joined.participant_token
        plan.ids[name] = joined.participant_id
    return plan


def add_events(engine: Engine, *records: EventRecord) -> list[int]:
    """Store event records (a default one when none given); returns their ids."""
    with UnitOfWork(engine) as uow:
        ids = [uow.events.upsert(r, now=FROZEN_NOW)[0] for r in records or (event_record(),)]
        uow.commit()
    return ids
