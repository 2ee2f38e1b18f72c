"""A labelled corpus on disk: ``DIR/<source>/<name>.gold.json`` beside the saved page.

``evaluate_corpus`` runs every labelled page through the same extraction as
ingestion (the source's adapter, or the generic path for a folder that is not a
configured source) with the label's ``page_date`` as the "as of" date, and
scores it with ``yescount.ingest.evaluation``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from yescount.errors import ValidationError
from yescount.ingest import html
from yescount.ingest.evaluation import PageScore, Prediction, parse_day, score_page
from yescount.ingest.models import Page
from yescount.ingest.pages import read_url
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.sources.base import SourceAdapter
from yescount.ingest.tags import TagVocabulary

GOLD_SUFFIX = ".gold.json"
_PAGE_SUFFIXES = (".html", ".htm", ".json")
MAX_PAGE_BYTES = 10_000_000

AdapterFor = Callable[[str], SourceAdapter]


@dataclass(frozen=True, slots=True)
class LabelledPage:
    """A saved page, its label file and the source folder it sits in."""

    source: str
    page: Path
    gold: Path

    @property
    def name(self) -> str:
        return f"{self.source}/{self.page.name}"


def labelled_pages(root: Path) -> list[LabelledPage]:
    """Every ``<source>/<name>.gold.json`` under ``root`` that has its page beside it."""
    found = []
    for gold in sorted(root.rglob(f"*{GOLD_SUFFIX}")):
        stem = gold.name.removesuffix(GOLD_SUFFIX)
        page = next(
            (p for p in (gold.with_name(stem + s) for s in _PAGE_SUFFIXES) if p.is_file()), None
        )
        if page is not None:
            found.append(LabelledPage(gold.parent.name, page, gold))
    return found


def read_gold(path: Path) -> dict[str, object]:
    """A label file's data (ValidationError when it is not a JSON object)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            f"{path}: unreadable label file ({exc})", code="invalid_label"
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ValidationError(f"{path}: expected an object with `events`", code="invalid_label")
    return data


def load_page(path: Path, *, source: str, fallback_url: str) -> Page:
    """A saved page as the pipeline reads it (HTML decoded like a fetched page)."""
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise ValidationError(f"{path} is {size} bytes (cap {MAX_PAGE_BYTES})", code="too_large")
    body = path.read_bytes()
    is_json = path.suffix == ".json"
    text = body.decode("utf-8", errors="replace") if is_json else html.decode(body)
    url = read_url(path, fallback=fallback_url)
    return Page(source, url, text, content_type="application/json" if is_json else "text/html")


def predictions(
    item: LabelledPage,
    *,
    page_date: date,
    adapter: SourceAdapter,
    vocabulary: TagVocabulary,
    page_url: str | None = None,
) -> list[Prediction]:
    """What the extractor keeps from one labelled page, as of the label's page date."""
    fallback = page_url if page_url and page_url.startswith(("http://", "https://")) else None
    page = load_page(item.page, source=item.source, fallback_url=fallback or _fallback_url(item))
    ctx = ExtractContext(vocabulary, today=page_date, as_of=page_date)
    result = process_page(adapter, page, ctx)
    return [Prediction(r.title, r.date_start, r.date_status.value) for r in result.accepted]


def evaluate_corpus(
    root: Path, *, adapter_for: AdapterFor, vocabulary: TagVocabulary, today: date
) -> list[PageScore]:
    """One score per labelled page under ``root`` (``today`` when a label has no page date)."""
    scores = []
    for item in labelled_pages(root):
        gold = read_gold(item.gold)
        page_date = parse_day(gold.get("page_date")) or today
        found = predictions(
            item,
            page_date=page_date,
            adapter=adapter_for(item.source),
            vocabulary=vocabulary,
            page_url=str(gold.get("page_url") or "").split(" ", 1)[0] or None,
        )
        scores.append(score_page(item.name, gold, found))
    return scores


def _fallback_url(item: LabelledPage) -> str:
    return f"https://{item.source.replace('_', '-')}.invalid/{item.page.stem}"
