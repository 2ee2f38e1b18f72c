"""Readiness: is this configuration and its database fit to serve?"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from yescount.config import Settings, startup_problems
from yescount.errors import StorageError
from yescount.ports import Clock, DatabaseProbe, UnitOfWorkFactory, VectorIndex

CheckStatus = Literal["ok", "degraded", "failed"]


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: CheckStatus
    detail: str
    required: bool = True
    duration_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class ReadinessReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(c.status != "failed" for c in self.checks if c.required)

    @property
    def status(self) -> CheckStatus:
        if not self.ready:
            return "failed"
        return "degraded" if any(c.status != "ok" for c in self.checks) else "ok"


OptionalCheck = Callable[[], Check]


def readiness(
    settings: Settings, database: DatabaseProbe, *, optional: tuple[OptionalCheck, ...] = ()
) -> ReadinessReport:
    """Run the required checks (configuration, database, migrations) and optional ones."""
    checks = [_config_check(settings), _database_check(database)]
    if checks[-1].status == "ok":
        checks.append(_migrations_check(database))
    else:
        checks.append(Check("migrations", "failed", "skipped: database unreachable"))
    for run_check in optional:
        checks.append(run_check())
    return ReadinessReport(checks)


def _config_check(settings: Settings) -> Check:
    problems = startup_problems(settings)
    if problems:
        return Check("config", "failed", "; ".join(problems))
    backend = "postgresql" if settings.is_postgres else "sqlite"
    return Check("config", "ok", f"{settings.yescount_env.value}, {backend}")


def _database_check(database: DatabaseProbe) -> Check:
    started = time.perf_counter()
    try:
        database.ping()
    except StorageError as exc:
        detail = f"unreachable: {exc.message}"
        return Check("database", "failed", detail, duration_ms=_ms(started))
    return Check("database", "ok", f"{database.dialect} reachable", duration_ms=_ms(started))


def _migrations_check(database: DatabaseProbe) -> Check:
    try:
        current, head = database.revisions()
    except StorageError as exc:
        return Check("migrations", "failed", exc.message)
    if current == head:
        return Check("migrations", "ok", f"at head {head}")
    return Check(
        "migrations", "failed", f"at {current or 'base'}, head is {head}: run `yescount migrate`"
    )


def require_current_schema(database: DatabaseProbe) -> None:
    """Say "run migrate" rather than a confusing SQL error on an unmigrated database."""
    current, head = database.revisions()
    if current != head:
        raise StorageError(
            f"The database schema is at {current or 'base'}, not {head}; "
            "run `yescount migrate` first.",
            code="schema_not_current",
            retryable=False,
        )


# --- Optional parts: they may degrade readiness but never fail it -----------------
# A missing or empty vector index, or stale listings, make the app ``degraded``
# (search falls back to keywords, stored events stay usable).


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def vector_index_check(index: Callable[[], VectorIndex]) -> Check:
    """The vector index answers and holds vectors (else search is keyword-only)."""
    started = time.perf_counter()
    try:
        info = index().info()
    except Exception as exc:  # any failure of an optional part only degrades
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        return Check("vector_index", "degraded", reason, required=False, duration_ms=_ms(started))
    if info.count == 0:
        detail = f"{info.backend}: empty — run `yescount reindex` for smart search"
        return Check("vector_index", "degraded", detail, required=False, duration_ms=_ms(started))
    detail = f"{info.backend}: {info.count} vectors ({info.model})"
    return Check("vector_index", "ok", detail, required=False, duration_ms=_ms(started))


def ingestion_check(uow: UnitOfWorkFactory, clock: Clock, *, max_staleness_hours: int) -> Check:
    """The last ingestion run, and whether the listings are fresh enough."""
    started = time.perf_counter()
    try:
        with uow(write=False) as work:
            latest = work.ingestion_runs.latest()
            last_success = work.ingestion_runs.last_success_at()
    except Exception as exc:
        detail = f"cannot read ingestion runs: {type(exc).__name__}"
        return Check("ingestion", "degraded", detail, required=False, duration_ms=_ms(started))
    if latest is None:
        detail = "no ingestion run yet (demo or stored events only)"
        return Check("ingestion", "degraded", detail, required=False, duration_ms=_ms(started))
    finished = latest.finished_at.isoformat() if latest.finished_at else "still running"
    detail = f"last run #{latest.id} {latest.status} ({finished})"
    limit = timedelta(hours=max_staleness_hours)
    fresh = last_success is not None and clock() - last_success <= limit
    status: CheckStatus = "ok" if fresh and latest.status in ("success", "running") else "degraded"
    if not fresh:
        detail += f"; no successful run in the last {max_staleness_hours} h"
    return Check("ingestion", status, detail, required=False, duration_ms=_ms(started))
