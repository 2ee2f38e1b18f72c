"""Scrape-time gauges mirroring stored state (last ingestion run, events stored)."""

from __future__ import annotations

from yescount.bootstrap import Container
from yescount.observability import get_logger
from yescount.web.metrics import WebMetrics

RUN_STATUSES = ("running", "success", "degraded", "failed")


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
