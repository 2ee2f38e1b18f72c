"""Through real uvicorn (``yescount serve``): X-Forwarded-For only from TRUSTED_PROXIES.

uvicorn on its own believes proxy headers from 127.0.0.1, so a local client could pick
any address per request and never meet a limit; these tests go through the served app
to prove the setting decides, both ways (issue 8 §6).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import free_port, wait_until_healthy
from yescount.storage import migrate
from yescount.storage.engine import make_engine

MISSING = "00000000-0000-4000-8000-000000000000"


def _previews(tmp_path: Path, trusted: str) -> list[int]:
    db = tmp_path / "proxy.db"
    engine = make_engine(f"sqlite:///{db}")
    migrate.migrate_to(engine, "head")
    engine.dispose()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": "",
        "SQLITE_DB_PATH": str(db),
        "CHROMA_PERSIST_DIR": str(tmp_path / "chroma"),
        "BASE_URL": f"http://127.0.0.1:{port}",
        "INGESTION_AUTO_REFRESH": "false",
        "YESCOUNT_ENV": "development",
        "HF_HUB_OFFLINE": "1",
        "PREVIEW_RATE_LIMIT_PER_MINUTE": "3",
        "TRUSTED_PROXIES": trusted,
    }
    log = tmp_path / "server.log"
    command = [str(Path(sys.executable).parent / "yescount"), "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process, log)
        with httpx.Client(base_url=base, timeout=30) as client:
            return [
                client.get(
                    f"/api/v1/sessions/{MISSING}", headers={"X-Forwarded-For": f"203.0.113.{i}"}
                ).status_code
                for i in range(5)
            ]
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [("", [404, 404, 404, 429, 429]), ("127.0.0.1", [404] * 5)],
    ids=["no-trusted-proxies", "loopback-trusted"],
)
def test_forwarded_for_counts_only_from_trusted_proxies(
    tmp_path: Path, trusted: str, expected: list[int]
) -> None:
    assert _previews(tmp_path, trusted) == expected
