"""Search objects that live in SQL but outside ``storage.tables.metadata``.

The FTS5 table (SQLite), the generated ``events.search_tsv`` column (PostgreSQL)
and ``event_embeddings`` (pgvector) are created by migration 0002, the tag index
(``event_tags`` on SQLite, a GIN index on PostgreSQL) by 0007; each exists on one
backend only, so they are declared here, in their own ``MetaData``.
"""

from __future__ import annotations

from pgvector.sqlalchemy import Vector
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text

from yescount.storage.tables import UtcDateTime

EMBEDDING_DIMENSION = 384

search_metadata = MetaData()

event_embeddings = Table(
    "event_embeddings",
    search_metadata,
    Column("event_id", BigInteger, primary_key=True),
    Column("embedding", Vector(EMBEDDING_DIMENSION), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("model", String(200), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# SQLite: one row per (tag, event), kept in sync with ``events.vibe_tags`` by triggers.
event_tags = Table(
    "event_tags",
    search_metadata,
    Column("tag", Text, primary_key=True),
    Column("event_id", Integer, primary_key=True),
)

FTS_TABLE = "events_fts"
# FTS5 shadow tables created next to the virtual table.
FTS_SHADOW_TABLES = tuple(f"{FTS_TABLE}_{s}" for s in ("data", "idx", "docsize", "config"))
# Names schema comparisons must ignore: they are managed by migration 0002 itself.
MANAGED_TABLES = frozenset({FTS_TABLE, *FTS_SHADOW_TABLES, "event_embeddings", "event_tags"})
MANAGED_COLUMNS = frozenset({("events", "search_tsv")})
MANAGED_INDEXES = frozenset(
    {"ix_events_search_tsv", "ix_event_embeddings_hnsw", "ix_events_vibe_tags"}
)
