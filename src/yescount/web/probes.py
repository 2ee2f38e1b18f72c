"""Optional readiness checks and scrape-time gauges (vector index, ingestion runs)."""

from __future__ import annotations

from yescount.bootstrap import Container
from yescount.services.readiness import OptionalCheck
from yescount.web.metrics import WebMetrics


def optional_checks(container: Container) -> tuple[OptionalCheck, ...]:
    """Checks that may degrade readiness but never fail it."""
    return ()


def refresh_gauges(container: Container, metrics: WebMetrics) -> None:
    """Mirror stored state (last ingestion run, events stored) into gauges."""
    return None
