"""Run the real ``yescount`` console script in a subprocess with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

YESCOUNT = Path(sys.executable).with_name("yescount")


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``yescount ARGS`` and capture its output (never raises on exit codes).

    The timeout only guards against a hung process: an ingest that embeds every stored
    event took over 120 s on a 2-core machine at load 9-12, so the guard is generous.
    """
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SQLITE_"))}
    base.update({"HF_HUB_OFFLINE": "1", "YESCOUNT_ENV": "development"})
    base.update(env or {})
    return subprocess.run(
        [str(YESCOUNT), *args],
        env=base,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def sqlite_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a throw-away SQLite database and Chroma directory under tmp_path."""
    return {
        "DATABASE_URL": "",
        "SQLITE_DB_PATH": str(tmp_path / "yescount.db"),
        "CHROMA_PERSIST_DIR": str(tmp_path / "chroma"),
    }
