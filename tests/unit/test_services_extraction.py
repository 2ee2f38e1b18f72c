"""The extraction use case (``yescount extract``) on saved pages, without the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import FrozenClock
from yescount.ingest.registry import registry
from yescount.services.extraction import GENERIC, extract_file

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "pages"
SOURCES = registry(ROOT / "config" / "sources.yaml")


def test_a_configured_source_reads_its_saved_page(clock: FrozenClock) -> None:
    page = PAGES / "secretnyc" / "things-to-do-this-weekend-nov-20.html"
    result = extract_file(
        page, source="secretnyc", registry=SOURCES, clock=clock, as_of=date(2026, 11, 20)
    )
    assert result.accepted
    assert result.reference_date == date(2026, 11, 20)
    assert all(r.source == "secretnyc" for r in result.accepted)
    assert result.url.startswith("https://")


def test_the_generic_path_reads_any_page_with_the_url_given(clock: FrozenClock) -> None:
    page = sorted((PAGES / "secretnyc").glob("*.html"))[0]
    result = extract_file(
        page, source=GENERIC, registry=SOURCES, clock=clock, url="https://example.org/events"
    )
    assert result.url == "https://example.org/events"
    assert result.extracted >= len(result.accepted)
