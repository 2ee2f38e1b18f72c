"""Plans on a ``FakeStore``: the unit-test twin of ``tests.factories.planning``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.factories.events import event_record
from tests.factories.events import stored as as_event
from tests.factories.planning import Plan, new_session
from tests.fakes.uow import FakeStore
from yescount.domain.events import EventRecord
from yescount.domain.sessions import DEFAULT_POLICY, PlanPolicy
from yescount.ports import Clock
from yescount.services import sessions as plan_service


def fake_plan(
    store: FakeStore,
    clock: Clock,
    *,
    friends: Sequence[str] = (),
    policy: PlanPolicy = DEFAULT_POLICY,
    **kw: Any,
) -> Plan:
    """Create a plan (organizer "Ema") and join ``friends``, through the services."""
    cmd = new_session(**kw)
    created = plan_service.create_session(cmd, uow=store.uow(), clock=clock, policy=policy)
    plan = Plan(created.session_id, created.organizer_token)
    plan.tokens[cmd.organizer_name] = created.participant_token
    plan.ids[cmd.organizer_name] = created.participant_id
    for name in friends:
        joined = plan_service.join_session(created.session_id, name, uow=store.uow(), clock=clock)
        plan.tokens[name] = joined.participant_token
        plan.ids[name] = joined.participant_id
    return plan


def fake_events(store: FakeStore, *records: EventRecord) -> list[int]:
    """Store event records (one default record when none given); returns their ids."""
    ids = []
    for record in records or (event_record(),):
        event_id = store.tables.new_id()
        store.tables.events[event_id] = as_event(record, event_id)
        ids.append(event_id)
    return ids
