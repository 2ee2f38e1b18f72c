"""Search: the pgvector HNSW index over half-precision copies of the embeddings.

The index is an expression index on ``embedding::halfvec(384)`` (the table keeps its
float32 column): half the bytes a vector, so the graph stays in PostgreSQL's buffers
for longer and builds faster; searches order by the same cast and return the
float32 similarity. Graph settings and their measured trade-off live beside
``HNSW_DDL`` in ``yescount.search.pgvector_index`` (which rebuilds an index built
with other settings after a bulk load); benchmarks/bench_hnsw.py measures them.

Needs pgvector >= 0.7 (halfvec). The index is rebuilt from the stored vectors here:
on a large catalogue (200,000 events) that takes minutes.

SQLite: nothing (no pgvector there).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_INDEX = "ix_event_embeddings_hnsw"
# Kept literal (not imported): a migration must not change when the code does.
_UP = (
    f"CREATE INDEX {_INDEX} ON event_embeddings USING hnsw "
    "((embedding::halfvec(384)) halfvec_cosine_ops) WITH (m = 16, ef_construction = 256)"
)
# What the code at 0007 built (float32 vectors, m = 32, ef_construction = 128).
_DOWN = (
    f"CREATE INDEX {_INDEX} ON event_embeddings USING hnsw "
    "(embedding vector_cosine_ops) WITH (m = 32, ef_construction = 128)"
)


def _rebuild(create: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    # The graph must fit in memory while it is built, or the build crawls on disk.
    bind.execute(text("SELECT set_config('maintenance_work_mem', '1GB', true)"))
    op.execute(f"DROP INDEX IF EXISTS {_INDEX}")
    op.execute(create)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        version = bind.execute(
            text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        ).scalar()
        parts = tuple(int(p) for p in str(version or "0").split(".")[:2] if p.isdigit())
        if parts < (0, 7):
            raise RuntimeError(
                f"pgvector {version} has no halfvec: install pgvector >= 0.7 and run "
                "ALTER EXTENSION vector UPDATE before this migration"
            )
    _rebuild(_UP)


def downgrade() -> None:
    _rebuild(_DOWN)
