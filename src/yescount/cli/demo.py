"""Demo data commands: ``demo load [--if-empty]`` / ``demo remove [--yes]``."""

from __future__ import annotations

from typing import Annotated

import typer

from yescount.bootstrap import Container
from yescount.cli.app import app, container, handles_errors
from yescount.services.demo import load_demo, remove_demo
from yescount.services.readiness import require_current_schema

demo_app = typer.Typer(
    help="Demo data: a realistic, offline set of NYC events dated relative to today.",
    no_args_is_help=True,
)
app.add_typer(demo_app, name="demo")


@demo_app.command("load")
@handles_errors
def load_command(
    if_empty: Annotated[
        bool,
        typer.Option("--if-empty", help="Load only when the events table has no rows at all."),
    ] = False,
) -> None:
    """Load (or refresh the dates of) the demo events; safe to run twice."""
    c = container()
    try:
        _require_current_schema(c)
        result = load_demo(uow=c.uow(), clock=c.clock, only_if_empty=if_empty)
        if result.skipped_reason:
            typer.echo(f"demo: skipped, {result.skipped_reason}")
            return
        typer.echo(
            f"demo: loaded {result.loaded} events "
            f"({result.new} new, {result.updated} updated, {result.unchanged} unchanged)"
        )
        _sync_search_index(c)
    finally:
        c.close()


def _sync_search_index(c: Container) -> None:
    """Embed the demo events; search still answers by keywords if this fails."""
    try:
        report = c.sync_index()
    except Exception as exc:  # the data is loaded; only smart search waits for a reindex
        typer.secho(
            f"demo: search index not updated ({type(exc).__name__}); run `yescount reindex`",
            fg="yellow",
            err=True,
        )
        return
    typer.echo(
        f"demo: search index ({report.backend}) {report.embedded} embedded, "
        f"{report.removed} removed"
    )


@demo_app.command("remove")
@handles_errors
def remove_command(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete every demo event (votes on them go too); real events are kept."""
    if not yes:
        typer.confirm("Remove every demo event, and the votes cast on them?", abort=True)
    c = container()
    try:
        _require_current_schema(c)
        removed = remove_demo(uow=c.uow())
    finally:
        c.close()
    typer.echo(f"demo: removed {removed} demo events")


def _require_current_schema(c: Container) -> None:
    require_current_schema(c.database_probe())
