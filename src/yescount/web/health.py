"""Plain HTTP routes of the server: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from yescount.bootstrap import Container
from yescount.search.vocabulary import load_vocabulary
from yescount.search.warmup import Warmup, remember_vectors
from yescount.services.readiness import OptionalCheck, ReadinessReport, readiness
from yescount.services.search import TERM_COUNTS_REFRESH_S, search_events, warm_term_counts
from yescount.shapes import readiness_json
from yescount.web.metrics import WebMetrics

# Seconds a client should wait before asking /readyz again while search warms up.
WARMING_RETRY_AFTER_S = 5

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


def search_warmup(container: Container) -> Warmup:
    """Model, index, vocabularies, the search words' counts and one real search, in that
    order (not started), then the index's vectors read into memory in the background
    (``remember_vectors``); the counts again every few minutes until shutdown."""

    def model() -> None:
        embedder = container.embedder
        warm = getattr(embedder, "warm_up", None)
        if callable(warm):
            warm()
        else:
            embedder.embed_query("warm up")

    def first_search() -> None:
        search_events(
            "something fun this weekend",
            uow_factory=container.uow,
            index=container.vector_index,
            embedder=container.embedder,
            clock=container.clock,
            limit=5,
        )

    def term_counts() -> None:
        warm_term_counts(container.uow)

    return Warmup(
        (
            ("vocabulary", load_vocabulary),
            ("model", model),
            ("index", lambda: container.vector_index.info()),
            ("term counts", term_counts),
            ("search", first_search),
            ("vectors", lambda: remember_vectors(container.vector_index)),  # in the background
        ),
        again=(("term counts", term_counts),),
        every_s=TERM_COUNTS_REFRESH_S,
    )


def readiness_body(report: ReadinessReport, warmup: Warmup | None) -> tuple[dict[str, Any], int]:
    """The /readyz JSON and status: ``warming`` (503) until search is warm."""
    body: dict[str, Any] = readiness_json(report)
    if warmup is None:
        return body, 200 if report.ready else 503
    state = warmup.state
    check = {
        "name": "search_warmup",
        "status": "ok" if state.status == "ready" else "degraded",
        "detail": state.detail,
        "required": False,
        "duration_ms": 0.0,
    }
    body["checks"] = [*body["checks"], check]
    if not warmup.finished and report.ready:
        body.update(ready=False, status="warming")
        return body, 503
    if state.status == "degraded" and body["status"] == "ok":
        body["status"] = "degraded"
    return body, 200 if report.ready else 503


def health_routes(
    container: Container,
    metrics: WebMetrics,
    *,
    optional_checks: ChecksFactory = _no_checks,
    refresh_gauges: Refresher = _no_refresh,
    warmup: Warmup | None = None,
) -> list[Route]:
    """``/healthz``, ``/readyz`` and ``/metrics`` bound to one container."""

    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_request: Request) -> JSONResponse:
        report = await run_in_threadpool(readiness_report, container, optional_checks)
        body, code = readiness_body(report, warmup)
        headers = {"Retry-After": str(WARMING_RETRY_AFTER_S)} if body["status"] == "warming" else {}
        return JSONResponse(body, status_code=code, headers=headers)

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
