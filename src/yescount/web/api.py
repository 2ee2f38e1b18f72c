"""The JSON API (FastAPI, mounted at ``/api/v1``): the journey for scripts, smoke and load tests.

Thin: parse input, call one service, shape the answer. Errors become JSON in
one place (``web.errors``); tokens travel in ``Authorization: Bearer``.
"""

from __future__ import annotations

from fastapi import FastAPI

from yescount.bootstrap import Container
from yescount.web.deps import budget_dependency
from yescount.web.errors import install_error_handlers
from yescount.web.metrics import WebMetrics
from yescount.web.offload import Offload
from yescount.web.ratelimit import RateLimiter
from yescount.web.routes import catalog, results, sessions, votes


def create_api(
    container: Container, *, metrics: WebMetrics, limiter: RateLimiter | None = None
) -> FastAPI:
    """Build the FastAPI app bound to one container (mount it at ``/api/v1``)."""
    api = FastAPI(
        title="YesCount API",
        version="1",
        description="Plan one NYC outing with friends: create, join, vote, availability, picks.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    install_error_handlers(api, metrics)
    # The container's limiter is the one the Streamlit pages use too.
    budget = budget_dependency(limiter or container.rate_limiter)
    off = Offload()
    api.include_router(sessions.router(container, off, metrics, budget))
    api.include_router(votes.router(container, off, metrics))
    api.include_router(results.router(container, off))
    api.include_router(catalog.router(container, off, budget))
    return api
