"""Event upserts by natural key, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import Engine

from tests.conftest import FROZEN_NOW
from tests.factories.events import event_record
from yescount.domain.events import SourceLink
from yescount.storage.uow import UnitOfWork


def test_upsert_reports_new_unchanged_updated(engine: Engine) -> None:
    record = event_record(source_links=(SourceLink("secretnyc", "https://secretnyc.co/x"),))
    with UnitOfWork(engine) as uow:
        event_id, outcome = uow.events.upsert(record, now=FROZEN_NOW)
        uow.commit()
    assert outcome == "new"

    with UnitOfWork(engine) as uow:
        assert uow.events.upsert(record, now=FROZEN_NOW) == (event_id, "unchanged")
        edited = replace(record, title="Renamed", date_end=date(2026, 12, 31))
        assert uow.events.upsert(edited, now=FROZEN_NOW) == (event_id, "updated")
        uow.commit()

    with UnitOfWork(engine, write=False) as uow:
        stored = uow.events.get(event_id)
        assert uow.events.count() == 1
    assert stored is not None
    assert stored.title == "Renamed"
    assert stored.content_hash == edited.content_hash()
    assert stored.source_links == record.source_links
    assert stored.price_min == record.price_min


def test_uncommitted_unit_of_work_rolls_back(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        uow.events.upsert(event_record(), now=FROZEN_NOW)
    with UnitOfWork(engine, write=False) as uow:
        assert uow.events.count() == 0


def test_delete_demo_keeps_real_events(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        uow.events.upsert(event_record(is_demo=True), now=FROZEN_NOW)
        uow.events.upsert(event_record(), now=FROZEN_NOW)
        uow.commit()
    with UnitOfWork(engine) as uow:
        assert uow.events.delete_demo() == 1
        uow.commit()
    with UnitOfWork(engine, write=False) as uow:
        assert uow.events.count() == 1
        assert uow.events.count(demo=True) == 0


def test_window_queries_keep_open_ended_events(engine: Engine) -> None:
    """SQL and the domain agree: a start with no end is open-ended, not one day."""
    from yescount.domain.events import DateStatus

    opens = event_record(date_status=DateStatus.RANGE, date_start=date(2026, 12, 5))
    single = event_record(date_status=DateStatus.SINGLE, date_start=date(2026, 12, 5))
    with UnitOfWork(engine) as uow:
        open_id, _ = uow.events.upsert(opens, now=FROZEN_NOW)
        single_id, _ = uow.events.upsert(single, now=FROZEN_NOW)
        uow.commit()
    with UnitOfWork(engine, write=False) as uow:
        later = {e.id for e in uow.events.list_overlapping(date(2026, 12, 20), date(2026, 12, 31))}
        upcoming = {e.id for e in uow.events.list_upcoming(date(2026, 12, 20))}
        around = {e.id for e in uow.events.list_overlapping(date(2026, 12, 1), date(2026, 12, 5))}
        before = {e.id for e in uow.events.list_overlapping(date(2026, 12, 1), date(2026, 12, 4))}
    assert later == upcoming == {open_id}
    assert around == {open_id, single_id}
    assert before == set()
