"""Use cases: back up, verify, restore and copy the database.

``back_up(backups=..., clock=...)`` writes a snapshot (default name from the clock);
``verify_backup`` checks one (and that it restores into a scratch database);
``restore_backup`` loads one; ``copy_database`` copies between two databases and
reports parity. The storage work is behind the ``Backups`` and ``DatabaseCopier``
ports (``storage/backups.py``), wired in ``bootstrap.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yescount.domain.backup import ParityReport, SnapshotManifest
from yescount.errors import ValidationError
from yescount.observability import log_operation
from yescount.ports import Backups, Clock, DatabaseCopier

BACKUP_DIR = Path("backups")


@dataclass(frozen=True, slots=True)
class BackupWritten:
    path: Path
    manifest: SnapshotManifest


@dataclass(frozen=True, slots=True)
class BackupCheck:
    """A snapshot's manifest and the problems found (none: it is sound)."""

    manifest: SnapshotManifest
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def back_up(*, backups: Backups, clock: Clock, output: Path | None = None) -> BackupWritten:
    """Write a snapshot of every canonical table to ``output`` (or the default path)."""
    now = clock()
    target = output or BACKUP_DIR / f"yescount-{now:%Y%m%dT%H%M%SZ}.zip"
    with log_operation("back_up") as log:
        manifest = backups.write(target, created_at=now)
        log.update(rows=manifest.total_rows, tables=len(manifest.tables))
    return BackupWritten(target, manifest)


def verify_backup(path: Path, *, backups: Backups, restore_check: bool = True) -> BackupCheck:
    """Checksums and counts of ``path``; when they hold (and ``restore_check``), also
    that it restores. ``ValidationError`` when ``path`` is not a snapshot at all."""
    problems = backups.verify(path)
    manifest = backups.read_manifest(path)
    if not problems and restore_check:
        backups.check_restores(path)
    return BackupCheck(manifest, tuple(problems))


def restore_backup(path: Path, *, backups: Backups, replace: bool = False) -> SnapshotManifest:
    """Load ``path`` into the configured database (must be empty unless ``replace``)."""
    with log_operation("restore_backup", replace=replace) as log:
        manifest = backups.restore(path, replace=replace)
        log.update(rows=manifest.total_rows)
    return manifest


def copy_database(
    source_url: str, target_url: str, *, copier: DatabaseCopier, sample_size: int = 50
) -> ParityReport:
    """Copy every row from ``source_url`` into the empty ``target_url``; compare them."""
    if source_url == target_url:
        raise ValidationError("--from and --to point at the same database.")
    with log_operation("copy_database") as log:
        report = copier(source_url, target_url, sample_size=sample_size)
        log.update(ok=report.ok)
    return report
