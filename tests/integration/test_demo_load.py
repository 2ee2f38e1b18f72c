"""Loading and removing the demo set, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from tests.conftest import FrozenClock
from tests.factories.events import event_record
from yescount.domain.events import WEBSITE_SOURCES, DateStatus
from yescount.services.demo import DemoLoadResult, load_demo, remove_demo
from yescount.storage.uow import UnitOfWork

JAZZ = ("secretnyc", "demo-candlelit-jazz-green-wood-chapel")  # single, load day + 9


def _load(engine: Engine, clock: FrozenClock, *, only_if_empty: bool = False) -> DemoLoadResult:
    return load_demo(uow=UnitOfWork(engine), clock=clock, only_if_empty=only_if_empty)


def _jazz_date(engine: Engine) -> date | None:
    with UnitOfWork(engine, write=False) as uow:
        events = uow.events.list_overlapping(date(2000, 1, 1), date(2100, 1, 1))
    return next(e.date_start for e in events if (e.source, e.source_id) == JAZZ)


def test_load_stores_the_whole_demo_set(engine: Engine, clock: FrozenClock) -> None:
    result = _load(engine, clock)

    assert result.skipped_reason is None
    assert result.loaded >= 120
    assert result.new == result.loaded
    with UnitOfWork(engine, write=False) as uow:
        assert uow.events.count() == result.loaded
        assert uow.events.count(demo=True) == result.loaded
        today = clock().date()
        upcoming = uow.events.list_upcoming(today, sources=WEBSITE_SOURCES)
        window = uow.events.list_overlapping(today, today + timedelta(days=41))
    assert len(upcoming) == result.loaded
    assert len(window) == result.loaded
    assert all(e.is_demo and e.extraction_method == "demo" for e in window)
    # Every status but ``ongoing`` (undated runs read from real pages; the demo has none).
    assert {e.date_status for e in window} == set(DateStatus) - {DateStatus.ONGOING}


def test_loading_twice_does_not_duplicate(engine: Engine, clock: FrozenClock) -> None:
    first = _load(engine, clock)
    second = _load(engine, clock)

    assert second.loaded == first.loaded
    assert (second.new, second.updated, second.unchanged) == (0, 0, first.loaded)
    with UnitOfWork(engine, write=False) as uow:
        assert uow.events.count() == first.loaded


def test_loading_on_a_later_day_moves_the_dates(engine: Engine, clock: FrozenClock) -> None:
    _load(engine, clock)
    before = _jazz_date(engine)
    clock.now += timedelta(days=3)

    later = _load(engine, clock)

    assert later.new == 0
    assert later.updated > later.loaded // 2
    assert before is not None
    assert _jazz_date(engine) == before + timedelta(days=3)
    with UnitOfWork(engine, write=False) as uow:
        assert uow.events.count() == later.loaded


def test_today_is_the_new_york_calendar_day(engine: Engine) -> None:
    # 03:00 UTC on Nov 26 is still the evening of Nov 25 in New York.
    _load(engine, FrozenClock(datetime(2026, 11, 26, 3, 0, tzinfo=UTC)))
    assert _jazz_date(engine) == date(2026, 11, 25) + timedelta(days=9)


def test_only_if_empty_loads_into_an_empty_table(engine: Engine, clock: FrozenClock) -> None:
    result = _load(engine, clock, only_if_empty=True)
    assert result.skipped_reason is None
    assert result.loaded >= 120


def test_only_if_empty_skips_when_real_events_exist(engine: Engine, clock: FrozenClock) -> None:
    with UnitOfWork(engine) as uow:
        uow.events.upsert(event_record(), now=clock())
        uow.commit()

    result = _load(engine, clock, only_if_empty=True)

    assert result.loaded == 0
    assert result.skipped_reason is not None
    assert "1 events" in result.skipped_reason
    with UnitOfWork(engine, write=False) as uow:
        assert uow.events.count() == 1
        assert uow.events.count(demo=True) == 0


def test_only_if_empty_skips_a_second_time(engine: Engine, clock: FrozenClock) -> None:
    first = _load(engine, clock, only_if_empty=True)
    second = _load(engine, clock, only_if_empty=True)
    assert second.loaded == 0
    assert second.skipped_reason is not None
    assert f"({first.loaded} demo)" in second.skipped_reason


def test_remove_deletes_demo_events_and_keeps_real_ones(engine: Engine, clock: FrozenClock) -> None:
    with UnitOfWork(engine) as uow:
        real_id, _ = uow.events.upsert(event_record(), now=clock())
        uow.commit()
    loaded = _load(engine, clock).loaded

    removed = remove_demo(uow=UnitOfWork(engine))

    assert removed == loaded
    with UnitOfWork(engine, write=False) as uow:
        assert uow.events.count(demo=True) == 0
        assert uow.events.count() == 1
        kept = uow.events.get(real_id)
    assert kept is not None
    assert not kept.is_demo
    assert remove_demo(uow=UnitOfWork(engine)) == 0
