"""Ingestion runs and per-source checks (filled in by the ingestion work)."""

from __future__ import annotations

from sqlalchemy import Connection


class IngestionRunRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
