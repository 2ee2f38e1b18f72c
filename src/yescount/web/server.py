"""One ASGI app: the Streamlit UI, health/metrics routes and the JSON API, run by uvicorn."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit as st
import uvicorn
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.routing import Mount
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from yescount.bootstrap import Container, build, optional_checks
from yescount.config import Settings, served_settings
from yescount.errors import ConfigError
from yescount.observability import configure_logging, get_logger
from yescount.ports import Clock
from yescount.services import ingestion
from yescount.web import context
from yescount.web.api import create_api
from yescount.web.assets import StaticAssets
from yescount.web.health import health_routes, readiness_report, search_warmup
from yescount.web.intake import RequestGuard
from yescount.web.metrics import MetricsMiddleware, WebMetrics, default_metrics
from yescount.web.probes import refresh_gauges

SCRIPT = Path(__file__).with_name("streamlit_app.py")
API_PREFIX = "/api/v1"


def create_app(
    settings: Settings,
    *,
    container: Container | None = None,
    clock: Clock | None = None,
    metrics: WebMetrics | None = None,
) -> Any:
    """Build the combined Streamlit + HTTP application (``st.App``)."""
    built = container or build(settings, clock=clock)
    metrics = metrics or default_metrics()
    context.configure(settings, container=built)
    api = create_api(built, metrics=metrics)
    warmup = search_warmup(built)
    routes = [
        *health_routes(
            built,
            metrics,
            optional_checks=optional_checks,
            refresh_gauges=refresh_gauges,
            warmup=warmup,
        ),
        Mount(API_PREFIX, app=api),
    ]

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[dict[str, Any]]:
        get_logger().info("web_start", base_url=settings.base_url)
        warmup.start()  # model + index load in the background; /readyz says "warming"
        await run_in_threadpool(refresh_if_stale, built)
        try:
            yield {"container": built}
        finally:
            warmup.stop()
            built.close()

    return st.App(
        str(SCRIPT),
        routes=routes,
        lifespan=lifespan,
        middleware=middleware_stack(settings, metrics),
    )


def middleware_stack(settings: Settings, metrics: WebMetrics) -> list[Middleware]:
    """Outermost first: static assets, proxy headers (trusted proxies only), metrics, guard.

    uvicorn's own proxy handling is off (``serve``); here ``X-Forwarded-For`` is believed
    only from ``TRUSTED_PROXIES``, for HTTP and websockets alike, so per-client limits in
    the API and the UI key on the real client.
    """
    stack = []
    trusted = settings.trusted_proxy_list
    if trusted:
        stack.append(Middleware(ProxyHeadersMiddleware, trusted_hosts=trusted))
    return [
        Middleware(StaticAssets),  # hashed JS/CSS/fonts from memory, gzip: before all else
        *stack,
        Middleware(MetricsMiddleware, metrics=metrics),
        Middleware(
            RequestGuard,
            max_body_bytes=settings.max_request_body_bytes,
            json_prefix=f"{API_PREFIX}/",
            metrics=metrics,
        ),
    ]


def refresh_if_stale(container: Container) -> bool:
    """Start a background ingestion run when listings are stale (never blocks start-up)."""
    try:
        deps = container.ingestion()
        if ingestion.should_refresh(deps):
            started = ingestion.start_background_refresh(
                deps, after_store=container.embed_stored_events()
            )
            get_logger().info("ingestion_auto_refresh", started=started)
            return started
    except Exception as exc:  # stale listings must never keep the app from serving
        get_logger().warning("ingestion_auto_refresh_failed", error=type(exc).__name__)
    return False


def ensure_ready(settings: Settings) -> None:
    """Refuse to start unless the required readiness checks pass (actionable message)."""
    container = build(settings)
    try:
        report = readiness_report(container)
    finally:
        container.close()
    failed = [c for c in report.checks if c.required and c.status == "failed"]
    if failed:
        lines = "\n  - ".join(f"{c.name}: {c.detail}" for c in failed)
        raise ConfigError(
            f"Cannot start the web app; readiness failed:\n  - {lines}\n"
            "Run `yescount check` for the full report.",
            code="not_ready",
        )


def serve(settings: Settings, *, host: str, port: int) -> None:
    """Check readiness, then run the app with uvicorn until interrupted."""
    settings = served_settings(settings, host=host, port=port)
    configure_logging(settings.log_level)
    ensure_ready(settings)
    get_logger().info("web_listen", host=host, port=port)
    # Requests are counted and timed by /metrics and errors logged as JSON with their
    # context id. Access lines would also write personal links (`?me=<token>`) to the
    # logs; Streamlit re-attaches a handler to uvicorn's access logger after uvicorn
    # removed it, so the logger itself is switched off.
    logging.getLogger("uvicorn.access").disabled = True
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1; middleware_stack decides.
        proxy_headers=False,
        log_config=None,  # dictConfig would switch the access logger back on
    )
