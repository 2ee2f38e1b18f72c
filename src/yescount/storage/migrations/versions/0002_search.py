"""Search: full-text indexes, pgvector embeddings, index metadata, LLM cache.

SQLite: an FTS5 table over events (external content) kept in sync by triggers.
PostgreSQL: a generated, weighted ``tsvector`` column with a GIN index, the
``vector`` extension and an ``event_embeddings`` table with an HNSW cosine index.
Both: ``search_index_meta`` (which model/dimension built each vector index) and
``llm_cache`` (generated copy, keyed by a hash of the prompt).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# FTS5 external-content table: the text lives in ``events``; only the index is stored.
_SQLITE_UP = (
    """
    CREATE VIRTUAL TABLE events_fts USING fts5(
        title, location, description,
        content='events', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER events_fts_ai AFTER INSERT ON events BEGIN
        INSERT INTO events_fts(rowid, title, location, description)
        VALUES (new.id, new.title, new.location, new.description);
    END
    """,
    """
    CREATE TRIGGER events_fts_ad AFTER DELETE ON events BEGIN
        INSERT INTO events_fts(events_fts, rowid, title, location, description)
        VALUES ('delete', old.id, old.title, old.location, old.description);
    END
    """,
    """
    CREATE TRIGGER events_fts_au AFTER UPDATE OF title, location, description ON events BEGIN
        INSERT INTO events_fts(events_fts, rowid, title, location, description)
        VALUES ('delete', old.id, old.title, old.location, old.description);
        INSERT INTO events_fts(rowid, title, location, description)
        VALUES (new.id, new.title, new.location, new.description);
    END
    """,
    "INSERT INTO events_fts(events_fts) VALUES ('rebuild')",
)

_SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS events_fts_au",
    "DROP TRIGGER IF EXISTS events_fts_ad",
    "DROP TRIGGER IF EXISTS events_fts_ai",
    "DROP TABLE IF EXISTS events_fts",
)

# Title weighs most, then place, then description (ts_rank weights A > B > C).
_PG_UP = (
    """
    ALTER TABLE events ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(location, '')), 'B')
        || setweight(to_tsvector('english', coalesce(description, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX ix_events_search_tsv ON events USING gin (search_tsv)",
    "CREATE EXTENSION IF NOT EXISTS vector",
    """
    CREATE TABLE event_embeddings (
        event_id BIGINT PRIMARY KEY
            REFERENCES events (id) ON DELETE CASCADE,
        embedding vector(384) NOT NULL,
        content_hash VARCHAR(64) NOT NULL,
        model VARCHAR(200) NOT NULL,
        updated_at TIMESTAMP WITH TIME ZONE NOT NULL
    )
    """,
    # benchmarks/search_bench.py at 50k events: ef_construction 200 left tight clusters of
    # similar listings unreachable (recall@20 0.95-0.97); 400 with ef_search 200 gives 0.98+.
    """
    CREATE INDEX ix_event_embeddings_hnsw ON event_embeddings
        USING hnsw (embedding vector_cosine_ops) WITH (m = 32, ef_construction = 400)
    """,
)

# The extension stays installed: other databases objects may use it and it holds no data.
_PG_DOWN = (
    "DROP TABLE IF EXISTS event_embeddings",
    "DROP INDEX IF EXISTS ix_events_search_tsv",
    "ALTER TABLE events DROP COLUMN IF EXISTS search_tsv",
)


def _plain_tables_up() -> None:
    op.create_table(
        "search_index_meta",
        sa.Column("backend", sa.String(32), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("dimension", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("backend", name="pk_search_index_meta"),
        sa.CheckConstraint("dimension > 0", name="ck_search_index_meta_dimension"),
    )
    op.create_table(
        "llm_cache",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_llm_cache"),
    )


def upgrade() -> None:
    _plain_tables_up()
    statements = _SQLITE_UP if op.get_bind().dialect.name == "sqlite" else _PG_UP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = _SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else _PG_DOWN
    for statement in statements:
        op.execute(statement)
    op.drop_table("llm_cache")
    op.drop_table("search_index_meta")
