"""Sessions, participants, votes and availability (filled in by the planning core)."""

from __future__ import annotations

from sqlalchemy import Connection


class SessionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn


class ParticipantRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn


class VoteRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn


class AvailabilityRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
