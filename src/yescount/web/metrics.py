"""Prometheus metrics of the web process, kept in their own registry.

A private ``CollectorRegistry`` (not the global default) keeps tests and
several apps in one process independent, and ``/metrics`` shows only what
YesCount itself measures.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Latency buckets around the targets (vote p95 ≤ 50 ms, page runs ≤ 300 ms).
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


@dataclass
class WebMetrics:
    """Every metric the web process exports."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.requests = Counter(
            "yescount_http_requests",
            "HTTP requests by route template, method and status code.",
            ["route", "method", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "yescount_http_request_duration_seconds",
            "HTTP request latency by route template.",
            ["route", "method"],
            buckets=_BUCKETS,
            registry=r,
        )
        self.errors = Counter(
            "yescount_errors", "Errors answered to users, by error code.", ["code"], registry=r
        )
        self.sessions_created = Counter("yescount_sessions_created", "Plans created.", registry=r)
        self.joins = Counter("yescount_joins", "Participants joined (new joins only).", registry=r)
        self.votes = Counter("yescount_votes", "Votes cast (yes or skip).", registry=r)
        self.availability_saves = Counter(
            "yescount_availability_saves", "Availability sets saved.", registry=r
        )
        self.page_runs = Histogram(
            "yescount_page_run_seconds",
            "Server-side Streamlit script runs by view.",
            ["view"],
            buckets=_BUCKETS,
            registry=r,
        )
        self.ingestion_last_finished = Gauge(
            "yescount_ingestion_last_run_finished_timestamp_seconds",
            "Unix time the last finished ingestion run ended (0: none yet).",
            registry=r,
        )
        self.ingestion_last_status = Gauge(
            "yescount_ingestion_last_run_status",
            "1 for the status of the last finished ingestion run, 0 for the others.",
            ["status"],
            registry=r,
        )
        self.ingestion_last_accepted = Gauge(
            "yescount_ingestion_last_run_accepted_events",
            "Events accepted by the last finished ingestion run.",
            registry=r,
        )
        self.events_stored = Gauge("yescount_events_stored", "Events currently stored.", registry=r)

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


_DEFAULT = WebMetrics()


def default_metrics() -> WebMetrics:
    """The process-wide metrics (the Streamlit script and the server share them)."""
    return _DEFAULT


def route_label(scope: Scope) -> str:
    """The matched route template ("/api/v1/sessions/{session_id}"), never the raw path."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return "unmatched"
    return f"{scope.get('root_path', '')}{path}" or "/"


class MetricsMiddleware:
    """Pure ASGI middleware: counts and times every HTTP request by route template."""

    def __init__(self, app: ASGIApp, metrics: WebMetrics | None = None) -> None:
        self.app = app
        self.metrics = metrics or default_metrics()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            label = route_label(scope)
            method = str(scope.get("method", "GET"))
            self.metrics.latency.labels(label, method).observe(time.perf_counter() - started)
            self.metrics.requests.labels(label, method, str(status["code"])).inc()


def timed(metrics: WebMetrics) -> Callable[[str], None]:
    """Start timing a page run; call the returned function with the view name at the end."""
    started = time.perf_counter()

    def stop(view: str) -> None:
        metrics.page_runs.labels(view).observe(time.perf_counter() - started)

    return stop
