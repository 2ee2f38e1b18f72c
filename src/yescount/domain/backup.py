"""What a backup holds and what a database copy proved (plain data, no I/O).

``SnapshotManifest`` is the manifest of a snapshot file (schema revision, when it was
made, rows and checksum per table); ``ParityReport`` compares a copied database with
its source table by table. ``storage/snapshot.py`` and ``storage/copy.py`` make them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

SNAPSHOT_FORMAT = "yescount-snapshot/1"


@dataclass(frozen=True, slots=True)
class TableSummary:
    name: str
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class SnapshotManifest:
    revision: str | None
    created_at: str
    tables: tuple[TableSummary, ...]

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": SNAPSHOT_FORMAT,
                "revision": self.revision,
                "created_at": self.created_at,
                "tables": [
                    {"name": t.name, "rows": t.rows, "sha256": t.sha256} for t in self.tables
                ],
            },
            indent=2,
        )


@dataclass(frozen=True, slots=True)
class TableParity:
    name: str
    source_rows: int
    target_rows: int
    sampled: int
    mismatched: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and not self.mismatched


@dataclass(frozen=True, slots=True)
class ParityReport:
    tables: tuple[TableParity, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)
