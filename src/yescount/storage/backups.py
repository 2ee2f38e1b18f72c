"""The backup ports over SQLAlchemy engines: snapshot files and database copies."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from yescount.domain.backup import ParityReport, SnapshotManifest
from yescount.storage import snapshot
from yescount.storage.copy import copy_database
from yescount.storage.engine import make_engine


class SnapshotBackups:
    """``Backups`` for the database ``engine()`` returns (built only when needed:
    verifying a file never touches the configured database)."""

    def __init__(self, engine: Callable[[], Engine]) -> None:
        self._engine = engine

    def write(self, path: Path, *, created_at: datetime) -> SnapshotManifest:
        return snapshot.write_snapshot(self._engine(), path, created_at=created_at)

    def read_manifest(self, path: Path) -> SnapshotManifest:
        return snapshot.read_manifest(path)

    def verify(self, path: Path) -> list[str]:
        return snapshot.verify_snapshot(path)

    def check_restores(self, path: Path) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            engine = make_engine(f"sqlite:///{Path(scratch) / 'restore.db'}")
            try:
                snapshot.restore_snapshot(engine, path)
            finally:
                engine.dispose()

    def restore(self, path: Path, *, replace: bool) -> SnapshotManifest:
        return snapshot.restore_snapshot(self._engine(), path, replace=replace)


def copy_between(source_url: str, target_url: str, *, sample_size: int) -> ParityReport:
    """``DatabaseCopier``: copy ``source_url`` into the empty ``target_url``, compare."""
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        return copy_database(source, target, sample_size=sample_size)
    finally:
        source.dispose()
        target.dispose()
