"""The ingestion service on the fake unit of work: run bookkeeping, dedup, the lock.

Real databases, the real CLI and a killed process are in tests/integration.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import FrozenClock
from tests.fakes import FakeStore
from yescount.errors import ConflictError
from yescount.ingest.config import Registry, SourceConfig
from yescount.ingest.pages import PageFailure, PageOrFailure, SavedPages
from yescount.ingest.registry import registry
from yescount.services import ingestion
from yescount.services.ingestion import Ingestion, run_ingestion

ROOT = Path(__file__).resolve().parents[2]
PAGES = SavedPages(ROOT / "tests" / "fixtures" / "pages")
AS_OF = date(2026, 11, 20)
SOURCES = registry(ROOT / "config" / "sources.yaml")


class Lock:
    def __init__(self) -> None:
        self.held = False

    def acquire(self) -> Lock | None:
        if self.held:
            return None
        self.held = True
        return self

    def release(self) -> None:
        self.held = False


class Unreachable:
    mode = "live"

    def pages(self, source: SourceConfig) -> Iterator[PageOrFailure]:
        for url in source.start_urls or [source.site]:
            yield PageFailure(url, "fetch_unreachable", f"cannot reach {url}")


def _deps(store: FakeStore, clock: FrozenClock, lock: Lock, **kw: object) -> Ingestion:
    def sources() -> Registry:
        return SOURCES

    return Ingestion(
        uow=store.uow,
        clock=clock,
        sources=sources,
        try_lock=lock.acquire,
        live_pages=Unreachable,
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


def test_a_saved_run_stores_once_and_a_rerun_changes_nothing(
    store: FakeStore, clock: FrozenClock
) -> None:
    lock = Lock()
    seen: list[tuple[str, int]] = []
    first = run_ingestion(
        _deps(store, clock, lock),
        pages=PAGES,
        sources=["secretnyc"],
        as_of=AS_OF,
        on_stored=lambda source, index: seen.append((source, index)),
    )
    assert first.status == "success"
    assert first.counts.new == first.counts.accepted == len(store.tables.events) > 0
    assert seen[0] == ("secretnyc", 0)
    assert not lock.held
    clock.now += timedelta(hours=1)
    again = run_ingestion(
        _deps(store, clock, lock), pages=PAGES, sources=["secretnyc"], as_of=AS_OF
    )
    assert (again.counts.new, again.counts.updated) == (0, 0)
    assert again.counts.unchanged == first.counts.new


def test_a_held_lock_refuses_the_run_and_writes_nothing(
    store: FakeStore, clock: FrozenClock
) -> None:
    lock = Lock()
    lock.acquire()
    with pytest.raises(ConflictError) as err:
        run_ingestion(_deps(store, clock, lock), pages=PAGES, sources=["secretnyc"])
    assert err.value.code == "ingestion_running"
    assert store.tables.runs == {}


def test_unreachable_sources_fail_the_run_and_keep_stored_events(
    store: FakeStore, clock: FrozenClock
) -> None:
    lock = Lock()
    run_ingestion(_deps(store, clock, lock), pages=PAGES, sources=["secretnyc"], as_of=AS_OF)
    kept = dict(store.tables.events)
    failed = run_ingestion(_deps(store, clock, lock), sources=["secretnyc"])  # live: unreachable
    assert failed.status == "failed"
    assert failed.sources[0].status == "failed"
    assert "cannot reach" in (failed.sources[0].error_text or "")
    assert store.tables.events == kept


def test_a_left_over_running_row_is_abandoned(store: FakeStore, clock: FrozenClock) -> None:
    with store.uow() as uow:
        stale = uow.ingestion_runs.start(now=clock(), strict=False, trigger="cli")
        uow.commit()
    run_ingestion(_deps(store, clock, Lock()), pages=PAGES, sources=["secretnyc"], as_of=AS_OF)
    assert store.tables.runs[stale].status == "failed"
    assert "abandoned" in (store.tables.runs[stale].error_text or "")


def test_refresh_follows_the_switch_staleness_and_cooldown(
    store: FakeStore, clock: FrozenClock
) -> None:
    deps = _deps(store, clock, Lock(), auto_refresh=True, max_staleness_hours=6)
    assert ingestion.should_refresh(_deps(store, clock, Lock())) is False  # switched off
    assert ingestion.should_refresh(deps) is True  # never ran
    run_ingestion(deps, pages=PAGES, sources=["secretnyc"], as_of=AS_OF)
    assert ingestion.should_refresh(deps) is False
    clock.now += timedelta(hours=7)
    assert ingestion.should_refresh(deps) is True


def test_a_background_refresh_runs_once_under_the_lock(
    store: FakeStore, clock: FrozenClock
) -> None:
    lock = Lock()
    deps = _deps(store, clock, lock)
    assert ingestion.start_background_refresh(deps, pages=PAGES) is True
    ingestion.wait_for_background_refresh(timeout=60)
    assert not lock.held
    assert [r.trigger for r in store.tables.runs.values()] == ["auto"]
    lock.acquire()
    assert ingestion.start_background_refresh(deps, pages=PAGES) is False
