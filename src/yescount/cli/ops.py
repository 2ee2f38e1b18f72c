"""Operations commands: ``cleanup``, ``backup``, ``restore``, ``copy-db``, ``smoke``."""

from __future__ import annotations

import typer

from yescount.cli.app import app, container, handles_errors
from yescount.services.sessions import archive_expired


@app.command("cleanup")
@handles_errors
def cleanup_command() -> None:
    """Archive every plan past its expiry (they stay viewable, read-only)."""
    c = container()
    try:
        count = archive_expired(uow=c.uow(), clock=c.clock)
    finally:
        c.close()
    typer.echo(f"archived {count} expired plan{'' if count == 1 else 's'}")
