"""Search commands: ``search``, ``reindex``, ``index-parity``."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import typer

from yescount.cli.app import app, container, handles_errors
from yescount.config import VectorBackend
from yescount.errors import ValidationError
from yescount.services.indexing import DEFAULT_BATCH, DEFAULT_MIN_OVERLAP, index_parity, reindex
from yescount.services.search import SearchFilters, SearchResult, search_events
from yescount.shapes import parity_json, search_json

# One query, nobody else waiting: a cold model load on a busy machine (tens of seconds
# under load) is worth waiting for; the server keeps the shorter default.
CLI_VECTOR_TIMEOUT_S = 120.0

BackendOption = Annotated[
    VectorBackend | None,
    typer.Option("--backend", help="chroma or pgvector (default: VECTOR_BACKEND)."),
]


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(f"{name} must be a date like 2026-12-05.", code="bad_date") from exc


@app.command("search")
@handles_errors
def search_command(
    query: Annotated[str, typer.Argument(help="What you feel like, in plain English.")],
    date_from: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).")] = None,
    max_price: Annotated[
        float | None, typer.Option("--max-price", min=0, help="Highest ticket price in $.")
    ] = None,
    tags: Annotated[list[str] | None, typer.Option("--tag", help="Vibe tag (repeatable).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=50, help="Results to show.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search events (hybrid: meaning + words); says so when only words were used."""
    filters = SearchFilters(
        date_from=_date(date_from, "--from"),
        date_to=_date(date_to, "--to"),
        max_price=Decimal(str(max_price)) if max_price is not None else None,
        vibe_tags=tuple(tags or ()),
    )
    c = container()
    try:
        result = search_events(
            query,
            filters,
            uow_factory=c.uow,
            index=c.vector_index,
            embedder=c.embedder,
            clock=c.clock,
            limit=limit,
            timeout_s=CLI_VECTOR_TIMEOUT_S,
        )
    finally:
        c.close()
    if as_json:
        typer.echo(json.dumps(search_json(result), indent=2, ensure_ascii=False))
    else:
        _print_result(result)


def _print_result(result: SearchResult) -> None:
    if result.degraded:
        typer.secho(f"(keyword matches only: {result.degraded_reason})", fg="yellow", err=True)
    if not result.hits:
        typer.echo(f"No events matched “{result.query}”.")
        return
    for rank, hit in enumerate(result.hits, start=1):
        event = hit.event
        details = [event.schedule_label(), event.location, event.price_label()]
        typer.echo(f"{rank:>2}. {event.title}  [{hit.score:.2f}]  #{event.id}")
        typer.echo(f"    {' · '.join(d for d in details if d)}")
        if hit.why:
            typer.echo(f"    why: {' · '.join(hit.why)}")


@app.command("reindex")
@handles_errors
def reindex_command(
    backend: BackendOption = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Drop every vector first (e.g. after a model change).")
    ] = False,
    batch_size: Annotated[int, typer.Option(min=1, max=5_000, help="Events per write.")] = (
        DEFAULT_BATCH
    ),
) -> None:
    """Rebuild the vector index from the events table (resumable: re-run to continue)."""
    c = container()
    try:
        index = c.vector_index_for(backend or c.settings.effective_vector_backend)
        with typer.progressbar(length=1, label=f"embedding ({index.backend})", file=None) as bar:
            state = {"done": 0}

            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - state["done"])
                state["done"] = done

            report = reindex(
                index,
                sync=c.index_syncer(),
                fresh=fresh,
                batch_size=batch_size,
                progress=progress,
            )
    finally:
        c.close()
    typer.echo(
        f"{report.backend}: {report.indexed} events indexed, {report.embedded} embedded, "
        f"{report.unchanged} unchanged, {report.removed} removed"
    )


@app.command("index-parity")
@handles_errors
def index_parity_command(
    backend: BackendOption = None,
    against: Annotated[
        VectorBackend | None,
        typer.Option("--against", help="Also compare the top-20 results with this backend."),
    ] = None,
    min_overlap: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Least top-20 agreement accepted.")
    ] = DEFAULT_MIN_OVERLAP,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Compare the vector index with the events table; exit 1 on any mismatch."""
    c = container()
    try:
        chosen = backend or c.settings.effective_vector_backend
        index = c.vector_index_for(chosen)
        other = against if against is not None and against is not chosen else None
        report = index_parity(
            index,
            check=c.parity_checker(),
            against=(lambda: c.vector_index_for(other)) if other is not None else None,
            compare=c.index_comparer(),
            min_overlap=min_overlap,
        )
    finally:
        c.close()
    data = parity_json(report)
    if as_json:
        typer.echo(json.dumps(data, indent=2))
    else:
        _print_parity(data)
    raise typer.Exit(0 if report.ok else 1)


def _print_parity(data: dict[str, Any]) -> None:
    mark = "ok" if data["ok"] else "MISMATCH"
    typer.echo(
        f"[{mark}] {data['backend']}: {data['indexed']} vectors for {data['rows']} events "
        f"(model {data['stored_model'] or 'none'}, expected {data['expected_model']})"
    )
    for name in ("missing", "extra", "stale"):
        if data[f"{name}_count"]:
            ids = ", ".join(str(i) for i in data[name][:10])
            typer.echo(f"  {name}: {data[f'{name}_count']} (e.g. {ids})")
    if data["overlap_at_20"] is not None:
        typer.echo(f"  top-20 overlap: {data['overlap_at_20']:.3f} (min {data['min_overlap']})")
