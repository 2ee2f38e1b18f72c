"""Concurrency: the participant cap, name uniqueness and vote upserts under parallel writers.

The plan's organizer holds one of the 10 seats, so of 15 friends joining at once
exactly 9 get in (10 participants in all) and 6 are told the plan is full.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

import pytest
from sqlalchemy import Engine, func, select

from tests.conftest import FrozenClock
from tests.factories.events import event_record
from tests.factories.planning import add_events, make_plan
from yescount.errors import ConflictError, ForbiddenError, YesCountError
from yescount.services import sessions, voting
from yescount.storage.tables import participants, votes
from yescount.storage.tables import sessions as sessions_table
from yescount.storage.uow import UnitOfWork

T = TypeVar("T")


def _in_parallel(tasks: list[Callable[[], T]]) -> list[T | YesCountError]:
    """Run every task in its own thread, all released at the same moment."""
    barrier = threading.Barrier(len(tasks))

    def run(task: Callable[[], T]) -> T | YesCountError:
        barrier.wait()
        try:
            return task()
        except YesCountError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        return list(pool.map(run, tasks))


def _join_race(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock)

    def joiner(name: str) -> Callable[[], sessions.JoinResult]:
        return lambda: sessions.join_session(
            plan.session_id, name, uow=UnitOfWork(engine), clock=clock
        )

    outcomes = _in_parallel([joiner(f"Friend {i}") for i in range(15)])

    joined = [o for o in outcomes if isinstance(o, sessions.JoinResult)]
    refused = [o for o in outcomes if isinstance(o, YesCountError)]
    assert len(joined) == 9
    assert len(refused) == 6
    assert all(isinstance(e, ForbiddenError) and e.code == "session_full" for e in refused)
    with engine.connect() as conn:
        stored = conn.execute(
            select(func.count())
            .select_from(participants)
            .where(participants.c.session_id == plan.session_id)
        ).scalar_one()
        counter = conn.execute(select(sessions_table.c.participant_count)).scalar_one()
    assert stored == counter == 10


@pytest.mark.postgres
def test_fifteen_parallel_joins_fill_exactly_ten_seats_on_postgres(
    pg_engine: Engine, clock: FrozenClock
) -> None:
    _join_race(pg_engine, clock)


def test_fifteen_parallel_joins_fill_exactly_ten_seats_on_sqlite(
    sqlite_engine: Engine, clock: FrozenClock
) -> None:
    _join_race(sqlite_engine, clock)


def test_parallel_joins_with_one_name_let_exactly_one_in(
    engine: Engine, clock: FrozenClock
) -> None:
    plan = make_plan(engine, clock)
    spellings = ["Sam", "sam", "SAM", "Sam ", " sAm", "Sam"]
    outcomes = _in_parallel(
        [
            (
                partial(
                    sessions.join_session, plan.session_id, s, uow=UnitOfWork(engine), clock=clock
                )
            )
            for s in spellings
        ]
    )
    joined = [o for o in outcomes if isinstance(o, sessions.JoinResult)]
    assert len(joined) == 1
    assert all(
        isinstance(o, ConflictError) and o.code == "name_taken"
        for o in outcomes
        if not isinstance(o, sessions.JoinResult)
    )
    preview = sessions.get_preview(plan.session_id, uow=UnitOfWork(engine), clock=clock)
    assert preview.participant_count == 2  # the counter was rolled back for every loser
    with engine.connect() as conn:
        assert conn.execute(select(sessions_table.c.participant_count)).scalar_one() == 2


@pytest.mark.postgres
def test_parallel_vote_toggles_end_at_each_voters_last_write(
    pg_engine: Engine, clock: FrozenClock
) -> None:
    plan = make_plan(pg_engine, clock, friends=[f"Friend {i}" for i in range(9)])
    event_ids = add_events(pg_engine, *(event_record() for _ in range(30)))
    last: dict[tuple[str, int], bool] = {}

    def voter(name: str) -> Callable[[], None]:
        rng = random.Random(name)
        writes = [(e, rng.random() < 0.5) for _ in range(3) for e in event_ids]
        rng.shuffle(writes)
        for event_id, interested in writes:
            last[(name, event_id)] = interested  # each voter's writes are sequential

        def run() -> None:
            for event_id, interested in writes:
                voting.cast_vote(
                    plan.session_id,
                    plan.tokens[name],
                    event_id,
                    interested,
                    uow=UnitOfWork(pg_engine),
                    clock=clock,
                )

        return run

    outcomes = _in_parallel([voter(name) for name in plan.tokens])
    assert outcomes == [None] * 10

    expected = Counter(event_id for (_, event_id), yes in last.items() if yes)
    with UnitOfWork(pg_engine, write=False) as uow:
        assert uow.votes.tally(plan.session_id) == dict(expected)
    for name, token in plan.tokens.items():
        mine = voting.my_votes(plan.session_id, token, uow=UnitOfWork(pg_engine))
        assert mine == {e for (who, e), yes in last.items() if who == name and yes}


def test_simultaneous_first_votes_on_one_event_never_fail(
    engine: Engine, clock: FrozenClock
) -> None:
    plan = make_plan(engine, clock)
    (event_id,) = add_events(engine)
    token = plan.tokens["Ema"]
    outcomes = _in_parallel(
        [
            (
                partial(
                    voting.cast_vote,
                    plan.session_id,
                    token,
                    event_id,
                    i % 2 == 0,
                    uow=UnitOfWork(engine),
                    clock=clock,
                )
            )
            for i in range(8)
        ]
    )
    assert outcomes == [None] * 8
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(votes)).scalar_one() == 1
