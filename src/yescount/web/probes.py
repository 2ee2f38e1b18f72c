"""Optional readiness checks and scrape-time gauges (vector index, ingestion runs).

Both checks are ``required=False``: a missing or empty vector index, or stale
listings, make the app ``degraded`` (search falls back to keywords, the events
already stored stay usable) but never take it out of rotation.
"""

from __future__ import annotations

import time
from datetime import timedelta

from yescount.bootstrap import Container
from yescount.observability import get_logger
from yescount.services.readiness import Check, CheckStatus, OptionalCheck
from yescount.web.metrics import WebMetrics

RUN_STATUSES = ("running", "success", "degraded", "failed")


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def vector_index_check(container: Container) -> Check:
    """The vector index answers and holds vectors (else search is keyword-only)."""
    started = time.perf_counter()
    try:
        info = container.vector_index.info()
    except Exception as exc:  # any failure of an optional part only degrades
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        return Check("vector_index", "degraded", reason, required=False, duration_ms=_ms(started))
    if info.count == 0:
        detail = f"{info.backend}: empty — run `yescount reindex` for smart search"
        return Check("vector_index", "degraded", detail, required=False, duration_ms=_ms(started))
    detail = f"{info.backend}: {info.count} vectors ({info.model})"
    return Check("vector_index", "ok", detail, required=False, duration_ms=_ms(started))


def ingestion_check(container: Container) -> Check:
    """The last ingestion run, and whether the listings are fresh enough."""
    started = time.perf_counter()
    settings = container.settings
    try:
        with container.uow(write=False) as uow:
            latest = uow.ingestion_runs.latest()
            last_success = uow.ingestion_runs.last_success_at()
    except Exception as exc:
        detail = f"cannot read ingestion runs: {type(exc).__name__}"
        return Check("ingestion", "degraded", detail, required=False, duration_ms=_ms(started))
    if latest is None:
        detail = "no ingestion run yet (demo or stored events only)"
        return Check("ingestion", "degraded", detail, required=False, duration_ms=_ms(started))
    finished = latest.finished_at.isoformat() if latest.finished_at else "still running"
    detail = f"last run #{latest.id} {latest.status} ({finished})"
    limit = timedelta(hours=settings.ingestion_max_staleness_hours)
    fresh = last_success is not None and container.clock() - last_success <= limit
    status: CheckStatus = "ok" if fresh and latest.status in ("success", "running") else "degraded"
    if not fresh:
        detail += f"; no successful run in the last {settings.ingestion_max_staleness_hours} h"
    return Check("ingestion", status, detail, required=False, duration_ms=_ms(started))


def optional_checks(container: Container) -> tuple[OptionalCheck, ...]:
    """Checks that may degrade readiness but never fail it."""
    return (lambda: vector_index_check(container), lambda: ingestion_check(container))


def refresh_gauges(container: Container, metrics: WebMetrics) -> None:
    """Mirror stored state (last ingestion run, events stored) into gauges."""
    try:
        with container.uow(write=False) as uow:
            latest = uow.ingestion_runs.latest()
            stored = uow.events.count()
    except Exception as exc:  # a scrape must answer even when the database does not
        get_logger().warning("metrics_refresh_failed", error=type(exc).__name__)
        return
    metrics.events_stored.set(stored)
    if latest is None:
        return
    finished = latest.finished_at.timestamp() if latest.finished_at else 0.0
    metrics.ingestion_last_finished.set(finished)
    metrics.ingestion_last_accepted.set(latest.counts.accepted)
    for status in RUN_STATUSES:
        metrics.ingestion_last_status.labels(status).set(1 if latest.status == status else 0)
