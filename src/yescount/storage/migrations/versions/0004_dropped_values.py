"""Ingestion counts: values dropped from kept events, by reason (``dropped``).

An implausible price, an out-of-range date or an unsafe link costs that value,
not the event; the run counts what was dropped next to ``reject_reasons``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TABLES = ("ingestion_runs", "ingestion_source_checks")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("dropped", JSON, nullable=False, server_default=sa.text("'{}'"))
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("dropped")
