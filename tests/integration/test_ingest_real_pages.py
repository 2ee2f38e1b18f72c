"""The real corpus through ``ingest --from-dir`` and onto the voting cards (issue 9, item 6).

The clock is frozen at the Time Out page's date (2026-09-30): its events are stored
with their evidence, and a plan for that weekend (Oct 2-4) gets them as voting
cards, on SQLite and PostgreSQL. Open-data permits are stored but never cards.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from tests.conftest import FrozenClock
from yescount.bootstrap import build
from yescount.config import Settings
from yescount.ingest.pages import SavedPages
from yescount.services.cards import voting_cards
from yescount.services.ingestion import run_ingestion
from yescount.storage.tables import events

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
PAGE_DATE = datetime(2026, 9, 30, 16, 0, tzinfo=UTC)
WEEKEND = (date(2026, 10, 2), date(2026, 10, 4))


def test_real_pages_are_stored_with_evidence_and_become_cards_of_that_week(db_url: str) -> None:
    clock = FrozenClock(PAGE_DATE)
    settings = Settings(database_url=db_url, sources_config_path=ROOT / "config" / "sources.yaml")
    c = build(settings, clock=clock)
    try:
        summary = run_ingestion(c.ingestion(), pages=SavedPages(REAL))
        assert summary.status in ("success", "degraded")
        by_source = {s.source: s for s in summary.sources}
        assert by_source["timeout_newyork"].counts.accepted >= 30
        with c.engine.connect() as conn:
            rows = conn.execute(
                select(events.c.title, events.c.date_start, events.c.date_evidence).where(
                    events.c.source == "timeout_newyork"
                )
            ).all()
        stored = {r.title: r for r in rows}
        sunnyside = stored["Taste of Sunnyside"]
        assert sunnyside.date_start == date(2026, 10, 4)
        assert "Sunday, October 4" in (sunnyside.date_evidence or "")
        assert "Freaky Movie Fridays at Foxtail" in stored

        result = voting_cards(*WEEKEND, uow_factory=c.uow, clock=clock, card_sources=c.card_sources)
        titles = {card.event.title for card in result.cards}
        assert not result.fallback_used
        assert {"Taste of Sunnyside", "CultureCon", "NYC Yarn Crawl"} <= titles
        assert all(card.event.source != "nyc_open_data" for card in result.cards)
        with c.uow(write=False) as uow:
            week = uow.events.list_overlapping(*WEEKEND, sources=("timeout_newyork",))
        fridays = next(e for e in week if e.title == "Freaky Movie Fridays at Foxtail")
        assert fridays.recurrence is not None
        assert fridays.recurrence.weekdays == (4,)
        assert list(fridays.possible_dates(date(2026, 10, 1), date(2026, 10, 31))) == [
            date(2026, 10, d) for d in (2, 9, 16, 23, 30)
        ]
        undated = next(e for e in week if e.title == "Pierre Soulages: Paintings on Paper")
        assert undated.schedule_label() == "On now — check dates"
    finally:
        c.close()
