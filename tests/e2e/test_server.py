"""The server's plain routes: liveness, readiness, metrics, rate limits, refusing to start."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from tests.e2e.conftest import served, settings_for
from yescount.bootstrap import build
from yescount.errors import ConfigError
from yescount.web.metrics import WebMetrics
from yescount.web.server import create_app, ensure_ready

UNREACHABLE_PG = "postgresql://postgres@127.0.0.1:1/nothing"


def _app_for(url: str, tmp_path: Path, **overrides: object) -> Any:
    settings = settings_for(url, tmp_path, **overrides)
    return create_app(settings, metrics=WebMetrics())


def _ready_after_warmup(client: TestClient) -> Any:
    """/readyz once search warmed up (it says "warming", 503 + Retry-After, until then)."""
    for _ in range(600):
        response = client.get("/readyz")
        if response.json()["status"] != "warming":
            return response
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        time.sleep(0.5)
    raise AssertionError("search never finished warming up")


def test_healthz_and_readyz_when_ready(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = _ready_after_warmup(client)
    assert ready.status_code == 200
    body = ready.json()
    assert body["ready"] is True
    names = {c["name"]: c["status"] for c in body["checks"]}
    assert names["database"] == "ok"
    assert names["migrations"] == "ok"
    # Optional parts: an empty vector index and no ingestion run degrade, never fail.
    assert names["vector_index"] == "degraded"
    assert names["ingestion"] == "degraded"
    assert body["status"] == "degraded"
    optional = {c["name"]: c["required"] for c in body["checks"]}
    assert optional["vector_index"] is False


@pytest.mark.parametrize("where", ["unreachable", "unmigrated"])
def test_readyz_is_503_when_the_database_is_not_fit(tmp_path: Path, where: str) -> None:
    url = UNREACHABLE_PG if where == "unreachable" else f"sqlite:///{tmp_path / 'empty.db'}"
    with served(_app_for(url, tmp_path)) as client:
        response = client.get("/readyz")
        assert client.get("/healthz").status_code == 200
    assert response.status_code == 503
    checks = {c["name"]: c for c in response.json()["checks"]}
    failing = "database" if where == "unreachable" else "migrations"
    assert checks[failing]["status"] == "failed"
    assert response.json()["ready"] is False


def test_serve_refuses_to_start_with_pending_migrations(tmp_path: Path) -> None:
    settings = settings_for(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path)
    with pytest.raises(ConfigError, match="yescount migrate"):
        ensure_ready(settings)


def test_metrics_parse_and_count_by_route_template(
    client: TestClient, metrics: WebMetrics, event_ids: list[int]
) -> None:
    client.get("/healthz")
    client.get("/api/v1/sessions/00000000-0000-4000-8000-000000000000")
    text = client.get("/metrics").text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    requests = {
        (s.labels["route"], s.labels["status"]): s.value
        for s in families["yescount_http_requests"].samples
        if s.name.endswith("_total")
    }
    assert requests[("/healthz", "200")] == 1
    assert requests[("/api/v1/sessions/{session_id}", "404")] == 1
    errors = {s.labels["code"]: s.value for s in families["yescount_errors"].samples}
    assert errors["session_not_found"] == 1
    assert "yescount_http_request_duration_seconds" in families
    assert "yescount_ingestion_last_run_finished_timestamp_seconds" in families
    stored = families["yescount_events_stored"].samples[0].value
    assert stored == len(event_ids)


def test_public_preview_is_rate_limited_per_client(db_url: str, tmp_path: Path) -> None:
    container_settings = settings_for(db_url, tmp_path, preview_rate_limit_per_minute=3)
    built = build(container_settings)
    with served(create_app(container_settings, container=built, metrics=WebMetrics())) as c:
        url = "/api/v1/sessions/00000000-0000-4000-8000-000000000000"
        statuses = [c.get(url).status_code for _ in range(4)]
        limited = c.get(url)
        # Votes and other token writes are not limited by the preview budget.
        assert c.get("/api/v1/openapi.json").status_code == 200
    assert statuses == [404, 404, 404, 429]
    assert limited.status_code == 429
    assert limited.json()["error_code"] == "rate_limited"
    assert limited.json()["retryable"] is True
    assert 1 <= int(limited.headers["retry-after"]) <= 60
