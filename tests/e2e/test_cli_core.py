"""`yescount migrate` and `yescount check` through the real console script."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.e2e.cli_helpers import run_cli, sqlite_env


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def pg_env(fresh_pg_url: str, tmp_path: Path) -> dict[str, str]:
    url = fresh_pg_url.replace("postgresql+psycopg://", "postgresql://")
    return {"DATABASE_URL": url, "CHROMA_PERSIST_DIR": str(tmp_path / "chroma")}


def _migrate_round_trip(env: dict[str, str], cwd: Path) -> None:
    first = run_cli("migrate", env=env, cwd=cwd)
    assert first.returncode == 0, first.stderr
    assert "-> 000" in first.stdout
    down = run_cli("migrate", "--to", "base", env=env, cwd=cwd)
    assert down.returncode == 0, down.stderr
    assert down.stdout.strip().endswith("-> base")
    up = run_cli("migrate", env=env, cwd=cwd)
    assert up.returncode == 0, up.stderr
    assert "base -> " in up.stdout


def test_migrate_up_down_up_on_sqlite(tmp_path: Path) -> None:
    _migrate_round_trip(sqlite_env(tmp_path), tmp_path)


@pytest.mark.postgres
def test_migrate_up_down_up_on_postgres(pg_env: dict[str, str], tmp_path: Path) -> None:
    _migrate_round_trip(pg_env, tmp_path)


@pytest.mark.postgres
def test_check_json_ready_on_postgres(pg_env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli("migrate", env=pg_env, cwd=tmp_path).returncode == 0
    result = run_cli("check", "--json", env=pg_env, cwd=tmp_path)
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout
    assert report["ready"] is True
    assert {c["name"] for c in report["checks"]} >= {"config", "database", "migrations"}


def test_check_json_ready_after_migrate(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    result = run_cli("check", "--json", env=env, cwd=tmp_path)
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout
    assert report["ready"] is True
    assert all(c["status"] == "ok" for c in report["checks"] if c["required"])
    optional = {c["name"]: c for c in report["checks"] if not c["required"]}
    # A fresh database has no vectors and no ingestion run yet: degraded, still ready.
    assert optional["vector_index"]["status"] == "degraded"
    assert "yescount reindex" in optional["vector_index"]["detail"]
    assert optional["ingestion"]["status"] == "degraded"
    assert report["status"] == "degraded"


def test_check_fails_when_migrations_are_pending(tmp_path: Path) -> None:
    result = run_cli("check", env=sqlite_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "run `yescount migrate`" in result.stdout


def test_check_fails_and_explains_unreachable_database(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{_closed_port()}/yescount"}
    result = run_cli("check", "--json", env=env, cwd=tmp_path)
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert report["ready"] is False
    database = next(c for c in report["checks"] if c["name"] == "database")
    assert database["status"] == "failed"
    assert "unreachable" in database["detail"]
    assert "refused" in database["detail"].lower()


def test_check_reports_invalid_configuration(tmp_path: Path) -> None:
    result = run_cli("check", "--json", env={"SESSION_EXPIRY_DAYS": "soon"}, cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["checks"][0]["name"] == "config"
    assert "SESSION_EXPIRY_DAYS" in report["checks"][0]["detail"]


def test_migrate_fails_clearly_on_unreachable_database(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{_closed_port()}/yescount"}
    result = run_cli("migrate", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "error [" in result.stderr
    assert "Traceback" not in result.stderr
