"""Initial schema: events, plans, participants, votes, availability, ingestion runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
UUID = sa.Uuid(as_uuid=True)


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _counts() -> list[sa.Column]:  # type: ignore[type-arg]
    names = ("pages", "extracted", "accepted", "rejected", "new", "updated", "unchanged")
    return [sa.Column(n, sa.Integer(), nullable=False, server_default="0") for n in names]


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("source_id", sa.String(255), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("time_start", sa.Time(), nullable=True),
        sa.Column("time_end", sa.Time(), nullable=True),
        sa.Column("date_status", sa.String(16), nullable=False),
        sa.Column("date_confidence", sa.Float(), nullable=False, server_default="0"),
        sa.Column("date_evidence", sa.Text(), nullable=True),
        sa.Column("location", sa.String(300), nullable=True),
        sa.Column("price_min", sa.Numeric(10, 2), nullable=True),
        sa.Column("price_max", sa.Numeric(10, 2), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("image_url", sa.Text(), nullable=True),
        sa.Column("vibe_tags", JSON, nullable=False),
        sa.Column("extraction_method", sa.String(32), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("raw_payload", JSON, nullable=True),
        sa.Column("source_links", JSON, nullable=False),
        sa.Column(
            "duplicate_of_id",
            ID,
            sa.ForeignKey(
                "events.id", ondelete="SET NULL", name="fk_events_duplicate_of_id_events"
            ),
            nullable=True,
        ),
        sa.Column("is_demo", sa.Boolean(), nullable=False, server_default=sa.false()),
        _ts("first_seen_at"),
        _ts("last_seen_at"),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("source", "source_id", name="uq_events_source_source_id"),
        sa.CheckConstraint(
            "date_status IN ('single', 'range', 'multiple', 'unclear')",
            name="ck_events_date_status",
        ),
        sa.CheckConstraint(
            "date_confidence >= 0 AND date_confidence <= 1", name="ck_events_date_confidence"
        ),
        sa.CheckConstraint(
            "date_end IS NULL OR date_start IS NULL OR date_end >= date_start",
            name="ck_events_date_order",
        ),
        sa.CheckConstraint("price_min IS NULL OR price_min >= 0", name="ck_events_price_min"),
        sa.CheckConstraint(
            "price_max IS NULL OR price_min IS NULL OR price_max >= price_min",
            name="ck_events_price_order",
        ),
    )
    op.create_index("ix_events_date_start_date_end", "events", ["date_start", "date_end"])
    op.create_index("ix_events_is_demo", "events", ["is_demo"])
    op.create_index("ix_events_duplicate_of_id", "events", ["duplicate_of_id"])

    op.create_table(
        "sessions",
        sa.Column("id", UUID, nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("organizer_token_hash", sa.String(64), nullable=False),
        sa.Column("date_start", sa.Date(), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=False),
        sa.Column("budget_cap", sa.Numeric(10, 2), nullable=True),
        sa.Column("vibe_tags", JSON, nullable=False),
        sa.Column("min_attendees", sa.Integer(), nullable=True),
        sa.Column("blackout_dates", JSON, nullable=False),
        sa.Column("max_participants", sa.Integer(), nullable=False),
        sa.Column("participant_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column(
            "locked_event_id",
            ID,
            sa.ForeignKey(
                "events.id", ondelete="SET NULL", name="fk_sessions_locked_event_id_events"
            ),
            nullable=True,
        ),
        sa.Column("locked_date", sa.Date(), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        _ts("expires_at"),
        _ts("locked_at", nullable=True),
        _ts("archived_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.CheckConstraint("status IN ('open', 'locked', 'archived')", name="ck_sessions_status"),
        sa.CheckConstraint("date_end >= date_start", name="ck_sessions_window_order"),
        sa.CheckConstraint("budget_cap IS NULL OR budget_cap >= 0", name="ck_sessions_budget_cap"),
        sa.CheckConstraint(
            "min_attendees IS NULL OR min_attendees >= 1", name="ck_sessions_min_attendees"
        ),
        sa.CheckConstraint(
            "participant_count >= 0 AND participant_count <= max_participants",
            name="ck_sessions_participant_cap",
        ),
    )
    op.create_index("ix_sessions_status_expires_at", "sessions", ["status", "expires_at"])

    op.create_table(
        "participants",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column(
            "session_id",
            UUID,
            sa.ForeignKey(
                "sessions.id", ondelete="CASCADE", name="fk_participants_session_id_sessions"
            ),
            nullable=False,
        ),
        sa.Column("display_name", sa.String(50), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("is_organizer", sa.Boolean(), nullable=False, server_default=sa.false()),
        _ts("joined_at"),
        sa.PrimaryKeyConstraint("id", name="pk_participants"),
        sa.UniqueConstraint("session_id", "name_key", name="uq_participants_session_id_name_key"),
        sa.UniqueConstraint("token_hash", name="uq_participants_token_hash"),
        sa.UniqueConstraint("id", "session_id", name="uq_participants_id_session_id"),
    )

    op.create_table(
        "votes",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("session_id", UUID, nullable=False),
        sa.Column("participant_id", ID, nullable=False),
        sa.Column(
            "event_id",
            ID,
            sa.ForeignKey("events.id", ondelete="CASCADE", name="fk_votes_event_id_events"),
            nullable=False,
        ),
        sa.Column("interested", sa.Boolean(), nullable=False),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_votes"),
        sa.ForeignKeyConstraint(
            ["participant_id", "session_id"],
            ["participants.id", "participants.session_id"],
            ondelete="CASCADE",
            name="fk_votes_participant_session",
        ),
        sa.UniqueConstraint(
            "session_id",
            "participant_id",
            "event_id",
            name="uq_votes_session_id_participant_id_event_id",
        ),
    )
    op.create_index("ix_votes_session_id_event_id", "votes", ["session_id", "event_id"])
    op.create_index("ix_votes_event_id", "votes", ["event_id"])

    op.create_table(
        "availability_slots",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("session_id", UUID, nullable=False),
        sa.Column("participant_id", ID, nullable=False),
        sa.Column("slot_date", sa.Date(), nullable=False),
        sa.Column("slot_start", sa.Time(), nullable=False),
        sa.Column("slot_end", sa.Time(), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_availability_slots"),
        sa.ForeignKeyConstraint(
            ["participant_id", "session_id"],
            ["participants.id", "participants.session_id"],
            ondelete="CASCADE",
            name="fk_availability_slots_participant_session",
        ),
        sa.UniqueConstraint(
            "session_id",
            "participant_id",
            "slot_date",
            "slot_start",
            name="uq_availability_slots_participant_slot",
        ),
        sa.CheckConstraint("slot_end > slot_start", name="ck_availability_slots_slot_order"),
    )
    op.create_index(
        "ix_availability_slots_session_id_slot_date",
        "availability_slots",
        ["session_id", "slot_date"],
    )

    op.create_table(
        "ingestion_runs",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        _ts("started_at"),
        _ts("finished_at", nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("strict", sa.Boolean(), nullable=False),
        sa.Column("trigger", sa.String(32), nullable=False),
        *_counts(),
        sa.Column("reject_reasons", JSON, nullable=False),
        sa.Column("error_text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ingestion_runs"),
        sa.CheckConstraint(
            "status IN ('running', 'success', 'degraded', 'failed')",
            name="ck_ingestion_runs_status",
        ),
    )
    op.create_index(
        "ix_ingestion_runs_status_finished_at", "ingestion_runs", ["status", "finished_at"]
    )

    op.create_table(
        "ingestion_source_checks",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column(
            "run_id",
            ID,
            sa.ForeignKey(
                "ingestion_runs.id",
                ondelete="CASCADE",
                name="fk_ingestion_source_checks_run_id_ingestion_runs",
            ),
            nullable=False,
        ),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _ts("started_at"),
        _ts("finished_at", nullable=True),
        *_counts(),
        sa.Column("reject_reasons", JSON, nullable=False),
        sa.Column("error_text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ingestion_source_checks"),
        sa.UniqueConstraint("run_id", "source", name="uq_ingestion_source_checks_run_id_source"),
        sa.CheckConstraint(
            "status IN ('success', 'degraded', 'failed', 'skipped')",
            name="ck_ingestion_source_checks_status",
        ),
    )


def downgrade() -> None:
    op.drop_table("ingestion_source_checks")
    op.drop_index("ix_ingestion_runs_status_finished_at", table_name="ingestion_runs")
    op.drop_table("ingestion_runs")
    op.drop_index("ix_availability_slots_session_id_slot_date", table_name="availability_slots")
    op.drop_table("availability_slots")
    op.drop_index("ix_votes_event_id", table_name="votes")
    op.drop_index("ix_votes_session_id_event_id", table_name="votes")
    op.drop_table("votes")
    op.drop_table("participants")
    op.drop_index("ix_sessions_status_expires_at", table_name="sessions")
    op.drop_table("sessions")
    op.drop_index("ix_events_duplicate_of_id", table_name="events")
    op.drop_index("ix_events_is_demo", table_name="events")
    op.drop_index("ix_events_date_start_date_end", table_name="events")
    op.drop_table("events")
