"""`yescount cleanup` archives expired plans through the real console script."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import FrozenClock
from tests.e2e.cli_helpers import run_cli, sqlite_env
from tests.factories.planning import make_plan
from yescount.services.sessions import get_preview
from yescount.storage.engine import make_engine
from yescount.storage.uow import UnitOfWork


def test_cleanup_archives_expired_plans(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    engine = make_engine(f"sqlite:///{env['SQLITE_DB_PATH']}")
    # The console script reads the real clock, so the plans are made on real days too,
    # with a window ahead of both creation days (a fixed window went stale as days passed).
    now = datetime.now(UTC)
    first, last = now.date() + timedelta(days=1), now.date() + timedelta(days=14)
    old = make_plan(engine, FrozenClock(now - timedelta(days=8)), date_start=first, date_end=last)
    fresh = make_plan(engine, FrozenClock(now - timedelta(days=1)), date_start=first, date_end=last)

    result = run_cli("cleanup", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "archived 1 expired plan"
    assert run_cli("cleanup", env=env, cwd=tmp_path).stdout.strip() == "archived 0 expired plans"

    clock = FrozenClock(now)
    assert get_preview(old.session_id, uow=UnitOfWork(engine), clock=clock).status == "archived"
    assert get_preview(fresh.session_id, uow=UnitOfWork(engine), clock=clock).status == "open"
    engine.dispose()
