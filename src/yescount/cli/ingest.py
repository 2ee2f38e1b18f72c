"""Ingestion commands: ``ingest`` (run sources into the database) and ``extract`` (debug a page)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from yescount.bootstrap import build
from yescount.cli.app import app, container, handles_errors
from yescount.domain.events import EventRecord
from yescount.domain.ingestion import RunSummary, SourceOutcome
from yescount.errors import ValidationError
from yescount.services.extraction import GENERIC, PageResult, extract_file
from yescount.services.ingestion import run_ingestion


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(
            f"--as-of must be YYYY-MM-DD, got {value!r}", code="invalid_as_of"
        ) from exc


@app.command("ingest")
@handles_errors
def ingest_command(
    from_dir: Annotated[
        Path | None,
        typer.Option(
            "--from-dir", help="Replay saved pages DIR/<source>/*.html instead of fetching."
        ),
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only this source (repeatable).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Also run sources disabled in the sources file.")
    ] = False,
    save_pages: Annotated[
        Path | None,
        typer.Option("--save-pages", help="Record every fetched page (and a manifest) in DIR."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Reference date YYYY-MM-DD for years and past events."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run as JSON.")] = False,
    trigger: Annotated[str, typer.Option("--trigger", hidden=True)] = "cli",
) -> None:
    """Fetch (or replay) each source, store events, print a line per source; exit 1 on failure."""
    if from_dir is not None and save_pages is not None:
        raise ValidationError(
            "--save-pages records live fetches; it cannot be used with --from-dir"
        )
    if from_dir is not None and not from_dir.is_dir():
        raise ValidationError(f"--from-dir {from_dir} is not a directory", code="invalid_from_dir")
    reference = _parse_day(as_of)
    c = container()
    try:
        pages = c.page_source(from_dir=from_dir, save_pages=save_pages)
        summary = run_ingestion(
            c.ingestion(),
            pages=pages,
            sources=source or None,
            force=force,
            trigger=trigger,
            as_of=reference,
            after_store=c.embed_stored_events(),
        )
    finally:
        c.close()
    if as_json:
        typer.echo(json.dumps(run_to_dict(summary), indent=2, default=str))
    else:
        for outcome in summary.sources:
            typer.echo(source_line(outcome))
        typer.echo(run_line(summary))
    raise typer.Exit(1 if summary.status == "failed" else 0)


def source_line(outcome: SourceOutcome) -> str:
    """``secretnyc  success  pages=3 extracted=25 accepted=18 rejected=7 (...) new=18 ...``."""
    c = outcome.counts
    head = f"{outcome.source:<17} {outcome.status:<9}"
    if outcome.status == "skipped":
        return f"{head} {outcome.error_text or ''}".rstrip()
    reasons = " ".join(f"{k}={v}" for k, v in c.reject_reasons.items())
    line = (
        f"{head} pages={c.pages} extracted={c.extracted} accepted={c.accepted} "
        f"rejected={c.rejected}{f' ({reasons})' if reasons else ''} "
        f"new={c.new} updated={c.updated} unchanged={c.unchanged}"
    )
    if c.dropped:
        line += " dropped=(" + " ".join(f"{k}={v}" for k, v in c.dropped.items()) + ")"
    if outcome.error_text:
        line += f"  error: {' | '.join(outcome.error_text.splitlines())[:300]}"
    return line


def run_line(summary: RunSummary) -> str:
    """The final line: run id, status and totals."""
    c = summary.counts
    ran = [s for s in summary.sources if s.status != "skipped"]
    failed = sum(1 for s in ran if s.status == "failed")
    mode = "strict" if summary.strict else "lenient"
    return (
        f"run {summary.id} {summary.status} ({mode}): sources={len(ran)} failed={failed} "
        f"skipped={len(summary.sources) - len(ran)} pages={c.pages} extracted={c.extracted} "
        f"accepted={c.accepted} rejected={c.rejected} new={c.new} updated={c.updated} "
        f"unchanged={c.unchanged}"
    )


def run_to_dict(summary: RunSummary) -> dict[str, Any]:
    """The run as plain data for ``--json``."""

    def counts(outcome: Any) -> dict[str, Any]:
        return outcome.counts.as_columns()  # type: ignore[no-any-return]

    return {
        "run_id": summary.id,
        "status": summary.status,
        "strict": summary.strict,
        "trigger": summary.trigger,
        "started_at": summary.started_at.isoformat(),
        "finished_at": summary.finished_at.isoformat() if summary.finished_at else None,
        "error_text": summary.error_text,
        "totals": counts(summary),
        "sources": [
            {
                "source": s.source,
                "required": s.required,
                "status": s.status,
                "error_text": s.error_text,
                **counts(s),
            }
            for s in summary.sources
        ],
    }


@app.command("extract")
@handles_errors
def extract_command(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, help="A saved page (.html or Socrata .json)."),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help=f"A configured source, or {GENERIC!r} for the generic path alone (any site).",
        ),
    ],
    url: Annotated[
        str | None,
        typer.Option("--url", help="The page's original URL (default: FILE.url sidecar)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print accepted events as a JSON array only.")
    ] = False,
    show_rejected: Annotated[
        bool, typer.Option("--show-rejected", help="Also list rejected candidates with reasons.")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Reference date YYYY-MM-DD (default: the page's own date, else today)."
        ),
    ] = None,
) -> None:
    """Show what one saved page yields: normalized events and, optionally, rejections."""
    c = build()
    result = extract_file(
        file,
        source=source,
        registry=c.sources,
        clock=c.clock,
        url=url,
        as_of=_parse_day(as_of),
    )
    if as_json:
        _print_json(result, show_rejected=show_rejected)
        return
    _print_result(result, show_rejected=show_rejected)


def _print_json(result: PageResult, *, show_rejected: bool) -> None:
    """Accepted events as JSON on stdout; rejections and dropped values on stderr."""
    typer.echo(
        json.dumps([event_to_dict(e) for e in result.accepted], indent=2, ensure_ascii=False)
    )
    if show_rejected:
        for rejection in result.rejected:
            typer.echo(f"rejected [{rejection.reason}] {rejection.title}", err=True)
        for reason, count in result.dropped.items():
            typer.echo(f"dropped value [{reason}] x{count}", err=True)


def event_to_dict(record: EventRecord) -> dict[str, Any]:
    """The fields an operator checks when debugging an adapter."""

    def money(value: Any) -> float | None:
        return float(value) if value is not None else None

    return {
        "title": record.title,
        "date_start": record.date_start.isoformat() if record.date_start else None,
        "date_end": record.date_end.isoformat() if record.date_end else None,
        "date_status": record.date_status.value,
        "date_confidence": record.date_confidence,
        "date_evidence": record.date_evidence,
        "time": record.time_start.strftime("%H:%M") if record.time_start else None,
        "time_end": record.time_end.strftime("%H:%M") if record.time_end else None,
        "location": record.location,
        "price_min": money(record.price_min),
        "price_max": money(record.price_max),
        "url": record.url,
        "image_url": record.image_url,
        "vibe_tags": list(record.vibe_tags),
        "extraction_method": record.extraction_method,
        "source_id": record.source_id,
    }


def _print_result(result: PageResult, *, show_rejected: bool) -> None:
    published = result.page_date.isoformat() if result.page_date else "unknown"
    typer.echo(
        f"page: {result.url}\npublished: {published}  reference date: {result.reference_date}\n"
        f"candidates: {result.extracted}  accepted: {len(result.accepted)}  "
        f"rejected: {len(result.rejected)}"
    )
    for number, record in enumerate(result.accepted, 1):
        data = event_to_dict(record)
        typer.echo(f"\n{number}. {data['title']}")
        for key in (
            "date_start",
            "date_end",
            "date_status",
            "date_confidence",
            "time",
            "location",
            "price_min",
            "price_max",
            "url",
            "image_url",
            "vibe_tags",
            "extraction_method",
        ):
            value = data[key]
            shown = ", ".join(value) if isinstance(value, list) else value
            typer.echo(f"   {key + ':':<18} {'-' if shown in (None, '') else shown}")
    if result.dropped:
        shown = " ".join(f"{k}={v}" for k, v in result.dropped.items())
        typer.echo(f"\nvalues dropped (events kept): {shown}")
    if show_rejected and result.rejected:
        typer.echo("\nrejected:")
        for rejection in result.rejected:
            typer.echo(
                f"   [{rejection.reason}] {rejection.title}  ({rejection.extraction_method})"
            )
