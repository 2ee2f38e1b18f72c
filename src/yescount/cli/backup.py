"""Backup commands: ``backup``, ``restore``, ``verify-backup``, ``copy-db``."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from yescount.cli.app import app, container, handles_errors
from yescount.config import normalize_database_url
from yescount.errors import ValidationError
from yescount.storage.copy import copy_database
from yescount.storage.engine import make_engine
from yescount.storage.snapshot import (
    read_manifest,
    restore_snapshot,
    verify_snapshot,
    write_snapshot,
)


@app.command("backup")
@handles_errors
def backup_command(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Snapshot file to write.")
    ] = None,
) -> None:
    """Write a portable snapshot of every table (counts and checksums included)."""
    c = container()
    now = c.clock()
    target = output or Path("backups") / f"yescount-{now:%Y%m%dT%H%M%SZ}.zip"
    try:
        manifest = write_snapshot(c.engine, target, created_at=now)
    finally:
        c.close()
    total = sum(t.rows for t in manifest.tables)
    typer.echo(
        f"backup: {target} ({total} rows in {len(manifest.tables)} tables, "
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
    problems = verify_snapshot(path)
    manifest = read_manifest(path)
    for table in manifest.tables:
        typer.echo(f"  {table.name}: {table.rows} rows")
    if not problems and restore_check:
        with tempfile.TemporaryDirectory() as scratch:
            engine = make_engine(f"sqlite:///{Path(scratch) / 'restore.db'}")
            try:
                restore_snapshot(engine, path)
            finally:
                engine.dispose()
    if problems:
        for problem in problems:
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
        manifest = restore_snapshot(c.engine, path, replace=replace)
    finally:
        c.close()
    total = sum(t.rows for t in manifest.tables)
    typer.echo(f"restore: {total} rows restored from {path}")
    typer.echo("next: run `yescount reindex` to rebuild the search index")


@app.command("copy-db")
@handles_errors
def copy_db_command(
    source: Annotated[str, typer.Option("--from", help="Source database URL.")],
    target: Annotated[str, typer.Option("--to", help="Target database URL (empty).")],
    sample: Annotated[int, typer.Option(help="Records sampled per table for parity.")] = 50,
) -> None:
    """Copy every row from one database into an empty one and print a parity report."""
    if normalize_database_url(source) == normalize_database_url(target):
        raise ValidationError("--from and --to point at the same database.")
    src = make_engine(normalize_database_url(source))
    dst = make_engine(normalize_database_url(target))
    try:
        report = copy_database(src, dst, sample_size=sample)
    finally:
        src.dispose()
        dst.dispose()
    for table in report.tables:
        mark = "ok  " if table.ok else "FAIL"
        typer.echo(
            f"[{mark}] {table.name}: {table.source_rows} -> {table.target_rows} rows, "
            f"{table.sampled} sampled, {len(table.mismatched)} mismatched"
        )
    typer.echo(f"copy-db: {'parity OK' if report.ok else 'PARITY FAILED'}")
    raise typer.Exit(0 if report.ok else 1)
