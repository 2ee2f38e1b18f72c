"""``yescount eval-extraction DIR``: extraction quality on a labelled corpus of saved pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from yescount.bootstrap import build
from yescount.cli.app import app, handles_errors
from yescount.errors import ValidationError
from yescount.services.extraction import PageScore, evaluate_directory, total

_HEADER = (
    f"{'page':<58} {'lab':>4} {'ext':>4} {'mat':>4} {'prec':>6} {'rec':>6} {'F1':>6} {'date':>6}"
)


@app.command("eval-extraction")
@handles_errors
def eval_extraction_command(
    directory: Annotated[
        Path, typer.Argument(help="A corpus: DIR/<source>/<name>.gold.json beside each page.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    details: Annotated[
        bool, typer.Option("--details", help="Also list missed, extra and wrong-date events.")
    ] = False,
) -> None:
    """Per page and in total: labelled, extracted, matched, precision, recall, F1, dates."""
    if not directory.is_dir():
        raise ValidationError(f"{directory} is not a directory", code="invalid_directory")
    c = build()
    scores = evaluate_directory(directory, registry=c.sources, clock=c.clock)
    if not scores:
        raise ValidationError(
            f"no labelled pages (*.gold.json) under {directory}", code="no_labels"
        )
    overall = total(scores)
    if as_json:
        pages = [s.as_dict() for s in scores]
        typer.echo(json.dumps({"pages": pages, "total": overall.as_dict()}, indent=2))
        return
    typer.echo(_HEADER)
    for score in [*scores, overall]:
        typer.echo(score_line(score))
    if details:
        for line in detail_lines(overall):
            typer.echo(line)


def score_line(score: PageScore) -> str:
    """One row of the table."""
    name = score.name if len(score.name) <= 58 else "…" + score.name[-57:]
    return (
        f"{name:<58} {score.labelled:>4} {score.extracted:>4} {score.matched:>4} "
        f"{score.precision:>6.3f} {score.recall:>6.3f} {score.f1:>6.3f} {score.date_accuracy:>6.3f}"
    )


def detail_lines(score: PageScore) -> list[str]:
    """What went wrong, one line each."""
    return (
        [f"missed  {t}" for t in score.missed]
        + [f"extra   {t}" for t in score.extra]
        + [f"date    {t}" for t in score.wrong_dates]
    )
