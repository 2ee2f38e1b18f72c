"""Search's untyped event rows (repositories/event_rows.py): the same events as the typed
read, on SQLite and PostgreSQL, and never an old event after a row changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import Engine, select, update

from tests.factories.events import event_record
from yescount.domain.events import DateStatus, Event, Recurrence, SourceLink
from yescount.domain.search import SearchFilters
from yescount.storage.repositories.event_rows import events_of, row_columns
from yescount.storage.repositories.events import row_to_event
from yescount.storage.tables import events
from yescount.storage.uow import UnitOfWork

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TODAY = date(2026, 11, 25)


def _store_varied(engine: Engine) -> list[int]:
    records = [
        event_record(
            title="Jazz at the Vanguard",
            price_min=Decimal("12.50"),
            price_max=Decimal("30"),
            time_start=time(20, 30),
            time_end=time(23, 0),
            vibe_tags=("music", "jazz"),
            source_links=(
                SourceLink("timeout_newyork", "https://www.timeout.com/a"),
                SourceLink("nyc_gov", "https://www.nyc.gov/b"),
            ),
        ),
        event_record(
            title="Free skating, Fridays",
            date_status=DateStatus.RANGE,
            date_start=date(2026, 12, 4),
            date_end=date(2027, 2, 26),
            recurrence=Recurrence((4,)),
            price_min=Decimal("0"),
            price_max=None,
            location=None,
            vibe_tags=(),
            image_url="https://img.example.org/skate.jpg",
            date_evidence="Fridays through Feb 26",
        ),
        event_record(
            title="Mystery dinner — «Le Crime»",
            date_status=DateStatus.ONGOING,
            date_start=None,
            price_min=None,
            price_max=None,
            description="",
            is_demo=True,
            date_confidence=0.25,
        ),
    ]
    with UnitOfWork(engine) as uow:
        ids = [uow.events.upsert(r, now=NOW)[0] for r in records]
        uow.commit()
    return ids


def _untyped(engine: Engine, ids: list[int]) -> list[Event]:
    with engine.connect() as conn:
        stmt = select(*row_columns(conn.dialect.name)).where(events.c.id.in_(ids))
        return events_of(conn, conn.execute(stmt.order_by(events.c.id)))


def _typed(engine: Engine, ids: list[int]) -> list[Event]:
    with engine.connect() as conn:
        stmt = select(events).where(events.c.id.in_(ids)).order_by(events.c.id)
        return [row_to_event(r) for r in conn.execute(stmt).mappings()]


def test_untyped_rows_give_the_typed_events(engine: Engine) -> None:
    ids = _store_varied(engine)
    typed = _typed(engine, ids)
    assert _untyped(engine, ids) == typed
    assert _untyped(engine, ids) == typed  # the second read comes from the cache
    jazz = typed[0]
    assert jazz.price_min == Decimal("12.50")
    assert jazz.time_start == time(20, 30)
    assert [link.source for link in jazz.source_links] == ["timeout_newyork", "nyc_gov"]
    assert typed[1].recurrence == Recurrence((4,))
    assert typed[1].location is None
    assert typed[2].date_start is None
    assert typed[2].is_demo


def test_a_changed_row_is_read_afresh(engine: Engine) -> None:
    ids = _store_varied(engine)
    before = _untyped(engine, ids)[0]
    with engine.begin() as conn:
        changed = {"price_min": Decimal("29.00"), "vibe_tags": ["music", "late-night"]}
        conn.execute(update(events).where(events.c.id == ids[0]).values(**changed))
    after = _untyped(engine, ids)[0]
    assert before.price_min == Decimal("12.50")
    assert after.price_min == Decimal("29.00")
    assert after.vibe_tags == ("music", "late-night")


def test_search_reads_use_the_same_events(engine: Engine) -> None:
    ids = _store_varied(engine)
    typed = {e.id: e for e in _typed(engine, ids)}
    with UnitOfWork(engine, write=False) as uow:
        found = uow.search.lexical_search(["jazz"], filters=SearchFilters(), today=TODAY)
        passing = uow.search.passing(set(ids), filters=SearchFilters(), today=TODAY)
        tagged = uow.search.tagged(["jazz"], filters=SearchFilters(), today=TODAY)
    assert [h.event for h in found] == [typed[ids[0]]]
    assert [h.event for h in tagged] == [typed[ids[0]]]
    assert passing == {i: typed[i] for i in passing}
    assert set(passing) >= {ids[0], ids[1]}
