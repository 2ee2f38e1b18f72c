"""Search (PostgreSQL): the full-text GIN index also holds an even sample of the events.

Ranking a query that matches thousands of events read every match's heap row before
the LIMIT ("wine tasting", "puppet show toddlers": ~9,000 of 200,000 events, 45/81 ms
p50/p95 server time). A ``WHERE id % k = 0`` test does not help: it is checked on the
heap row, after the read. So the index now holds, beside the words, one lexeme per
power of two dividing the event's id: ``#2`` on even ids, ``#4`` on every fourth, …
``#256`` (a lexeme the text parser never makes: ``#`` is not part of a word). Matching
``words & '#8'`` intersects the words' posting lists with every eighth id inside the
index, so only those rows are read and ranked (``repositories/fulltext.py``: the same
every-k-th-by-id sample SQLite's FTS5 takes with ``rowid % k``).

The index is on an expression (``search_tsv`` plus the sample lexemes): the stored
column, and so ``ts_rank``, are unchanged and the table is not rewritten. The old
index on the bare column goes (one GIN index to maintain); every full-text
statement matches through the expression.

SQLite: nothing (FTS5 samples by rowid; see 0002).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_INDEX = "ix_events_search_tsv"
# Kept literal (not imported): a migration must not change when the code does. The
# code's ``fulltext.PG_DOCUMENT`` must stay this same expression, or the planner cannot
# use the index (tests/integration/test_migration_0009.py checks the plans).
_DOCUMENT = (
    "(events.search_tsv || array_to_tsvector(array_remove(ARRAY["
    "CASE WHEN events.id % 2 = 0 THEN '#2' END, "
    "CASE WHEN events.id % 4 = 0 THEN '#4' END, "
    "CASE WHEN events.id % 8 = 0 THEN '#8' END, "
    "CASE WHEN events.id % 16 = 0 THEN '#16' END, "
    "CASE WHEN events.id % 32 = 0 THEN '#32' END, "
    "CASE WHEN events.id % 64 = 0 THEN '#64' END, "
    "CASE WHEN events.id % 128 = 0 THEN '#128' END, "
    "CASE WHEN events.id % 256 = 0 THEN '#256' END"
    "], NULL)))"
)
_UP = f"CREATE INDEX {_INDEX} ON events USING gin ({_DOCUMENT})"
_DOWN = f"CREATE INDEX {_INDEX} ON events USING gin (search_tsv)"  # as 0002 made it


def _rebuild(create: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.execute(text("SELECT set_config('maintenance_work_mem', '256MB', true)"))
    op.execute(f"DROP INDEX IF EXISTS {_INDEX}")
    op.execute(create)
    # The planner's statistics of the indexed expression (how common each lexeme is)
    # are gathered by ANALYZE; without them it guesses a fixed share of the table.
    op.execute("ANALYZE events")


def upgrade() -> None:
    _rebuild(_UP)


def downgrade() -> None:
    _rebuild(_DOWN)
