"""Backup commands: ``backup``, ``restore``, ``verify-backup``, ``copy-db``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from yescount.cli.app import app, container, handles_errors
from yescount.config import normalize_database_url
from yescount.services import backup as backup_service


@app.command("backup")
@handles_errors
def backup_command(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Snapshot file to write.")
    ] = None,
) -> None:
    """Write a portable snapshot of every table (counts and checksums included)."""
    c = container()
    try:
        written = backup_service.back_up(backups=c.backups(), clock=c.clock, output=output)
    finally:
        c.close()
    manifest = written.manifest
    typer.echo(
        f"backup: {written.path} ({manifest.total_rows} rows in {len(manifest.tables)} tables, "
        f"schema {manifest.revision or 'base'})"
    )


@app.command("verify-backup")
@handles_errors
def verify_backup_command(
    path: Annotated[Path, typer.Argument(help="Snapshot file.")],
    restore_check: Annotated[
        bool, typer.Option(help="Also restore into a scratch SQLite database and compare.")
    ] = True,
) -> None:
    """Check a snapshot's checksums and counts (and that it restores)."""
    c = container()
    try:
        check = backup_service.verify_backup(path, backups=c.backups(), restore_check=restore_check)
    finally:
        c.close()
    for table in check.manifest.tables:
        typer.echo(f"  {table.name}: {table.rows} rows")
    if check.problems:
        for problem in check.problems:
            typer.secho(f"  problem: {problem}", fg="red", err=True)
        raise typer.Exit(1)
    typer.echo(f"verify-backup: OK ({path})")


@app.command("restore")
@handles_errors
def restore_command(
    path: Annotated[Path, typer.Argument(help="Snapshot file.")],
    replace: Annotated[bool, typer.Option(help="Delete the target's rows first.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Restore a snapshot into the configured database (one transaction)."""
    if replace and not yes:
        typer.confirm(
            "This deletes every row of the configured database first. Continue?", abort=True
        )
    c = container()
    try:
        manifest = backup_service.restore_backup(path, backups=c.backups(), replace=replace)
    finally:
        c.close()
    typer.echo(f"restore: {manifest.total_rows} rows restored from {path}")
    typer.echo("next: run `yescount reindex` to rebuild the search index")


@app.command("copy-db")
@handles_errors
def copy_db_command(
    source: Annotated[str, typer.Option("--from", help="Source database URL.")],
    target: Annotated[str, typer.Option("--to", help="Target database URL (empty).")],
    sample: Annotated[int, typer.Option(help="Records sampled per table for parity.")] = 50,
) -> None:
    """Copy every row from one database into an empty one and print a parity report."""
    c = container()
    try:
        report = backup_service.copy_database(
            normalize_database_url(source),
            normalize_database_url(target),
            copier=c.database_copier(),
            sample_size=sample,
        )
    finally:
        c.close()
    for table in report.tables:
        mark = "ok  " if table.ok else "FAIL"
        typer.echo(
            f"[{mark}] {table.name}: {table.source_rows} -> {table.target_rows} rows, "
            f"{table.sampled} sampled, {len(table.mismatched)} mismatched"
        )
    typer.echo(f"copy-db: {'parity OK' if report.ok else 'PARITY FAILED'}")
    raise typer.Exit(0 if report.ok else 1)
