"""The real NYC Open Data response: one event per permitted row, 60 of 60, checked on its label."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from yescount.ingest.models import Page
from yescount.ingest.pages import read_url
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.registry import adapter_for
from yescount.ingest.tags import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "tests" / "fixtures" / "real" / "nyc_open_data" / "socrata-tvpp-9vvx-2026-10-01.json"
GOLD = PAGE.with_name(PAGE.stem + ".gold.json")


def _spaces(text: str | None) -> str:
    return " ".join((text or "").split())


def _place(text: str | None) -> str:
    """A parade route longer than the 300-character column is cut; compare what fits."""
    return _spaces(text)[:250]


def test_every_row_is_its_own_event_with_the_labelled_dates_and_place() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    page_date = date.fromisoformat(gold["page_date"])
    ctx = ExtractContext(
        load_vocabulary(ROOT / "config" / "vibe_tags.yaml"), today=page_date, as_of=page_date
    )
    page = Page(
        "nyc_open_data",
        read_url(PAGE, fallback="https://data.cityofnewyork.us/"),
        PAGE.read_text(encoding="utf-8"),
        content_type="application/json",
    )
    result = process_page(adapter_for("nyc_open_data"), page, ctx)
    assert result.rejected == ()
    got = sorted(
        (_spaces(e.title), _place(e.location), e.date_start, e.date_end) for e in result.accepted
    )
    want = sorted(
        (
            _spaces(g["title"]),
            _place(g["location"]),
            date.fromisoformat(g["date_start"]),
            date.fromisoformat(g["date_end"]) if g["date_end"] else None,
        )
        for g in gold["events"]
    )
    assert len(want) == 60
    assert got == want
    assert len({e.source_id for e in result.accepted}) == 60
