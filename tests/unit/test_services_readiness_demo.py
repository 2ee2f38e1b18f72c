"""Readiness and demo-data services on fakes (no database, no index)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import FrozenClock
from tests.factories.events import event_record
from tests.fakes import FakeStore
from tests.fakes.plans import fake_events
from yescount.config import Settings
from yescount.errors import SearchError, StorageError
from yescount.search.index import IndexInfo
from yescount.services import demo, readiness
from yescount.services.readiness import ingestion_check, vector_index_check
from yescount.shapes import readiness_json


class Probe:
    dialect = "sqlite"

    def __init__(self, *, down: bool = False, current: str | None = "0004") -> None:
        self.down, self.current = down, current

    def ping(self) -> None:
        if self.down:
            raise StorageError("connection refused")

    def revisions(self) -> tuple[str | None, str]:
        return self.current, "0004"


class Index:
    def __init__(self, count: int, *, broken: bool = False) -> None:
        self.count, self.broken = count, broken

    def info(self) -> IndexInfo:
        if self.broken:
            raise SearchError("chroma is down")
        return IndexInfo("chroma", "all-MiniLM-L6-v2", 384, self.count)


SETTINGS = Settings(database_url="sqlite:///:memory:")


def test_ready_when_the_database_answers_at_head() -> None:
    report = readiness.readiness(SETTINGS, Probe())
    assert report.ready
    assert [c.name for c in report.checks] == ["config", "database", "migrations"]
    assert report.status == "ok"


@pytest.mark.parametrize(
    ("probe", "failed"),
    [(Probe(down=True), {"database", "migrations"}), (Probe(current=None), {"migrations"})],
)
def test_not_ready_when_the_database_is_down_or_behind(probe: Probe, failed: set[str]) -> None:
    report = readiness.readiness(SETTINGS, probe)
    assert not report.ready
    assert {c.name for c in report.checks if c.status == "failed"} == failed
    assert readiness_json(report)["ready"] is False


def test_optional_checks_only_degrade() -> None:
    report = readiness.readiness(
        SETTINGS,
        Probe(),
        optional=(lambda: vector_index_check(lambda: Index(0)),),  # type: ignore[arg-type,return-value]
    )
    assert report.ready
    assert report.status == "degraded"
    broken = vector_index_check(lambda: Index(0, broken=True))  # type: ignore[arg-type,return-value]
    assert (broken.status, broken.detail) == ("degraded", "chroma is down")
    assert vector_index_check(lambda: Index(3)).status == "ok"  # type: ignore[arg-type,return-value]


def test_ingestion_check_follows_the_last_run(clock: FrozenClock) -> None:
    store = FakeStore()
    check = ingestion_check(store.uow, clock, max_staleness_hours=6)
    assert check.status == "degraded"
    assert "no ingestion run yet" in check.detail
    with store.uow() as uow:
        run = uow.ingestion_runs.start(now=clock(), strict=False, trigger="cli")
        uow.ingestion_runs.finish(
            run, now=clock(), status="success", counts=uow.ingestion_runs.get(run).counts,  # type: ignore[union-attr]
            error_text=None,
        )  # fmt: skip
        uow.commit()
    assert ingestion_check(store.uow, clock, max_staleness_hours=6).status == "ok"
    clock.now += timedelta(hours=7)
    stale = ingestion_check(store.uow, clock, max_staleness_hours=6)
    assert stale.status == "degraded"
    assert "no successful run in the last 6 h" in stale.detail


def test_demo_loads_once_and_removes_only_demo_events(clock: FrozenClock) -> None:
    store = FakeStore()
    (real,) = fake_events(store, event_record())
    skipped = demo.load_demo(uow=store.uow(), clock=clock, only_if_empty=True)
    assert skipped.loaded == 0
    assert skipped.skipped_reason is not None
    loaded = demo.load_demo(uow=store.uow(), clock=clock, only_if_empty=False)
    assert loaded.loaded == loaded.new > 0
    again = demo.load_demo(uow=store.uow(), clock=clock, only_if_empty=False)
    assert (again.new, again.unchanged) == (0, loaded.loaded)
    assert demo.remove_demo(uow=store.uow()) == loaded.loaded
    assert list(store.tables.events) == [real]
