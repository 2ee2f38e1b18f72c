"""A run killed with SIGKILL mid-transaction leaves the database consistent; the next run completes.

``paused_ingest.py`` runs the ingestion service in a subprocess against a migrated
SQLite file and a PostgreSQL database; its ``on_stored`` hook stops inside the second
source's write transaction after its first event and says so on stdout; the test
kills the process right there. The next run is the real console script.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, func, select

from yescount.storage.repositories.ingestion_runs import RunLock
from yescount.storage.tables import events, ingestion_runs, ingestion_source_checks

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "pages"
CLI = Path(sys.executable).with_name("yescount")
PAUSED = Path(__file__).with_name("paused_ingest.py")


def _env(db_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YESCOUNT_TEST_")}
    env.update(
        DATABASE_URL=db_url,
        SOURCES_CONFIG_PATH=str(ROOT / "config" / "sources.yaml"),
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def _ingest_args() -> list[str]:
    return [str(CLI), "ingest", "--from-dir", str(PAGES), "--as-of", "2026-11-20"]


def _count(engine: Engine, source: str | None = None) -> int:
    query = select(func.count()).select_from(events)
    if source:
        query = query.where(events.c.source == source)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _kill_during_second_source(db_url: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(PAUSED), str(PAGES), "2026-11-20", "timeout_newyork"],
        env=_env(db_url),
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the pause (or the process ends)
    assert line.strip() == "paused source=timeout_newyork", (
        f"the run ended before the pause (exit {proc.wait()})"
    )
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def _wait_for_lock(engine: Engine) -> None:
    """PostgreSQL frees a dead client's advisory lock once it notices the closed socket."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        lock = RunLock.try_acquire(engine)
        if lock is not None:
            lock.release()
            return
        time.sleep(0.2)
    raise AssertionError("the killed run's lock was never released")


def test_sigkill_mid_run_then_next_run_completes(db_url: str, engine: Engine) -> None:
    _kill_during_second_source(db_url)

    with engine.connect() as conn:
        runs = conn.execute(select(ingestion_runs)).mappings().all()
        checks = conn.execute(select(ingestion_source_checks)).mappings().all()
    assert [r["status"] for r in runs] == ["running"]
    assert [(c["source"], c["status"]) for c in checks] == [("secretnyc", "success")]
    first_source = _count(engine, "secretnyc")
    assert first_source == checks[0]["new"] > 0  # the committed source is complete
    assert _count(engine, "timeout_newyork") == 0  # the killed transaction left nothing

    _wait_for_lock(engine)
    done = subprocess.run(
        _ingest_args(), env=_env(db_url), cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr

    with engine.connect() as conn:
        runs = conn.execute(select(ingestion_runs).order_by(ingestion_runs.c.id)).mappings().all()
    assert [r["status"] for r in runs] == ["failed", "success"]
    assert "abandoned" in (runs[0]["error_text"] or "")
    assert runs[0]["finished_at"] is not None
    # The first source's events were kept as they were; everything else is new, once.
    assert (runs[1]["unchanged"], runs[1]["updated"]) == (first_source, 0)
    assert _count(engine) == first_source + runs[1]["new"]
    assert _count(engine, "secretnyc") == first_source
    assert _count(engine, "timeout_newyork") > 0
