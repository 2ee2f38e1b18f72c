"""Table definitions (SQLAlchemy Core), shared by repositories and backups.

The Alembic migrations under ``storage/migrations`` are the source of truth for
the database schema; these definitions mirror them so queries are typed. A test
compares the two (``tests/integration/test_migrations.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

# BigInteger ids on PostgreSQL, INTEGER PRIMARY KEY (rowid alias) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")
# JSONB on PostgreSQL (indexable containment), JSON text on SQLite.
Json = JSON().with_variant(JSONB(), "postgresql")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

DATE_STATUSES = ("single", "range", "multiple", "unclear", "ongoing")
SESSION_STATUSES = ("open", "locked", "archived")
OVER_BUDGET_RULES = ("badge", "hide")
RUN_STATUSES = ("running", "success", "degraded", "failed")
CHECK_STATUSES = ("success", "degraded", "failed", "skipped")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(name: str, *, nullable: bool = False) -> Column[datetime]:
    return Column(name, UtcDateTime(), nullable=nullable)


events = Table(
    "events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False),
    Column("source_id", String(255), nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("date_start", Date, nullable=True),
    Column("date_end", Date, nullable=True),
    Column("time_start", Time, nullable=True),
    Column("time_end", Time, nullable=True),
    Column("date_status", String(16), nullable=False),
    Column("date_confidence", Float, nullable=False, server_default="0"),
    Column("date_evidence", Text, nullable=True),
    # A weekly schedule as an RFC 5545 rule ("FREQ=WEEKLY;BYDAY=FR"); its end is date_end.
    Column("recurrence", String(64), nullable=True),
    Column("location", String(300), nullable=True),
    Column("price_min", Numeric(10, 2), nullable=True),
    Column("price_max", Numeric(10, 2), nullable=True),
    Column("url", Text, nullable=False),
    Column("image_url", Text, nullable=True),
    Column("vibe_tags", Json, nullable=False),
    Column("extraction_method", String(32), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("raw_payload", Json, nullable=True),
    Column("source_links", Json, nullable=False),
    Column("duplicate_of_id", Id, ForeignKey("events.id", ondelete="SET NULL"), nullable=True),
    Column("is_demo", Boolean, nullable=False, server_default=false()),
    _ts("first_seen_at"),
    _ts("last_seen_at"),
    _ts("created_at"),
    _ts("updated_at"),
    UniqueConstraint("source", "source_id"),
    CheckConstraint(_in("date_status", DATE_STATUSES), name="date_status"),
    CheckConstraint("date_confidence >= 0 AND date_confidence <= 1", name="date_confidence"),
    CheckConstraint(
        "date_end IS NULL OR date_start IS NULL OR date_end >= date_start", name="date_order"
    ),
    CheckConstraint("price_min IS NULL OR price_min >= 0", name="price_min"),
    CheckConstraint(
        "price_max IS NULL OR price_min IS NULL OR price_max >= price_min", name="price_order"
    ),
    Index(None, "date_start", "date_end"),
    Index(None, "is_demo"),
    Index(None, "duplicate_of_id"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Uuid(as_uuid=True), primary_key=True),
    Column("name", String(80), nullable=False),
    Column("organizer_token_hash", String(64), nullable=False),
    Column("date_start", Date, nullable=False),
    Column("date_end", Date, nullable=False),
    Column("budget_cap", Numeric(10, 2), nullable=True),
    Column("vibe_tags", Json, nullable=False),
    Column("min_attendees", Integer, nullable=True),
    Column("blackout_dates", Json, nullable=False),
    Column("over_budget", String(8), nullable=False, server_default="badge"),
    Column("max_participants", Integer, nullable=False),
    Column("participant_count", Integer, nullable=False, server_default="0"),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("locked_event_id", Id, ForeignKey("events.id", ondelete="SET NULL"), nullable=True),
    Column("locked_date", Date, nullable=True),
    _ts("created_at"),
    _ts("updated_at"),
    _ts("expires_at"),
    _ts("locked_at", nullable=True),
    _ts("archived_at", nullable=True),
    CheckConstraint(_in("status", SESSION_STATUSES), name="status"),
    CheckConstraint("date_end >= date_start", name="window_order"),
    CheckConstraint("budget_cap IS NULL OR budget_cap >= 0", name="budget_cap"),
    CheckConstraint("min_attendees IS NULL OR min_attendees >= 1", name="min_attendees"),
    CheckConstraint(_in("over_budget", OVER_BUDGET_RULES), name="over_budget"),
    CheckConstraint(
        "participant_count >= 0 AND participant_count <= max_participants",
        name="participant_cap",
    ),
    Index(None, "status", "expires_at"),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "session_id",
        Uuid(as_uuid=True),
        ForeignKey("sessions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("display_name", String(50), nullable=False),
    Column("name_key", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("is_organizer", Boolean, nullable=False, server_default=false()),
    _ts("joined_at"),
    UniqueConstraint("session_id", "name_key"),
    UniqueConstraint("token_hash"),
    # Lets votes/availability reference (id, session_id) so a row can never
    # point at a participant of another plan.
    UniqueConstraint("id", "session_id"),
)

votes = Table(
    "votes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("session_id", Uuid(as_uuid=True), nullable=False),
    Column("participant_id", Id, nullable=False),
    Column("event_id", Id, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("interested", Boolean, nullable=False),
    _ts("updated_at"),
    ForeignKeyConstraint(
        ["participant_id", "session_id"],
        ["participants.id", "participants.session_id"],
        ondelete="CASCADE",
        name="fk_votes_participant_session",
    ),
    UniqueConstraint("session_id", "participant_id", "event_id"),
    Index(None, "session_id", "event_id"),
    Index(None, "event_id"),
)

availability_slots = Table(
    "availability_slots",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("session_id", Uuid(as_uuid=True), nullable=False),
    Column("participant_id", Id, nullable=False),
    Column("slot_date", Date, nullable=False),
    Column("slot_start", Time, nullable=False),
    Column("slot_end", Time, nullable=False),
    _ts("created_at"),
    ForeignKeyConstraint(
        ["participant_id", "session_id"],
        ["participants.id", "participants.session_id"],
        ondelete="CASCADE",
        name="fk_availability_slots_participant_session",
    ),
    UniqueConstraint(
        "session_id",
        "participant_id",
        "slot_date",
        "slot_start",
        name="uq_availability_slots_participant_slot",
    ),
    CheckConstraint("slot_end > slot_start", name="slot_order"),
    Index(None, "session_id", "slot_date"),
)

ingestion_runs = Table(
    "ingestion_runs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    _ts("started_at"),
    _ts("finished_at", nullable=True),
    Column("status", String(16), nullable=False),
    Column("strict", Boolean, nullable=False),
    Column("trigger", String(32), nullable=False),
    Column("pages", Integer, nullable=False, server_default="0"),
    Column("extracted", Integer, nullable=False, server_default="0"),
    Column("accepted", Integer, nullable=False, server_default="0"),
    Column("rejected", Integer, nullable=False, server_default="0"),
    Column("new", Integer, nullable=False, server_default="0"),
    Column("updated", Integer, nullable=False, server_default="0"),
    Column("unchanged", Integer, nullable=False, server_default="0"),
    Column("reject_reasons", Json, nullable=False),
    Column("dropped", Json, nullable=False, server_default=text("'{}'")),
    Column("error_text", Text, nullable=True),
    CheckConstraint(_in("status", RUN_STATUSES), name="status"),
    Index(None, "status", "finished_at"),
)

ingestion_source_checks = Table(
    "ingestion_source_checks",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("run_id", Id, ForeignKey("ingestion_runs.id", ondelete="CASCADE"), nullable=False),
    Column("source", String(64), nullable=False),
    Column("required", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
    _ts("started_at"),
    _ts("finished_at", nullable=True),
    Column("pages", Integer, nullable=False, server_default="0"),
    Column("extracted", Integer, nullable=False, server_default="0"),
    Column("accepted", Integer, nullable=False, server_default="0"),
    Column("rejected", Integer, nullable=False, server_default="0"),
    Column("new", Integer, nullable=False, server_default="0"),
    Column("updated", Integer, nullable=False, server_default="0"),
    Column("unchanged", Integer, nullable=False, server_default="0"),
    Column("reject_reasons", Json, nullable=False),
    Column("dropped", Json, nullable=False, server_default=text("'{}'")),
    Column("error_text", Text, nullable=True),
    CheckConstraint(_in("status", CHECK_STATUSES), name="status"),
    UniqueConstraint("run_id", "source"),
)

# --- Search (migration 0002) ---------------------------------------------------
# Derived data, rebuilt by `yescount reindex`: snapshots leave it out. The FTS5
# table (SQLite), the `search_tsv` column (PostgreSQL) and `event_embeddings`
# (pgvector) are maintained in SQL and by `yescount.search`, not declared here.

search_index_meta = Table(
    "search_index_meta",
    metadata,
    Column("backend", String(32), primary_key=True),
    Column("model", String(200), nullable=False),
    Column("dimension", Integer, nullable=False),
    _ts("updated_at"),
    CheckConstraint("dimension > 0", name="dimension"),
    info={"derived": True},
)

llm_cache = Table(
    "llm_cache",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("model", String(100), nullable=False),
    Column("response", Text, nullable=False),
    _ts("created_at"),
    info={"derived": True},
)
