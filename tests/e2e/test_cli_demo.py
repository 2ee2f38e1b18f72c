"""`yescount demo load|remove` through the real console script on a fresh SQLite file."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from pathlib import Path

from tests.e2e.cli_helpers import YESCOUNT, run_cli, sqlite_env


def _run_with_answer(answer: str, *args: str, env: dict[str, str], cwd: Path) -> str:
    """Run ``yescount ARGS`` typing ``answer`` at the prompt; returns stdout, checks exit 1."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}
    full_env.update(env)
    done = subprocess.run(
        [str(YESCOUNT), *args],
        env=full_env,
        cwd=cwd,
        input=answer,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    return done.stdout


def _counts(db_path: Path) -> tuple[int, int]:
    """(all events, demo events) straight from the database file."""
    with sqlite3.connect(db_path) as conn:
        total, demo = conn.execute(
            "SELECT count(*), coalesce(sum(is_demo), 0) FROM events"
        ).fetchone()
    return int(total), int(demo)


def test_demo_load_if_empty_twice_then_remove(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path)
    db_path = Path(env["SQLITE_DB_PATH"])

    migrated = run_cli("migrate", env=env, cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr

    first = run_cli("demo", "load", "--if-empty", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    match = re.fullmatch(
        r"demo: loaded (\d+) events \((\d+) new, 0 updated, 0 unchanged\)\n"
        r"demo: search index \(chroma\) (\d+) embedded, 0 removed\n",
        first.stdout,
    )
    assert match, first.stdout
    loaded = int(match.group(1))
    assert loaded >= 120
    assert int(match.group(2)) == loaded
    assert int(match.group(3)) == loaded  # every demo event is searchable at once
    assert _counts(db_path) == (loaded, loaded)

    second = run_cli("demo", "load", "--if-empty", env=env, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("demo: skipped, the events table already has")
    assert f"{loaded} events" in second.stdout
    assert _counts(db_path) == (loaded, loaded)

    declined = _run_with_answer("n\n", "demo", "remove", env=env, cwd=tmp_path)
    assert "Remove every demo event" in declined
    assert "removed" not in declined
    assert _counts(db_path) == (loaded, loaded)

    removed = run_cli("demo", "remove", "--yes", env=env, cwd=tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == f"demo: removed {loaded} demo events\n"
    assert _counts(db_path) == (0, 0)


def test_demo_load_without_if_empty_refreshes_in_place(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    assert run_cli("demo", "load", env=env, cwd=tmp_path).returncode == 0

    again = run_cli("demo", "load", env=env, cwd=tmp_path)

    assert again.returncode == 0, again.stderr
    assert re.fullmatch(
        r"demo: loaded \d+ events \(0 new, 0 updated, \d+ unchanged\)\n"
        r"demo: search index \(chroma\) 0 embedded, 0 removed\n",
        again.stdout,
    )


def test_demo_load_on_an_unmigrated_database_fails_cleanly(tmp_path: Path) -> None:
    result = run_cli("demo", "load", env=sqlite_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "run `yescount migrate` first" in result.stderr
