"""Votes and availability on SQLite and PostgreSQL: upserts, atomic replace, rollbacks."""

from __future__ import annotations

from datetime import date, time
from uuid import uuid4

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import FrozenClock
from tests.factories.events import event_record
from tests.factories.planning import add_events, make_plan
from yescount.domain.sessions import PlanPolicy
from yescount.errors import ForbiddenError, NotFoundError, StorageError, ValidationError
from yescount.services import voting
from yescount.storage.engine import make_engine
from yescount.storage.tables import availability_slots, votes
from yescount.storage.uow import UnitOfWork


def _uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_vote_upsert_keeps_one_row_per_event(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock, friends=("Jake",))
    first, second = add_events(engine, event_record(), event_record())
    token = plan.tokens["Jake"]
    for interested in (True, False, True):
        voting.cast_vote(plan.session_id, token, first, interested, uow=_uow(engine), clock=clock)
    voting.cast_vote(plan.session_id, token, second, False, uow=_uow(engine), clock=clock)

    assert _count(engine, votes) == 2
    assert voting.my_votes(plan.session_id, token, uow=_uow(engine)) == frozenset({first})
    assert voting.my_votes(plan.session_id, plan.tokens["Ema"], uow=_uow(engine)) == frozenset()
    with UnitOfWork(engine, write=False) as uow:
        assert uow.votes.tally(plan.session_id) == {first: 1}


def test_vote_needs_a_valid_token_and_a_real_event(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock)
    (event_id,) = add_events(engine)
    with pytest.raises(ForbiddenError) as err:
        voting.cast_vote(plan.session_id, "bad", event_id, True, uow=_uow(engine), clock=clock)
    assert err.value.code == "invalid_token"
    with pytest.raises(NotFoundError) as missing:
        voting.cast_vote(
            plan.session_id, plan.tokens["Ema"], 424242, True, uow=_uow(engine), clock=clock
        )
    assert missing.value.code == "event_not_found"
    assert _count(engine, votes) == 0


def test_availability_is_replaced_as_a_whole(engine: Engine, clock: FrozenClock) -> None:
    policy = PlanPolicy(slot_start=time(18, 30), slot_end=time(21))
    plan = make_plan(engine, clock, friends=("Jake",), policy=policy)
    token = plan.tokens["Jake"]
    days = [date(2026, 12, 3), date(2026, 12, 1), date(2026, 12, 3)]
    saved = voting.save_availability(
        plan.session_id, token, days, uow=_uow(engine), clock=clock, policy=policy
    )
    assert saved == (date(2026, 12, 1), date(2026, 12, 3))
    voting.save_availability(
        plan.session_id, token, [date(2026, 12, 9)], uow=_uow(engine), clock=clock, policy=policy
    )
    assert voting.my_availability(plan.session_id, token, uow=_uow(engine)) == (date(2026, 12, 9),)
    with engine.connect() as conn:
        row = conn.execute(select(availability_slots)).mappings().one()
    assert (row["slot_start"], row["slot_end"]) == (time(18, 30), time(21))

    voting.save_availability(plan.session_id, token, [], uow=_uow(engine), clock=clock)
    assert voting.my_availability(plan.session_id, token, uow=_uow(engine)) == ()


@pytest.mark.parametrize(
    ("day", "code"),
    [(date(2026, 11, 30), "date_outside_window"), (date(2026, 12, 5), "date_blacked_out")],
)
def test_invalid_days_leave_the_previous_set(
    engine: Engine, clock: FrozenClock, day: date, code: str
) -> None:
    plan = make_plan(engine, clock, blackout_dates=(date(2026, 12, 5),))
    token = plan.tokens["Ema"]
    voting.save_availability(
        plan.session_id, token, [date(2026, 12, 2)], uow=_uow(engine), clock=clock
    )
    with pytest.raises(ValidationError) as err:
        voting.save_availability(
            plan.session_id, token, [date(2026, 12, 4), day], uow=_uow(engine), clock=clock
        )
    assert err.value.code == code
    assert voting.my_availability(plan.session_id, token, uow=_uow(engine)) == (date(2026, 12, 2),)


def test_failed_write_midway_leaves_nothing_behind(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock)
    token = plan.tokens["Ema"]
    voting.save_availability(
        plan.session_id, token, [date(2026, 12, 2)], uow=_uow(engine), clock=clock
    )
    with UnitOfWork(engine) as uow:
        person = uow.participants.list_for_session(plan.session_id)[0]
        uow.commit()

    def broken_replace() -> None:
        with UnitOfWork(engine) as uow:
            uow.availability.replace(
                session_id=plan.session_id,
                participant_id=person.id,
                days=[date(2026, 12, 3)],
                slot_start=time(22),
                slot_end=time(19),
                now=clock.now,
            )
            uow.commit()

    # The delete succeeds, then the insert breaks a CHECK constraint: all of it rolls back.
    with pytest.raises(IntegrityError):
        broken_replace()
    assert voting.my_availability(plan.session_id, token, uow=_uow(engine)) == (date(2026, 12, 2),)


def test_storage_errors_are_retryable(clock: FrozenClock) -> None:
    closed = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    with pytest.raises(StorageError) as err:
        voting.my_votes(uuid4(), "x", uow=UnitOfWork(closed))
    assert err.value.retryable
    closed.dispose()
