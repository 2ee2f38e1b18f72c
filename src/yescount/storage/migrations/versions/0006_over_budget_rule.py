"""Plans: the organizer's over-budget rule (``sessions.over_budget``: badge or hide).

Existing plans keep what they showed before: over-budget cards with a badge.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CHECK = "ck_sessions_over_budget"


def upgrade() -> None:
    # batch: SQLite cannot add a CHECK constraint in place (the table is rebuilt there).
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(
            sa.Column("over_budget", sa.String(8), nullable=False, server_default="badge")
        )
        batch.create_check_constraint(CHECK, "over_budget IN ('badge', 'hide')")


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_constraint(CHECK, type_="check")
        batch.drop_column("over_budget")
