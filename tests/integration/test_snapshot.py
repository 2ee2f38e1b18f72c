"""Backups and database copies: SQLite ⇄ PostgreSQL with counts, checksums and parity."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.conftest import FROZEN_NOW
from tests.factories.events import event_record
from yescount.errors import ValidationError
from yescount.storage.copy import compare_databases, copy_database
from yescount.storage.snapshot import (
    read_manifest,
    restore_snapshot,
    verify_snapshot,
    write_snapshot,
)
from yescount.storage.tables import events
from yescount.storage.uow import UnitOfWork


def _seed(engine: Engine, n: int = 25) -> list[int]:
    with UnitOfWork(engine) as uow:
        ids = [uow.events.upsert(event_record(), now=FROZEN_NOW)[0] for _ in range(n)]
        uow.commit()
    return ids


def _event_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(select(events).order_by(events.c.id)).all()
    return [tuple(row) for row in rows]


def test_snapshot_round_trip_restores_identical_rows(
    engine: Engine, sqlite_engine: Engine, tmp_path: Path
) -> None:
    """Whatever the source backend, a snapshot restores into a fresh SQLite database."""
    _seed(engine)
    path = tmp_path / "snap.zip"
    manifest = write_snapshot(engine, path, created_at=FROZEN_NOW)
    assert {t.name: t.rows for t in manifest.tables}["events"] == 25
    assert verify_snapshot(path) == []

    with sqlite_engine.begin() as conn:
        conn.execute(events.delete())
    restore_snapshot(sqlite_engine, path)
    assert compare_databases(engine, sqlite_engine).ok


@pytest.mark.postgres
def test_sqlite_snapshot_restores_into_postgres_and_ids_continue(
    sqlite_engine: Engine, pg_engine: Engine, tmp_path: Path
) -> None:
    ids = _seed(sqlite_engine, 10)
    path = tmp_path / "snap.zip"
    write_snapshot(sqlite_engine, path, created_at=FROZEN_NOW)
    restore_snapshot(pg_engine, path)
    report = compare_databases(sqlite_engine, pg_engine)
    assert report.ok, report
    # Sequences moved past the restored ids: new rows do not collide.
    with UnitOfWork(pg_engine) as uow:
        new_id, outcome = uow.events.upsert(event_record(), now=FROZEN_NOW)
        uow.commit()
    assert outcome == "new"
    assert new_id > max(ids)


def test_tampered_snapshot_is_detected_and_not_restored(engine: Engine, tmp_path: Path) -> None:
    _seed(engine, 3)
    good = tmp_path / "good.zip"
    write_snapshot(engine, good, created_at=FROZEN_NOW)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "tables/events.jsonl":
                data = data.replace(b"Test Event", b"Evil Event", 1)
            dst.writestr(item, data)
    assert verify_snapshot(bad) == ["events: checksum mismatch"]
    with pytest.raises(ValidationError, match="verification"):
        restore_snapshot(engine, bad, replace=True)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 3


def test_restore_refuses_a_non_empty_database(engine: Engine, tmp_path: Path) -> None:
    _seed(engine, 2)
    path = tmp_path / "snap.zip"
    write_snapshot(engine, path, created_at=FROZEN_NOW)
    before = _event_rows(engine)
    with pytest.raises(ValidationError, match="already holds"):
        restore_snapshot(engine, path)
    assert _event_rows(engine) == before  # refused: nothing touched
    _seed(engine, 3)  # rows the snapshot does not have: ``replace`` must drop them
    restore_snapshot(engine, path, replace=True)
    assert _event_rows(engine) == before
    assert {t.name: t.rows for t in read_manifest(path).tables}["events"] == 2


def test_not_a_snapshot_gives_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_text("hello")
    with pytest.raises(ValidationError, match="not a YesCount snapshot"):
        read_manifest(junk)


@pytest.mark.postgres
def test_copy_db_sqlite_to_postgres_reports_parity(
    sqlite_engine: Engine, pg_engine: Engine
) -> None:
    _seed(sqlite_engine, 30)
    report = copy_database(sqlite_engine, pg_engine, sample_size=10)
    assert report.ok
    by_name = {t.name: t for t in report.tables}
    assert by_name["events"].source_rows == by_name["events"].target_rows == 30
    assert by_name["events"].sampled == 10
    with pytest.raises(ValidationError, match="not empty"):
        copy_database(sqlite_engine, pg_engine)
