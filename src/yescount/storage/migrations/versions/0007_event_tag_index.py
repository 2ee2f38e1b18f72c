"""Search: an index over events' vibe tags (candidates by tag, the tag filter).

Finding events by tag scanned every row (``json_each`` on SQLite, ``?|`` on
PostgreSQL): 6-8 ms median at 50,000 events and 100-170 ms for a tag no event
carries (benchmarks/search_bench.py).

SQLite: an ``event_tags`` table (tag, event id), primary key first by tag, kept in
sync with ``events.vibe_tags`` by triggers (like the FTS5 table of 0002, so every
write path keeps it: repositories, restores, bulk loads) and filled from the
existing rows here. PostgreSQL: a GIN index on the JSONB column, which serves
``?|`` (built from the existing rows by CREATE INDEX).

Like 0002's, the triggers live on ``events``: a later migration must not rebuild
that table in batch mode (0003 shows how to change it in place).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Deletes go through the primary key (the old row's tags), so no second index is kept.
_SQLITE_UP = (
    """
    CREATE TABLE event_tags (
        tag TEXT NOT NULL,
        event_id INTEGER NOT NULL,
        PRIMARY KEY (tag, event_id)
    ) WITHOUT ROWID
    """,
    """
    CREATE TRIGGER event_tags_ai AFTER INSERT ON events BEGIN
        INSERT OR IGNORE INTO event_tags(tag, event_id)
        SELECT value, new.id FROM json_each(new.vibe_tags);
    END
    """,
    """
    CREATE TRIGGER event_tags_ad AFTER DELETE ON events BEGIN
        DELETE FROM event_tags
        WHERE event_id = old.id AND tag IN (SELECT value FROM json_each(old.vibe_tags));
    END
    """,
    """
    CREATE TRIGGER event_tags_au AFTER UPDATE OF vibe_tags ON events BEGIN
        DELETE FROM event_tags
        WHERE event_id = old.id AND tag IN (SELECT value FROM json_each(old.vibe_tags));
        INSERT OR IGNORE INTO event_tags(tag, event_id)
        SELECT value, new.id FROM json_each(new.vibe_tags);
    END
    """,
    """
    INSERT OR IGNORE INTO event_tags(tag, event_id)
    SELECT tags.value, events.id FROM events, json_each(events.vibe_tags) AS tags
    """,
)

_SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS event_tags_au",
    "DROP TRIGGER IF EXISTS event_tags_ad",
    "DROP TRIGGER IF EXISTS event_tags_ai",
    "DROP TABLE IF EXISTS event_tags",
)

_PG_UP = ("CREATE INDEX ix_events_vibe_tags ON events USING gin (vibe_tags)",)
_PG_DOWN = ("DROP INDEX IF EXISTS ix_events_vibe_tags",)


def upgrade() -> None:
    statements = _SQLITE_UP if op.get_bind().dialect.name == "sqlite" else _PG_UP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = _SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else _PG_DOWN
    for statement in statements:
        op.execute(statement)
