"""Core commands: ``migrate``, ``check``, ``serve``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from yescount.bootstrap import build, optional_checks
from yescount.cli.app import app, container, handles_errors
from yescount.config import Settings, validate_for_startup
from yescount.errors import ConfigError
from yescount.services.readiness import Check, ReadinessReport, readiness
from yescount.services.schema import migrate_schema
from yescount.shapes import readiness_json


@app.command("migrate")
@handles_errors
def migrate_command(
    to: Annotated[str, typer.Option("--to", help="Target revision: head, base or an id.")] = "head",
) -> None:
    """Upgrade (or downgrade) the database schema to a revision."""
    c = container()
    try:
        change = migrate_schema(to, migrator=c.schema_migrator())
    finally:
        c.close()
    typer.echo(f"schema: {change.before or 'base'} -> {change.after or 'base'}")


@app.command("check")
def check_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
) -> None:
    """Check configuration, database and migrations; exit 0 only when ready."""
    report = _readiness_report()
    if as_json:
        typer.echo(json.dumps(readiness_json(report), indent=2))
    else:
        for check in report.checks:
            mark = {"ok": "ok  ", "degraded": "warn", "failed": "FAIL"}[check.status]
            typer.echo(f"[{mark}] {check.name}: {check.detail}")
        typer.echo(f"ready: {'yes' if report.ready else 'no'}")
    raise typer.Exit(0 if report.ready else 1)


def _readiness_report() -> ReadinessReport:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        return ReadinessReport([Check("config", "failed", exc.message)])
    c = build(settings)
    try:
        return readiness(settings, c.database_probe(), optional=optional_checks(c))
    finally:
        c.close()


@app.command("serve")
@handles_errors
def serve_command(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8501,
) -> None:
    """Start the web app (UI, health, metrics and JSON API) in one process."""
    settings = Settings.from_env()
    validate_for_startup(settings)
    from yescount.web.server import serve

    serve(settings, host=host, port=port)
