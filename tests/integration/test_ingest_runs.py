"""Ingestion runs on SQLite and PostgreSQL: storing, re-running, failures, locking, freshness."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import FrozenClock
from yescount.bootstrap import Container, build
from yescount.config import Settings
from yescount.errors import ConflictError
from yescount.ingest.config import SourceConfig
from yescount.ingest.pages import PageFailure, PageOrFailure, SavedPages
from yescount.services.ingestion import (
    run_ingestion,
    should_refresh,
    start_background_refresh,
    wait_for_background_refresh,
)
from yescount.storage.repositories.ingestion_runs import RunLock
from yescount.storage.tables import events, ingestion_runs, ingestion_source_checks

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "pages"
AS_OF = date(2026, 11, 20)
SECRET = ["secretnyc"]


def make(db_url: str, clock: FrozenClock, **overrides: object) -> Container:
    settings = Settings(
        database_url=db_url,
        sources_config_path=ROOT / "config" / "sources.yaml",
        **overrides,  # type: ignore[arg-type]
    )
    return build(settings, clock=clock)


class Unreachable:
    """Every page fails, as when the sites are down."""

    mode = "live"

    def pages(self, source: SourceConfig) -> Iterator[PageOrFailure]:
        for url in source.start_urls or [source.site]:
            yield PageFailure(url, "fetch_unreachable", f"cannot reach {url}")


def event_count(c: Container) -> int:
    with c.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(events)).scalar_one())


def test_saved_pages_run_twice_adds_no_duplicates(db_url: str, clock: FrozenClock) -> None:
    c = make(db_url, clock)
    first = run_ingestion(
        c.ingestion(), pages=SavedPages(PAGES), sources=["secretnyc"], as_of=AS_OF
    )
    assert first.status == "success"
    assert first.counts.new == first.counts.accepted > 0
    stored = event_count(c)

    clock.now += timedelta(hours=1)
    second = run_ingestion(
        c.ingestion(), pages=SavedPages(PAGES), sources=["secretnyc"], as_of=AS_OF
    )
    assert second.status == "success"
    assert (second.counts.new, second.counts.updated) == (0, 0)
    assert second.counts.unchanged == first.counts.new
    assert event_count(c) == stored
    with c.engine.connect() as conn:
        checks = conn.execute(select(ingestion_source_checks)).mappings().all()
    assert [(r["run_id"], r["source"], r["status"]) for r in checks] == [
        (first.id, "secretnyc", "success"),
        (second.id, "secretnyc", "success"),
    ]
    c.close()


def test_unreachable_sources_fail_the_run_and_keep_events(db_url: str, clock: FrozenClock) -> None:
    c = make(db_url, clock)
    run_ingestion(c.ingestion(), pages=SavedPages(PAGES), sources=["secretnyc"], as_of=AS_OF)
    before = event_count(c)
    failed = run_ingestion(c.ingestion(), pages=Unreachable(), force=True)
    assert failed.status == "failed"
    ran = [s for s in failed.sources if s.status != "skipped"]
    assert ran
    assert all(s.status == "failed" and s.error_text for s in ran)
    assert failed.error_text is not None
    assert len(failed.error_text.splitlines()) == len(ran)
    assert event_count(c) == before
    c.close()


def test_a_store_failure_rolls_back_that_source_only(
    db_url: str, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yescount.storage.repositories.events import EventRepository

    c = make(db_url, clock)
    calls = {"n": 0}
    original = EventRepository.upsert_keeping_links

    def flaky(self: EventRepository, record: object, *, now: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return original(self, record, now=now)  # type: ignore[arg-type]

    monkeypatch.setattr(EventRepository, "upsert_keeping_links", flaky)
    summary = run_ingestion(
        c.ingestion(), pages=SavedPages(PAGES), sources=["secretnyc"], as_of=AS_OF
    )
    assert summary.status == "failed"
    assert summary.sources[0].status == "failed"
    assert "disk full" in (summary.sources[0].error_text or "")
    assert event_count(c) == 0  # the two events written before the failure were rolled back
    c.close()


def test_after_store_gets_new_and_updated_ids(db_url: str, clock: FrozenClock) -> None:
    c = make(db_url, clock)
    seen: list[Sequence[int]] = []
    run_ingestion(
        c.ingestion(), pages=SavedPages(PAGES), sources=SECRET, as_of=AS_OF, after_store=seen.append
    )
    assert len(seen) == 1
    assert len(seen[0]) == event_count(c)
    seen.clear()
    run_ingestion(
        c.ingestion(), pages=SavedPages(PAGES), sources=SECRET, as_of=AS_OF, after_store=seen.append
    )
    assert seen == []  # nothing changed, nothing to re-embed

    def boom(_ids: Sequence[int]) -> None:
        raise RuntimeError("index offline")

    c2 = make(db_url, clock)
    with c2.engine.begin() as conn:
        conn.execute(events.delete())
    summary = run_ingestion(
        c2.ingestion(), pages=SavedPages(PAGES), sources=SECRET, as_of=AS_OF, after_store=boom
    )
    assert summary.status == "success"
    assert "index offline" in (summary.error_text or "")
    c.close()
    c2.close()


def test_runs_never_overlap(db_url: str, clock: FrozenClock) -> None:
    c = make(db_url, clock)
    lock = RunLock.try_acquire(c.engine)
    assert lock is not None
    try:
        assert RunLock.try_acquire(c.engine) is None
        with pytest.raises(ConflictError):
            run_ingestion(c.ingestion(), pages=SavedPages(PAGES), sources=["secretnyc"])
        assert start_background_refresh(c.ingestion(), pages=SavedPages(PAGES)) is False
    finally:
        lock.release()
    assert start_background_refresh(c.ingestion(), pages=SavedPages(PAGES)) is True
    wait_for_background_refresh(timeout=60)
    with c.engine.connect() as conn:
        row = conn.execute(select(ingestion_runs)).mappings().one()
    assert (row["trigger"], row["status"]) == ("auto", "success")
    c.close()


def test_should_refresh_follows_staleness_and_cooldown(db_url: str, clock: FrozenClock) -> None:
    c = make(db_url, clock, ingestion_max_staleness_hours=192)
    assert should_refresh(c.ingestion()) is True  # never ran
    run_ingestion(c.ingestion(), pages=SavedPages(PAGES), sources=["secretnyc"], as_of=AS_OF)
    assert should_refresh(c.ingestion()) is False
    clock.now += timedelta(hours=193)
    assert should_refresh(c.ingestion()) is True
    run_ingestion(c.ingestion(), pages=Unreachable(), sources=["secretnyc"])
    assert should_refresh(c.ingestion()) is False  # a run just started: cool down before retrying
    clock.now += timedelta(minutes=31)
    assert should_refresh(c.ingestion()) is True
    off = make(db_url, clock, ingestion_auto_refresh=False)
    assert should_refresh(off.ingestion()) is False
    c.close()
    off.close()


def test_cross_source_duplicates_are_merged_with_both_links(
    db_url: str, clock: FrozenClock
) -> None:
    from yescount.storage.uow import UnitOfWork

    c = make(db_url, clock)
    sources = ["secretnyc", "timeout_newyork", "nyc_open_data"]
    run_ingestion(c.ingestion(), pages=SavedPages(PAGES), sources=sources, as_of=AS_OF)
    with c.engine.connect() as conn:
        rows = (
            conn.execute(select(events).where(events.c.duplicate_of_id.is_not(None)))
            .mappings()
            .all()
        )
        by_id = {r["id"]: r for r in conn.execute(select(events)).mappings()}
    merged = {(r["source"], r["title"]): by_id[r["duplicate_of_id"]] for r in rows}
    canonical = merged[("timeout_newyork", "Holiday Train Show")]
    assert canonical["title"] == "Catch The Holiday Train Show At The New York Botanical Garden"
    assert {link["source"] for link in canonical["source_links"]} == {
        "secretnyc",
        "timeout_newyork",
    }
    tree = merged[("nyc_open_data", "Rockefeller Center Christmas Tree Lighting")]
    assert tree["source"] == "secretnyc"
    with UnitOfWork(c.engine, write=False) as uow:
        upcoming = uow.events.list_upcoming(AS_OF)
    assert all(e.id not in {r["id"] for r in rows} for e in upcoming)

    again = run_ingestion(c.ingestion(), pages=SavedPages(PAGES), sources=sources, as_of=AS_OF)
    assert (again.counts.new, again.counts.updated) == (0, 0)
    c.close()


def test_strict_mode_fails_the_run_when_a_required_source_fails(
    db_url: str, clock: FrozenClock
) -> None:
    class HalfDown(Unreachable):
        def pages(self, source: SourceConfig) -> Iterator[PageOrFailure]:
            if source.name == "secretnyc":
                yield from SavedPages(PAGES).pages(source)
            else:
                yield from super().pages(source)

    lenient = make(db_url, clock)
    summary = run_ingestion(
        lenient.ingestion(), pages=HalfDown(), sources=["secretnyc", "fever_newyork"], as_of=AS_OF
    )
    assert summary.status == "degraded"
    strict = make(db_url, clock, ingestion_required_sources_strict=True)
    clock.now += timedelta(minutes=1)
    summary = run_ingestion(
        strict.ingestion(), pages=HalfDown(), sources=["secretnyc", "fever_newyork"], as_of=AS_OF
    )
    assert (summary.status, summary.strict) == ("failed", True)
    assert [s.status for s in summary.sources] == ["success", "failed"]
    lenient.close()
    strict.close()


def test_an_interrupted_run_is_closed_as_failed(db_url: str, clock: FrozenClock) -> None:
    class Interrupted(Unreachable):
        def pages(self, source: SourceConfig) -> Iterator[PageOrFailure]:
            raise KeyboardInterrupt
            yield  # pragma: no cover

    c = make(db_url, clock)
    with pytest.raises(KeyboardInterrupt):
        run_ingestion(c.ingestion(), pages=Interrupted(), sources=["secretnyc"])
    with c.engine.connect() as conn:
        row = conn.execute(select(ingestion_runs)).mappings().one()
    assert row["status"] == "failed"
    assert "interrupted" in row["error_text"]
    assert RunLock.try_acquire(c.engine) is not None  # the lock was released
    c.close()


def test_an_adapter_crash_fails_only_its_source(
    db_url: str, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yescount.ingest.registry import adapter_for
    from yescount.ingest.sources.generic import GenericAdapter
    from yescount.services import ingestion

    class Broken(GenericAdapter):
        def candidates(self, *_args: object) -> list[Any]:
            raise ValueError("selector exploded")

    def adapters(name: str, *, hint: str | None = None) -> GenericAdapter | Any:
        return Broken(name) if name == "timeout_newyork" else adapter_for(name, hint=hint)

    monkeypatch.setattr(ingestion, "adapter_for", adapters)
    c = make(db_url, clock)
    summary = run_ingestion(
        c.ingestion(),
        pages=SavedPages(PAGES),
        sources=["timeout_newyork", "secretnyc"],
        as_of=AS_OF,
    )
    assert summary.status == "degraded"
    assert [(s.source, s.status) for s in summary.sources] == [
        ("timeout_newyork", "failed"),
        ("secretnyc", "success"),
    ]
    assert "selector exploded" in (summary.sources[0].error_text or "")
    c.close()
