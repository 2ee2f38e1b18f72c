"""Command line: ``yescount <command>``. Each module registers its commands on ``app``."""

from __future__ import annotations

from yescount.cli.app import app


def main() -> None:
    """Console-script entry point."""
    from yescount.cli import backup, core, demo, evaluate, ingest, ops, search, smoke  # noqa: F401

    app()
