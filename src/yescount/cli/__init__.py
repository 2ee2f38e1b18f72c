"""Command line: ``yescount <command>``. Each module registers its commands on ``app``."""

from __future__ import annotations

import importlib
import sys

from yescount.cli.app import app

# Which module registers each command: a command imports only its own module, so
# `yescount search` does not pay for the ingestion stack (tests/unit/test_cli_commands.py
# checks this table against the registered commands).
COMMAND_MODULES: dict[str, str] = {
    "backup": "backup",
    "verify-backup": "backup",
    "restore": "backup",
    "copy-db": "backup",
    "migrate": "core",
    "check": "core",
    "serve": "core",
    "demo": "demo",
    "eval-extraction": "evaluate",
    "ingest": "ingest",
    "extract": "ingest",
    "cleanup": "ops",
    "search": "search",
    "reindex": "search",
    "index-parity": "search",
    "smoke": "smoke",
}
MODULES = tuple(dict.fromkeys(COMMAND_MODULES.values()))


@app.callback()
def _root() -> None:
    # A callback keeps `yescount <command>` a group even when one module (one command)
    # is imported: Typer would otherwise run a lone command without its name.
    return None


def register(command: str | None = None) -> None:
    """Import the module of ``command`` (every module when unknown: help, typos)."""
    wanted = COMMAND_MODULES.get(command or "")
    for name in (wanted,) if wanted else MODULES:
        importlib.import_module(f"yescount.cli.{name}")


def main() -> None:
    """Console-script entry point."""
    register(sys.argv[1] if len(sys.argv) > 1 else None)
    app()
