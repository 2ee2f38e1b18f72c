"""`yescount backup / verify-backup / restore / copy-db` through the real console script."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.cli_helpers import run_cli, sqlite_env


def test_backup_verify_restore_cycle(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    snap = tmp_path / "snap.zip"
    backup = run_cli("backup", "-o", str(snap), env=env, cwd=tmp_path)
    assert backup.returncode == 0, backup.stderr
    assert "tables" in backup.stdout
    verify = run_cli("verify-backup", str(snap), env=env, cwd=tmp_path)
    assert verify.returncode == 0, verify.stderr
    assert "OK" in verify.stdout

    other = sqlite_env(tmp_path / "other")
    restore = run_cli("restore", str(snap), env=other, cwd=tmp_path)
    assert restore.returncode == 0, restore.stderr
    again = run_cli("restore", str(snap), "--replace", env=other, cwd=tmp_path, timeout=60)
    assert again.returncode != 0  # asks for confirmation; no terminal → aborted
    forced = run_cli("restore", str(snap), "--replace", "--yes", env=other, cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr


def test_verify_backup_rejects_garbage(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK not really")
    result = run_cli("verify-backup", str(junk), env=sqlite_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "not a YesCount snapshot" in result.stderr


@pytest.mark.postgres
def test_copy_db_sqlite_to_postgres(tmp_path: Path, fresh_pg_url: str) -> None:
    env = sqlite_env(tmp_path)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    source = f"sqlite:///{env['SQLITE_DB_PATH']}"
    target = fresh_pg_url.replace("postgresql+psycopg://", "postgresql://")
    result = run_cli("copy-db", "--from", source, "--to", target, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "parity OK" in result.stdout
    same = run_cli("copy-db", "--from", source, "--to", source, env=env, cwd=tmp_path)
    assert same.returncode == 1
    assert "same database" in same.stderr
