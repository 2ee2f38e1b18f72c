"""The backup use cases on an in-memory ``Backups`` (the snapshot files themselves are
tested on SQLite and PostgreSQL in tests/integration/test_snapshot.py and through the
console script in tests/e2e/test_cli_backup.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import FrozenClock
from yescount.domain.backup import ParityReport, SnapshotManifest, TableParity, TableSummary
from yescount.errors import ValidationError
from yescount.services.backup import back_up, copy_database, restore_backup, verify_backup

MANIFEST = SnapshotManifest(
    "0007",
    "2026-11-25T15:00:00+00:00",
    (TableSummary("events", 3, "ab"), TableSummary("votes", 2, "cd")),
)


class FakeBackups:
    def __init__(self, problems: list[str] | None = None) -> None:
        self.problems = problems or []
        self.calls: list[tuple[str, Path]] = []
        self.restored_into_scratch = False

    def write(self, path: Path, *, created_at: datetime) -> SnapshotManifest:
        self.calls.append(("write", path))
        return SnapshotManifest(MANIFEST.revision, created_at.isoformat(), MANIFEST.tables)

    def read_manifest(self, path: Path) -> SnapshotManifest:
        if path.name == "junk.zip":
            raise ValidationError(f"{path} is not a YesCount snapshot: bad zip")
        return MANIFEST

    def verify(self, path: Path) -> list[str]:
        self.read_manifest(path)
        return list(self.problems)

    def check_restores(self, path: Path) -> None:
        self.calls.append(("scratch", path))

    def restore(self, path: Path, *, replace: bool) -> SnapshotManifest:
        self.calls.append(("restore" + (" replace" if replace else ""), path))
        return MANIFEST


def test_back_up_names_the_file_from_the_clock(clock: FrozenClock) -> None:
    backups = FakeBackups()
    written = back_up(backups=backups, clock=clock)
    assert written.path == Path("backups/yescount-20261125T150000Z.zip")
    assert backups.calls == [("write", written.path)]
    assert written.manifest.created_at == "2026-11-25T15:00:00+00:00"
    assert written.manifest.total_rows == 5
    chosen = back_up(backups=backups, clock=clock, output=Path("x/snap.zip"))
    assert chosen.path == Path("x/snap.zip")


def test_a_sound_backup_is_also_restored_into_a_scratch_database() -> None:
    backups = FakeBackups()
    check = verify_backup(Path("snap.zip"), backups=backups)
    assert check.ok
    assert check.manifest == MANIFEST
    assert backups.calls == [("scratch", Path("snap.zip"))]
    quick = FakeBackups()
    assert verify_backup(Path("snap.zip"), backups=quick, restore_check=False).ok
    assert quick.calls == []


def test_a_damaged_backup_reports_its_problems_and_is_not_restored() -> None:
    backups = FakeBackups(problems=["votes: checksum mismatch"])
    check = verify_backup(Path("snap.zip"), backups=backups)
    assert not check.ok
    assert check.problems == ("votes: checksum mismatch",)
    assert backups.calls == []


def test_garbage_is_not_a_backup() -> None:
    with pytest.raises(ValidationError, match="not a YesCount snapshot"):
        verify_backup(Path("junk.zip"), backups=FakeBackups())


def test_restore_passes_replace_through() -> None:
    backups = FakeBackups()
    assert restore_backup(Path("s.zip"), backups=backups).total_rows == 5
    restore_backup(Path("s.zip"), backups=backups, replace=True)
    assert backups.calls == [("restore", Path("s.zip")), ("restore replace", Path("s.zip"))]


def test_copy_refuses_the_same_database_and_reports_parity() -> None:
    copies: list[tuple[str, str, int]] = []

    def copier(source_url: str, target_url: str, *, sample_size: int) -> ParityReport:
        copies.append((source_url, target_url, sample_size))
        return ParityReport((TableParity("events", 3, 3, 3), TableParity("votes", 2, 1, 1)))

    with pytest.raises(ValidationError, match="same database"):
        copy_database("sqlite:///a.db", "sqlite:///a.db", copier=copier)
    assert copies == []
    report = copy_database(
        "sqlite:///a.db", "postgresql+psycopg://h/b", copier=copier, sample_size=7
    )
    assert copies == [("sqlite:///a.db", "postgresql+psycopg://h/b", 7)]
    assert not report.ok
    assert [t.ok for t in report.tables] == [True, False]
