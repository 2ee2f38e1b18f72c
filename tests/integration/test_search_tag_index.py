"""The tag index of migration 0007, on SQLite and PostgreSQL.

Upgrading fills it from the events already stored, every later write keeps it, the
downgrade removes it, and the statements the search repository runs for tags (tag
candidates, the tag filter) are planned through it rather than over every row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, inspect, text, update

from tests.factories.events import event_record
from tests.factories.statements import captured
from yescount.domain.search import SearchFilters
from yescount.ports import SearchRepository
from yescount.storage import migrate
from yescount.storage.repositories.events import record_values
from yescount.storage.tables import events
from yescount.storage.uow import UnitOfWork

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TODAY = date(2026, 11, 25)
TAGS = (("comedy", "nightlife"), ("outdoor",), ("comedy",), ())
CATALOGUE = 3_000


def _insert_raw(conn: Connection, tags: tuple[str, ...]) -> int:
    """An event written by plain SQL, as rows stored before the migration were."""
    stamps = dict.fromkeys(("first_seen_at", "last_seen_at", "created_at", "updated_at"), NOW)
    values = record_values(event_record(vibe_tags=tags))
    return int(
        conn.execute(insert(events).values(**values, **stamps).returning(events.c.id)).scalar_one()
    )


def _tagged(engine: Engine, *tags: str, **filters: Any) -> list[int]:
    with UnitOfWork(engine, write=False) as uow:
        found = uow.search.tagged(tags, filters=SearchFilters(**filters), today=TODAY)
    return [h.event_id for h in found]


def _tag_index(engine: Engine) -> set[tuple[str, int]] | str | None:
    """SQLite: the (tag, event id) rows; PostgreSQL: the index definition (None: absent)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            if "event_tags" not in inspect(conn).get_table_names():
                return None
            rows = conn.execute(text("SELECT tag, event_id FROM event_tags"))
            return {(str(tag), int(event_id)) for tag, event_id in rows}
        found = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_events_vibe_tags'")
        ).scalar_one_or_none()
        return None if found is None else str(found)


def test_upgrade_backfills_the_tag_index_writes_keep_it_downgrade_drops_it(
    engine: Engine,
) -> None:
    migrate.migrate_to(engine, "0006")
    with engine.begin() as conn:
        ids = [_insert_raw(conn, tags) for tags in TAGS]
    migrate.migrate_to(engine, "0007")

    index = _tag_index(engine)
    if engine.dialect.name == "sqlite":
        assert index == {(t, i) for i, tags in zip(ids, TAGS, strict=True) for t in tags}
    else:
        assert isinstance(index, str)
        assert "USING gin (vibe_tags)" in index
    assert _tagged(engine, "comedy") == [ids[0], ids[2]]
    assert _tagged(engine, "outdoor", "nightlife") == [ids[0], ids[1]]
    assert _tagged(engine, "comedy", vibe_tags=("nightlife",)) == [ids[0]]

    with engine.begin() as conn:
        conn.execute(update(events).where(events.c.id == ids[0]).values(vibe_tags=["outdoor"]))
        conn.execute(delete(events).where(events.c.id == ids[2]))
        added = _insert_raw(conn, ("comedy", "comedy"))
    assert _tagged(engine, "comedy") == [added]
    assert _tagged(engine, "outdoor") == [ids[0], ids[1]]
    assert _tagged(engine, "nightlife") == []
    if engine.dialect.name == "sqlite":
        assert _tag_index(engine) == {("outdoor", ids[0]), ("outdoor", ids[1]), ("comedy", added)}

    migrate.migrate_to(engine, "0006")
    assert _tag_index(engine) is None
    migrate.migrate_to(engine, "head")
    assert _tagged(engine, "comedy", "outdoor") == [ids[0], ids[1], added]


def _plan(engine: Engine, read: Callable[[SearchRepository], object]) -> str:
    """The query plan of the one statement ``read`` runs, as the database chose it."""
    with UnitOfWork(engine, write=False) as uow, captured(engine) as sent:
        read(uow.search)
    [(statement, parameters)] = sent
    explain = "EXPLAIN QUERY PLAN" if engine.dialect.name == "sqlite" else "EXPLAIN"
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"{explain} {statement}", parameters)
        return "\n".join(str(row[-1]) for row in rows)


def test_tag_reads_are_planned_through_the_tag_index(engine: Engine) -> None:
    """A rare tag among a few thousand events: the planner reads the index (on
    PostgreSQL a sequential scan wins over a table of a few pages whatever its indexes,
    so the catalogue here is big enough for the statistics to tell)."""
    stamps = dict.fromkeys(("first_seen_at", "last_seen_at", "created_at", "updated_at"), NOW)
    common = record_values(event_record(vibe_tags=("music",))) | stamps
    rows = [common | {"source_id": f"common-{n}"} for n in range(CATALOGUE)]
    with engine.begin() as conn:
        conn.execute(insert(events), rows)
        rare = _insert_raw(conn, ("ghost", "immersive"))
        conn.exec_driver_sql("ANALYZE events" if engine.dialect.name == "postgresql" else "ANALYZE")
    assert _tagged(engine, "ghost", "horror") == [rare]
    candidates = _plan(
        engine, lambda s: s.tagged(["ghost", "horror"], filters=SearchFilters(), today=TODAY)
    )
    only_immersive = SearchFilters(vibe_tags=("immersive",))
    filtered = _plan(engine, lambda s: s.passing([1, 2, rare], filters=only_immersive, today=TODAY))
    if engine.dialect.name == "sqlite":
        assert candidates.count("SEARCH event_tags USING PRIMARY KEY (tag=?)") == 2
        assert "SCAN events" not in candidates
        assert "SEARCH filter_tags_index USING PRIMARY KEY (tag=? AND event_id=?)" in filtered
        assert "json_each" not in filtered.lower()
    else:
        assert "Bitmap Index Scan on ix_events_vibe_tags" in candidates
        assert "Seq Scan" not in candidates
