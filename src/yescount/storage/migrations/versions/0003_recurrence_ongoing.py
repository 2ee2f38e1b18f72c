"""Events: weekly schedules (``recurrence``) and the ``ongoing`` date status.

``recurrence`` holds a weekly rule as RFC 5545 text ("FREQ=WEEKLY;BYDAY=FR"), its
end being ``date_end``. ``ongoing`` is a run (an exhibition, a show) whose dates the
page does not state. SQLite cannot alter a CHECK constraint; this uses the
documented procedure for widening one in place (``PRAGMA writable_schema``, the
table's stored SQL edited, the schema version bumped): no table rebuild, so no
foreign-key cascade and the full-text triggers stay. Downgrade turns ``ongoing``
back into ``unclear`` and drops the rule.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_OLD = "date_status IN ('single', 'range', 'multiple', 'unclear')"
_NEW = "date_status IN ('single', 'range', 'multiple', 'unclear', 'ongoing')"


def _sqlite_replace_check(old: str, new: str) -> None:
    conn = op.get_bind()
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'"
    ).scalar_one()
    if old not in sql:
        raise RuntimeError(f"events table has no CHECK ({old}) to replace")
    version = int(conn.exec_driver_sql("PRAGMA schema_version").scalar_one())
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    conn.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'events'",
        (sql.replace(old, new),),
    )
    conn.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"integrity check failed after the CHECK change: {problems}")


def _replace_check(old: str, new: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_replace_check(old, new)
        return
    # The name carries the naming convention's prefix twice (see 0001): look it up.
    name = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'events'::regclass"
                " AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%date_status%'"
            )
        )
        .scalar_one()
    )
    op.execute(f'ALTER TABLE events DROP CONSTRAINT "{name}"')
    op.execute(f'ALTER TABLE events ADD CONSTRAINT "{name}" CHECK ({new})')


def upgrade() -> None:
    op.add_column("events", sa.Column("recurrence", sa.String(64), nullable=True))
    _replace_check(_OLD, _NEW)


def downgrade() -> None:
    op.execute("UPDATE events SET date_status = 'unclear' WHERE date_status = 'ongoing'")
    _replace_check(_NEW, _OLD)
    op.drop_column("events", "recurrence")
