"""The one window rule in the service every entry point calls, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, func, select

from tests.conftest import FrozenClock
from tests.factories.planning import make_plan
from yescount.domain.sessions import PlanPolicy
from yescount.errors import ValidationError
from yescount.storage.tables import sessions


def test_today_is_the_new_york_day(engine: Engine) -> None:
    # 02:00 UTC on Dec 2 is still Dec 1 in New York: a plan starting Dec 1 is not in the past.
    clock = FrozenClock(datetime(2026, 12, 2, 2, tzinfo=UTC))
    make_plan(engine, clock, date_start=date(2026, 12, 1), date_end=date(2026, 12, 3))
    late = FrozenClock(datetime(2026, 12, 2, 6, tzinfo=UTC))  # Dec 2 in New York
    with pytest.raises(ValidationError) as info:
        make_plan(engine, late, date_start=date(2026, 12, 1), date_end=date(2026, 12, 3))
    assert info.value.code == "date_in_past"


def test_the_horizon_is_a_setting_and_nothing_is_stored(engine: Engine, clock: FrozenClock) -> None:
    with pytest.raises(ValidationError) as info:
        make_plan(
            engine,
            clock,
            policy=PlanPolicy(horizon_months=1),
            date_start=date(2026, 12, 20),
            date_end=date(2026, 12, 26),
        )
    assert info.value.code == "date_beyond_horizon"
    with pytest.raises(ValidationError):
        make_plan(engine, clock, date_start=date(9999, 12, 1), date_end=date(9999, 12, 31))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(sessions)).scalar_one() == 0
