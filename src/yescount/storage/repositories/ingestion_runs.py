"""Ingestion runs and per-source checks, plus the lock that keeps runs from overlapping."""

from __future__ import annotations

import fcntl
import os
import threading
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, RowMapping, func, insert, select, text, update

from yescount.domain.ingestion import Counts, RunStatus, RunSummary, SourceOutcome
from yescount.storage.tables import ingestion_runs, ingestion_source_checks

# pg_advisory_lock key for "an ingestion run is in progress" ("YESC" in ASCII).
ADVISORY_KEY = 0x59455343
_MEMORY_LOCK = threading.Lock()
SUCCESSFUL: tuple[str, ...] = ("success", "degraded")


def _counts(row: RowMapping) -> Counts:
    return Counts(
        pages=row["pages"],
        extracted=row["extracted"],
        accepted=row["accepted"],
        rejected=row["rejected"],
        new=row["new"],
        updated=row["updated"],
        unchanged=row["unchanged"],
        reject_reasons=dict(row["reject_reasons"] or {}),
        dropped=dict(row["dropped"] or {}),
    )


class IngestionRunRepository:
    """Rows of ``ingestion_runs`` and ``ingestion_source_checks``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def start(self, *, now: datetime, strict: bool, trigger: str) -> int:
        """Insert a ``running`` run and return its id."""
        values = {"started_at": now, "status": "running", "strict": strict, "trigger": trigger}
        stmt = (
            insert(ingestion_runs)
            .values(**values, reject_reasons={}, dropped={})
            .returning(ingestion_runs.c.id)
        )
        return int(self.conn.execute(stmt).scalar_one())

    def abandon_running(self, *, now: datetime, reason: str) -> list[int]:
        """Mark runs left ``running`` by a dead process as failed; returns their ids."""
        ids = [
            int(i)
            for i in self.conn.execute(
                select(ingestion_runs.c.id).where(ingestion_runs.c.status == "running")
            ).scalars()
        ]
        if ids:
            self.conn.execute(
                update(ingestion_runs)
                .where(ingestion_runs.c.id.in_(ids))
                .values(status="failed", finished_at=now, error_text=reason)
            )
        return ids

    def record_check(self, run_id: int, outcome: SourceOutcome) -> None:
        """Insert the row of one source's result."""
        self.conn.execute(
            insert(ingestion_source_checks).values(
                run_id=run_id,
                source=outcome.source,
                required=outcome.required,
                status=outcome.status,
                started_at=outcome.started_at,
                finished_at=outcome.finished_at,
                error_text=outcome.error_text,
                **outcome.counts.as_columns(),
            )
        )

    def finish(
        self,
        run_id: int,
        *,
        now: datetime,
        status: RunStatus,
        counts: Counts,
        error_text: str | None,
    ) -> None:
        """Write the final status and totals of a run."""
        self.conn.execute(
            update(ingestion_runs)
            .where(ingestion_runs.c.id == run_id)
            .values(status=status, finished_at=now, error_text=error_text, **counts.as_columns())
        )

    def last_success_at(self) -> datetime | None:
        """When the last ``success``/``degraded`` run finished (None if there was none)."""
        query = select(func.max(ingestion_runs.c.finished_at)).where(
            ingestion_runs.c.status.in_(SUCCESSFUL)
        )
        return self.conn.execute(query).scalar_one_or_none()

    def is_running(self) -> bool:
        query = (
            select(func.count())
            .select_from(ingestion_runs)
            .where(ingestion_runs.c.status == "running")
        )
        return bool(self.conn.execute(query).scalar_one())

    def get(self, run_id: int) -> RunSummary | None:
        """A run with its source checks."""
        row = (
            self.conn.execute(select(ingestion_runs).where(ingestion_runs.c.id == run_id))
            .mappings()
            .first()
        )
        return self._summary(row) if row else None

    def latest(self) -> RunSummary | None:
        """The most recently started run."""
        row = (
            self.conn.execute(select(ingestion_runs).order_by(ingestion_runs.c.id.desc()).limit(1))
            .mappings()
            .first()
        )
        return self._summary(row) if row else None

    def _summary(self, row: RowMapping) -> RunSummary:
        checks = self.conn.execute(
            select(ingestion_source_checks)
            .where(ingestion_source_checks.c.run_id == row["id"])
            .order_by(ingestion_source_checks.c.id)
        ).mappings()
        sources = [
            SourceOutcome(
                source=c["source"],
                required=bool(c["required"]),
                status=c["status"],
                started_at=c["started_at"],
                finished_at=c["finished_at"],
                counts=_counts(c),
                error_text=c["error_text"],
            )
            for c in checks
        ]
        return RunSummary(
            id=int(row["id"]),
            status=row["status"],
            strict=bool(row["strict"]),
            trigger=row["trigger"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
            counts=_counts(row),
            error_text=row["error_text"],
            sources=sources,
        )


class RunLock:
    """Held for a whole run so two runs never overlap, released by the OS if the process dies.

    PostgreSQL: a session-level advisory lock on a dedicated connection.
    SQLite: an exclusive ``flock`` on ``<database>.ingest.lock`` beside the file.
    """

    def __init__(self, release: Any) -> None:
        self._release = release
        self._held = True

    @classmethod
    def try_acquire(cls, engine: Engine) -> RunLock | None:
        """The lock, or None when another run holds it."""
        if engine.dialect.name == "postgresql":
            return cls._postgres(engine)
        database = engine.url.database
        if not database or database == ":memory:":
            return cls(_MEMORY_LOCK.release) if _MEMORY_LOCK.acquire(blocking=False) else None
        return cls._file(Path(database).with_name(Path(database).name + ".ingest.lock"))

    @classmethod
    def _postgres(cls, engine: Engine) -> RunLock | None:
        conn = engine.connect()
        try:
            got = conn.execute(select(func.pg_try_advisory_lock(ADVISORY_KEY))).scalar_one()
            conn.commit()
        except Exception:
            conn.close()
            raise
        if not got:
            conn.close()
            return None

        def release() -> None:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
                conn.commit()
            finally:
                conn.close()

        return cls(release)

    @classmethod
    def _file(cls, path: Path) -> RunLock | None:
        handle: IO[str] = path.open("a")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()

        def release() -> None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            finally:
                handle.close()

        return cls(release)

    def release(self) -> None:
        """Let the next run start (idempotent)."""
        if self._held:
            self._held = False
            self._release()

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
