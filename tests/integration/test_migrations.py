"""Migrations: up, down to base, up again, on SQLite and PostgreSQL; schema matches tables."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from yescount.search.schema import MANAGED_COLUMNS, MANAGED_INDEXES, MANAGED_TABLES
from yescount.storage import migrate
from yescount.storage.tables import metadata


def _declared(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    """Skip search objects that exist on one backend only (FTS5, tsvector, pgvector)."""
    if type_ == "table":
        return name not in MANAGED_TABLES
    if type_ == "index":
        return name not in MANAGED_INDEXES
    if type_ == "column":
        return (getattr(getattr(obj, "table", None), "name", ""), name) not in MANAGED_COLUMNS
    return True


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
