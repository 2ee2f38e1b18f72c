"""`yescount smoke` against a real server process (make smoke / post-deploy check)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.cli_helpers import YESCOUNT, run_cli, sqlite_env
from yescount.smoke import run_smoke

pytestmark = pytest.mark.smoke


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """`yescount serve` on a free port with a migrated SQLite database and demo events."""
    env = sqlite_env(tmp_path)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    assert run_cli("demo", "load", env=env, cwd=tmp_path).returncode == 0
    port = _free_port()
    full_env = {
        **os.environ,
        **env,
        "HF_HUB_OFFLINE": "1",
        "INGESTION_AUTO_REFRESH": "false",
        "BASE_URL": f"http://127.0.0.1:{port}",
    }
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [str(YESCOUNT), "serve", "--port", str(port)],
        env=full_env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
        else:
            pytest.fail("server did not start: " + (tmp_path / "server.log").read_text())
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def test_smoke_journey_passes_against_a_live_server(live_server: str, tmp_path: Path) -> None:
    result = run_cli("smoke", "--base-url", live_server, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    for step in ("health", "create", "join", "vote", "availability", "results", "lock"):
        assert f"[ok  ] {step}" in result.stdout
    assert "PASSED" in result.stdout


def test_personal_links_never_reach_the_server_log(live_server: str, tmp_path: Path) -> None:
    marker = "personal-link-marker-7f3a"
    page = httpx.get(f"{live_server}/?session=00000000-0000-4000-8000-000000000000&me={marker}")
    assert page.status_code == 200
    time.sleep(0.5)
    log = (tmp_path / "server.log").read_text()
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
    report = run_smoke(f"http://127.0.0.1:{_free_port()}", timeout=2)
    assert not report.ok
    assert report.steps[0].name == "health"
    assert "ConnectError" in report.steps[0].detail
