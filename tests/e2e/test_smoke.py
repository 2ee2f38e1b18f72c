"""`yescount smoke` against a real server process (make smoke / post-deploy check)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.cli_helpers import run_cli
from tests.e2e.conftest import LiveServer, free_port
from yescount.smoke import run_smoke

pytestmark = pytest.mark.smoke


def _wait_for_line(log: Path, text: str, *, seconds: float = 30) -> str:
    """The server log once it holds ``text`` (polled, with a deadline)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        content = log.read_text(errors="replace")
        if text in content:
            return content
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never reached the server log")


def test_smoke_journey_passes_against_a_live_server(live_server: str, tmp_path: Path) -> None:
    result = run_cli("smoke", "--base-url", live_server, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("health", "create", "join", "vote", "availability", "results", "lock"):
        assert f"[ok  ] {step}" in result.stdout
    assert "PASSED" in result.stdout


def test_personal_links_never_reach_the_server_log(live_server_process: LiveServer) -> None:
    marker = "personal-link-marker-7f3a"
    base = live_server_process.base_url
    page = httpx.get(f"{base}/?session=00000000-0000-4000-8000-000000000000&me={marker}")
    assert page.status_code == 200
    # A later request that is logged (an API 404): once its line is in the log,
    # everything the page request logged is there too (one process, one stream).
    probe = "00000000-0000-4000-8000-00000000beef"
    assert httpx.get(f"{base}/api/v1/sessions/{probe}").status_code == 404
    log = _wait_for_line(live_server_process.log, probe)
    assert marker not in log


def test_smoke_reports_the_failing_step_and_stops() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/readyz":
            return httpx.Response(503, json={"ready": False})
        return httpx.Response(200, json={"status": "ok"})

    report = run_smoke("http://deploy.invalid", transport=httpx.MockTransport(handler))
    assert not report.ok
    assert [s.name for s in report.steps] == ["health"]
    assert "HTTP 503" in report.steps[0].detail


def test_smoke_fails_cleanly_when_nothing_listens() -> None:
    report = run_smoke(f"http://127.0.0.1:{free_port()}", timeout=2)
    assert not report.ok
    assert report.steps[0].name == "health"
    assert "ConnectError" in report.steps[0].detail


def test_smoke_waits_while_the_server_warms_up_then_goes_on() -> None:
    answers = iter([503, 503])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/readyz":
            status = next(answers, 200)
            body = {"ready": status == 200, "status": "warming" if status == 503 else "ok"}
            return httpx.Response(status, json=body, headers={"Retry-After": "0"})
        if request.url.path == "/healthz":
            return httpx.Response(200, json={"status": "ok"})
        return httpx.Response(404, json={"error_code": "not_found"})

    report = run_smoke("http://deploy.invalid", transport=httpx.MockTransport(handler))
    assert report.steps[0].name == "health"
    assert report.steps[0].ok, report.steps[0].detail
    assert next(answers, "done") == "done"  # both warming answers were waited through


def test_smoke_gives_up_on_a_server_that_never_warms() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"ready": False, "status": "warming"}
        return httpx.Response(503, json=body, headers={"Retry-After": "1"})

    report = run_smoke(
        "http://deploy.invalid", transport=httpx.MockTransport(handler), warmup_wait=0.5
    )
    assert not report.ok
    assert "HTTP 503" in report.steps[0].detail
