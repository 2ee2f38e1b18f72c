"""``yescount smoke --base-url URL``: the critical journey against a running deployment."""

from __future__ import annotations

from typing import Annotated

import typer

from yescount.cli.app import app
from yescount.smoke import run_smoke


@app.command("smoke")
def smoke_command(
    base_url: Annotated[str, typer.Option("--base-url", help="Deployment to check.")],
    timeout: Annotated[float, typer.Option(help="Seconds per HTTP request.")] = 30.0,
) -> None:
    """Create → join → vote → availability → results → .ics → lock; exit 1 on failure."""
    report = run_smoke(base_url, timeout=timeout)
    for step in report.steps:
        mark = "ok  " if step.ok else "FAIL"
        typer.echo(f"[{mark}] {step.name:<12} {step.duration_ms:>8.1f} ms  {step.detail}")
    typer.echo(f"smoke: {'PASSED' if report.ok else 'FAILED'} against {base_url}")
    raise typer.Exit(0 if report.ok else 1)
