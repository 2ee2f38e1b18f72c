"""Scraped data cannot take a source down (issue 8 §4), on SQLite and PostgreSQL.

A page whose JSON-LD offers say "NaN", "Infinity", 1e308 or 99999999999999,
whose links are ``javascript:`` and whose ``.url`` sidecar is hostile, is
stored with those values unknown and counted; a row the database refuses costs
that row, not the other events of the source.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, select, text

from tests.conftest import FrozenClock
from yescount.bootstrap import Container, build
from yescount.config import Settings
from yescount.domain.urls import is_safe_http_url
from yescount.ingest.pages import SavedPages
from yescount.services.ingestion import run_ingestion
from yescount.storage.tables import events, ingestion_source_checks

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
AS_OF = date(2026, 11, 20)
HOSTILE_PRICES = ["NaN", "Infinity", 1e308, 99999999999999, -5, "call us", "1e308"]


def make(db_url: str, clock: FrozenClock) -> Container:
    settings = Settings(database_url=db_url, sources_config_path=ROOT / "config" / "sources.yaml")
    return build(settings, clock=clock)


def saved_page(root: Path, events_ld: list[dict[str, object]], *, sidecar: str) -> Path:
    folder = root / "secretnyc"
    folder.mkdir(parents=True)
    script = json.dumps({"@context": "https://schema.org", "@graph": events_ld})
    page = folder / "hostile-offers.html"
    page.write_text(
        f'<html><head><script type="application/ld+json">{script}</script></head>'
        "<body><h1>Holiday picks</h1></body></html>",
        encoding="utf-8",
    )
    page.with_suffix(".url").write_text(sidecar + "\n", encoding="utf-8")
    return root


def gig(number: int, **extra: object) -> dict[str, object]:
    return {
        "@type": "MusicEvent",
        "name": f"Gig number {number}",
        "startDate": f"2026-12-{number + 1:02d}T20:00",
        "location": {"@type": "Place", "name": f"Club {number}"},
        "url": f"https://secretnyc.co/gig-{number}/",
        **extra,
    }


def stored(engine: Engine) -> dict[str, dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(select(events)).mappings().all()
    return {str(r["title"]): dict(r) for r in rows}


def test_implausible_prices_and_unsafe_links_cost_only_those_values(
    db_url: str, clock: FrozenClock, tmp_path: Path
) -> None:
    hostile = [gig(i, offers={"price": p}) for i, p in enumerate(HOSTILE_PRICES)]
    fine = gig(
        20,
        offers={"price": "15"},
        url="javascript:alert(document.cookie)",
        image="data:image/svg+xml;base64,PHN2Zz4=",
    )
    pages = saved_page(tmp_path, [*hostile, fine], sidecar="javascript:alert(1)")
    c = make(db_url, clock)
    summary = run_ingestion(
        c.ingestion(), pages=SavedPages(pages), sources=["secretnyc"], as_of=AS_OF
    )
    (check,) = summary.sources
    assert (check.status, check.counts.new) == ("success", len(HOSTILE_PRICES) + 1)
    rows = stored(c.engine)
    for number in range(len(HOSTILE_PRICES)):
        row = rows[f"Gig number {number}"]
        assert (row["price_min"], row["price_max"]) == (None, None)
    kept = rows["Gig number 20"]
    assert Decimal(str(kept["price_min"])) == Decimal("15")
    assert kept["image_url"] is None
    # Neither the event's javascript: link nor the sidecar's: the source's own site.
    assert kept["url"] == "https://secretnyc.co/hostile-offers"
    assert all(is_safe_http_url(r["url"]) for r in rows.values())
    assert check.counts.dropped == {
        "image_url_unsafe": 1,
        "price_negative": 1,
        "price_not_finite": 2,
        "price_not_numeric": 1,
        "price_too_high": 3,
        "url_unsafe": 1,
    }
    with c.engine.connect() as conn:
        saved = conn.execute(select(ingestion_source_checks.c.dropped)).scalar_one()
    assert saved == check.counts.dropped
    c.close()


def _refuse_title(engine: Engine, title: str) -> None:
    """A database rule that refuses one row, standing in for any row the database rejects."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_one BEFORE INSERT ON events "
                    f"WHEN NEW.title = '{title}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.title = '{title}' THEN RAISE EXCEPTION 'refused'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_one BEFORE INSERT ON events "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_one()"
                )
            )


def test_a_row_the_database_refuses_costs_only_that_event(
    db_url: str, clock: FrozenClock, tmp_path: Path
) -> None:
    pages = saved_page(
        tmp_path, [gig(1), gig(2), gig(3)], sidecar="https://secretnyc.co/hostile-offers/"
    )
    c = make(db_url, clock)
    _refuse_title(c.engine, "Gig number 2")
    summary = run_ingestion(
        c.ingestion(), pages=SavedPages(pages), sources=["secretnyc"], as_of=AS_OF
    )
    (check,) = summary.sources
    assert check.status == "success"
    assert (check.counts.new, check.counts.dropped) == (2, {"event_not_stored": 1})
    assert set(stored(c.engine)) == {"Gig number 1", "Gig number 3"}
    c.close()


def test_every_permitted_row_is_stored_apart(db_url: str, clock: FrozenClock) -> None:
    """NYC Open Data: a programme's rows at other places or on other days stay 60 events."""
    c = make(db_url, clock)
    summary = run_ingestion(
        c.ingestion(), pages=SavedPages(REAL), sources=["nyc_open_data"], as_of=date(2026, 10, 1)
    )
    (check,) = summary.sources
    assert (check.status, check.counts.accepted, check.counts.new) == ("success", 60, 60)
    with c.engine.connect() as conn:
        rows = conn.execute(select(events.c.source_id, events.c.duplicate_of_id)).all()
    assert len(rows) == 60
    assert len({r.source_id for r in rows}) == 60
    assert all(r.duplicate_of_id is None for r in rows)
    again = run_ingestion(
        c.ingestion(), pages=SavedPages(REAL), sources=["nyc_open_data"], as_of=date(2026, 10, 1)
    )
    assert (again.counts.new, again.counts.updated, again.counts.unchanged) == (0, 0, 60)
    c.close()
