"""Plain HTTP routes of the server: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from yescount.bootstrap import Container
from yescount.services.readiness import OptionalCheck, ReadinessReport, readiness
from yescount.web.metrics import WebMetrics

ChecksFactory = Callable[[Container], tuple[OptionalCheck, ...]]
Refresher = Callable[[Container, WebMetrics], None]


def _no_checks(_container: Container) -> tuple[OptionalCheck, ...]:
    return ()


def _no_refresh(_container: Container, _metrics: WebMetrics) -> None:
    return None


def readiness_report(
    container: Container, optional_checks: ChecksFactory = _no_checks
) -> ReadinessReport:
    """Required checks (config, database, migrations) plus the optional ones."""
    return readiness(
        container.settings, container.database_probe(), optional=optional_checks(container)
    )


def health_routes(
    container: Container,
    metrics: WebMetrics,
    *,
    optional_checks: ChecksFactory = _no_checks,
    refresh_gauges: Refresher = _no_refresh,
) -> list[Route]:
    """``/healthz``, ``/readyz`` and ``/metrics`` bound to one container."""

    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_request: Request) -> JSONResponse:
        report = await run_in_threadpool(readiness_report, container, optional_checks)
        body: dict[str, Any] = report.to_dict()
        return JSONResponse(body, status_code=200 if report.ready else 503)

    async def metrics_route(_request: Request) -> Response:
        # Gauges that mirror stored state are refreshed at scrape time; a failing
        # database must not break the scrape, so errors are swallowed there.
        await run_in_threadpool(refresh_gauges, container, metrics)
        payload, content_type = metrics.render()
        return Response(payload, media_type=content_type)

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_route, methods=["GET"]),
    ]
