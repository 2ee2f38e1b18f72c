"""Use cases: what one saved page yields (``yescount extract``) and extraction quality on a
labelled corpus (``yescount eval-extraction``), both through the real pipeline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from yescount.domain import newyork
from yescount.ingest.config import Registry
from yescount.ingest.corpus import evaluate_corpus
from yescount.ingest.evaluation import PageScore, total
from yescount.ingest.models import PageResult
from yescount.ingest.pages import read_page_file, read_url
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.registry import adapter_for
from yescount.ingest.tags import load_vocabulary
from yescount.ports import Clock

__all__ = ["GENERIC", "PageResult", "PageScore", "evaluate_directory", "extract_file", "total"]

GENERIC = "generic"


def extract_file(
    file: Path,
    *,
    source: str,
    registry: Registry,
    clock: Clock,
    url: str | None = None,
    as_of: date | None = None,
) -> PageResult:
    """Normalized events and rejections of one saved page.

    ``source`` is a configured source or ``generic`` (the generic path alone, any site);
    without ``url`` the page's ``.url`` sidecar, else a URL under the source's site.
    The reference date is ``as_of``, else the page's own date, else today in New York.
    """
    if source == GENERIC:
        site, hint = "https://generic.invalid", None
    else:
        config = registry.get(source)
        site, hint = config.site, config.hint
    page_url = url or read_url(file, fallback=f"{site.rstrip('/')}/{file.stem}")
    page = read_page_file(file, source=source, url=page_url)
    ctx = ExtractContext(
        load_vocabulary(registry.vibe_tags_path),
        today=newyork.today(clock),
        as_of=as_of,
        past_from_page_date=True,
    )
    return process_page(adapter_for(source, hint=hint), page, ctx)


def evaluate_directory(directory: Path, *, registry: Registry, clock: Clock) -> list[PageScore]:
    """One score per labelled page (``DIR/<source>/<name>.gold.json`` beside each page)."""
    return evaluate_corpus(
        directory,
        adapter_for=adapter_for,
        vocabulary=load_vocabulary(registry.vibe_tags_path),
        today=newyork.today(clock),
    )
