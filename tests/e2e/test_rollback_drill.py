"""The runbook's rollback drill, on PostgreSQL: back up, destroy the schema, restore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.cli_helpers import run_cli


@pytest.mark.postgres
def test_rollback_drill_restores_every_row(fresh_pg_url: str, tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": fresh_pg_url.replace("postgresql+psycopg://", "postgresql://"),
        "CHROMA_PERSIST_DIR": str(tmp_path / "chroma"),
    }

    def ok(*args: str) -> str:
        result = run_cli(*args, env=env, cwd=tmp_path)
        assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
        return result.stdout

    ok("migrate")
    loaded = ok("demo", "load")
    assert "loaded" in loaded
    snap = tmp_path / "drill.zip"
    ok("backup", "-o", str(snap))
    ok("verify-backup", str(snap))

    ok("migrate", "--to", "base")  # the "bad deploy": schema and data gone
    broken = run_cli("check", "--json", env=env, cwd=tmp_path)
    assert broken.returncode == 1

    restored = ok("restore", str(snap))
    manifest_rows = sum(
        int(line.split(":")[1].split()[0])
        for line in ok("verify-backup", str(snap), "--no-restore-check").splitlines()
        if line.startswith("  ")
    )
    assert f"{manifest_rows} rows restored" in restored
    report = json.loads(ok("check", "--json"))
    assert report["ready"] is True
    again = ok("demo", "load")
    assert "0 new" in again  # every demo event came back with its natural key
