"""``yescount serve --port N`` without BASE_URL gives share links on port N (issue 8 §8)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx

from tests.e2e.conftest import free_port, wait_until_healthy
from yescount.domain import newyork
from yescount.ports import system_clock
from yescount.storage import migrate
from yescount.storage.engine import make_engine


def test_share_links_point_at_the_served_port(tmp_path: Path) -> None:
    db = tmp_path / "links.db"
    engine = make_engine(f"sqlite:///{db}")
    migrate.migrate_to(engine, "head")
    engine.dispose()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "BASE_URL"}
    env.update(
        DATABASE_URL="",
        SQLITE_DB_PATH=str(db),
        CHROMA_PERSIST_DIR=str(tmp_path / "chroma"),
        INGESTION_AUTO_REFRESH="false",
        YESCOUNT_ENV="development",
        HF_HUB_OFFLINE="1",
    )
    log = tmp_path / "server.log"
    command = [str(Path(sys.executable).parent / "yescount"), "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process, log)
        start = newyork.today(system_clock) + timedelta(days=1)
        body = {
            "name": "Links",
            "organizer_name": "Ema",
            "date_start": start.isoformat(),
            "date_end": (start + timedelta(days=2)).isoformat(),
        }
        made = httpx.post(f"{base}/api/v1/sessions", json=body, timeout=30).json()
    finally:
        process.terminate()
        process.wait(timeout=15)
    for link in ("share_url", "personal_url", "organizer_url"):
        assert made[link].startswith(f"http://localhost:{port}/?session="), made[link]
