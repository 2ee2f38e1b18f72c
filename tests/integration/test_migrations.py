"""Migrations: up, down to base, up again, on SQLite and PostgreSQL; schema matches tables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import FrozenClock
from tests.factories.planning import make_plan
from yescount.domain.events import DateStatus, EventRecord, Recurrence
from yescount.errors import StorageError
from yescount.storage import migrate
from yescount.storage.probe import EngineMigrator
from yescount.storage.repositories.events import record_values
from yescount.storage.search_schema import MANAGED_COLUMNS, MANAGED_INDEXES, MANAGED_TABLES
from yescount.storage.tables import events, metadata, participants, sessions


def _declared(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    """Skip search objects that exist on one backend only (FTS5, tsvector, pgvector)."""
    if type_ == "table":
        return name not in MANAGED_TABLES
    if type_ == "index":
        return name not in MANAGED_INDEXES
    if type_ == "column":
        return (getattr(getattr(obj, "table", None), "name", ""), name) not in MANAGED_COLUMNS
    return True


def test_the_migrator_port_moves_the_schema_and_translates_failures(engine: Engine) -> None:
    head = migrate.head_revision()
    migrator = EngineMigrator(lambda: engine)
    assert migrator.migrate_to("base") == (head, None)
    assert migrator.migrate_to("head") == (None, head)
    with pytest.raises(StorageError, match="Migration to 9999_nope failed and was rolled back"):
        migrator.migrate_to("9999_nope")
    assert migrate.status(engine).current == head


def test_upgrade_downgrade_upgrade_round_trip(engine: Engine) -> None:
    head = migrate.head_revision()
    assert migrate.status(engine).current == head

    assert migrate.migrate_to(engine, "base") == (head, None)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}

    assert migrate.migrate_to(engine, "head") == (None, head)
    assert migrate.status(engine).is_current
    assert {t.name for t in metadata.sorted_tables} <= set(inspect(engine).get_table_names())


def test_migrated_schema_matches_table_definitions(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": _declared}
            ),
            metadata,
        )
    assert diff == []


def _insert(conn: Connection, status: str, recurrence: str | None) -> None:
    now = datetime(2026, 10, 1, tzinfo=UTC)
    record = EventRecord(
        source="timeout_newyork",
        source_id=f"x/{status}",
        title="Jazz Fridays",
        url="https://example.com/jazz",
        date_status=DateStatus(status),
        extraction_method="cards",
        recurrence=Recurrence.from_rule(recurrence),
    )
    times = dict.fromkeys(("first_seen_at", "last_seen_at", "created_at", "updated_at"), now)
    conn.execute(insert(events).values(**record_values(record), **times))


def test_0003_adds_recurrence_and_ongoing_and_downgrades_them_away(engine: Engine) -> None:
    with engine.begin() as conn:
        _insert(conn, "ongoing", None)
        _insert(conn, "multiple", "FREQ=WEEKLY;BYDAY=FR")
    with engine.connect() as conn:
        rules: dict[str, str | None] = dict(
            conn.execute(text("SELECT date_status, recurrence FROM events")).all()
        )
    assert rules == {"ongoing": None, "multiple": "FREQ=WEEKLY;BYDAY=FR"}

    migrate.migrate_to(engine, "0002")
    assert "recurrence" not in {c["name"] for c in inspect(engine).get_columns("events")}
    with engine.connect() as conn:
        statuses = sorted(conn.execute(text("SELECT date_status FROM events")).scalars())
    assert statuses == ["multiple", "unclear"]
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE events SET date_status = 'ongoing'"))

    migrate.migrate_to(engine, "head")
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE events SET date_status = 'ongoing' WHERE date_status = 'unclear'")
        )
        _insert(conn, "range", "FREQ=WEEKLY;BYDAY=SA,SU")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE events SET date_status = 'someday'"))


def _insert_plan(conn: Connection) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    day = date(2026, 12, 2)
    stamps = dict.fromkeys(("created_at", "updated_at", "expires_at"), now)
    conn.execute(
        insert(sessions).values(
            id=uuid4(),
            name="Old plan",
            organizer_token_hash="0" * 64,
            vibe_tags=[],
            date_start=day,
            date_end=day,
            blackout_dates=[],
            max_participants=10,
            **stamps,
        )
    )


def test_0006_adds_the_over_budget_rule_and_downgrades_it_away(engine: Engine) -> None:
    migrate.migrate_to(engine, "0005")
    assert "over_budget" not in {c["name"] for c in inspect(engine).get_columns("sessions")}
    with engine.begin() as conn:
        _insert_plan(conn)

    migrate.migrate_to(engine, "0006")
    with engine.connect() as conn:
        rules = conn.execute(text("SELECT over_budget FROM sessions")).scalars().all()
    assert rules == ["badge"], "existing plans keep badging over-budget cards"
    with engine.begin() as conn:
        conn.execute(text("UPDATE sessions SET over_budget = 'hide'"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE sessions SET over_budget = 'maybe'"))

    migrate.migrate_to(engine, "0005")
    assert "over_budget" not in {c["name"] for c in inspect(engine).get_columns("sessions")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM sessions")).scalars().all() == ["Old plan"]
    migrate.migrate_to(engine, "head")


def test_migrations_up_and_down_keep_every_plans_people(engine: Engine, clock: FrozenClock) -> None:
    """SQLite alters a table by rebuilding it (copy, DROP, rename): with foreign keys on,
    the DROP cascaded and 0006 deleted every participant. Rows must survive every step."""
    plan = make_plan(engine, clock, friends=("Noor", "Sam"))

    def people() -> list[str]:
        with engine.connect() as conn:
            rows = conn.execute(
                select(participants.c.display_name).where(
                    participants.c.session_id == plan.session_id
                )
            )
            return sorted(rows.scalars())

    assert people() == ["Ema", "Noor", "Sam"]
    for revision in ("0005", "0004", "head"):
        migrate.migrate_to(engine, revision)
        assert people() == ["Ema", "Noor", "Sam"], f"after migrating to {revision}"
