"""The backup ports: snapshot files of the configured database, and database copies."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Protocol

from yescount.domain.backup import ParityReport, SnapshotManifest


class Backups(Protocol):
    """Snapshots of the configured database (``storage.backups.SnapshotBackups``)."""

    def write(self, path: Path, *, created_at: datetime) -> SnapshotManifest:
        """Dump every canonical table into a new snapshot file."""
        ...

    def read_manifest(self, path: Path) -> SnapshotManifest:
        """The manifest, or ``ValidationError`` when ``path`` is not a snapshot."""
        ...

    def verify(self, path: Path) -> list[str]:
        """Recompute every checksum and row count; the problems found."""
        ...

    def check_restores(self, path: Path) -> None:
        """Restore into a scratch database and throw it away (raises on failure)."""
        ...

    def restore(self, path: Path, *, replace: bool) -> SnapshotManifest:
        """Load a verified snapshot into the configured database in one transaction."""
        ...


class DatabaseCopier(Protocol):
    """Copies every canonical row between two databases and compares them."""

    def __call__(self, source_url: str, target_url: str, *, sample_size: int) -> ParityReport: ...
