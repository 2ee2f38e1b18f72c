"""Portable snapshots: every canonical table as JSON lines, with counts and checksums.

A snapshot is one zip file::

    manifest.json           format, schema revision, created_at, per-table rows + sha256
    tables/<table>.jsonl    one JSON object per row, ordered by primary key

It restores into SQLite or PostgreSQL (the same schema revision), so it doubles
as the pre-deploy backup and as the vehicle of a SQLite → PostgreSQL move.
Derived data (vector embeddings, full-text indexes) is not included: it is
rebuilt from the rows with ``yescount reindex``.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, Table, func, insert, select

from yescount.domain.backup import SNAPSHOT_FORMAT, SnapshotManifest, TableSummary
from yescount.errors import StorageError, ValidationError
from yescount.storage import migrate
from yescount.storage.tables import metadata

FORMAT = SNAPSHOT_FORMAT
BATCH = 1000


def canonical_tables() -> list[Table]:
    """Tables a snapshot carries, parents before children."""
    return [t for t in metadata.sorted_tables if not t.info.get("derived", False)]


def write_snapshot(engine: Engine, path: Path, *, created_at: datetime) -> SnapshotManifest:
    """Dump every canonical table of ``engine`` into a snapshot file at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    summaries: list[TableSummary] = []
    with engine.connect() as conn, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
        revision = migrate.status(engine).current
        for table in canonical_tables():
            digest = hashlib.sha256()
            rows = 0
            with zf.open(f"tables/{table.name}.jsonl", "w") as out:
                for line in _table_lines(conn, table):
                    out.write(line)
                    digest.update(line)
                    rows += 1
            summaries.append(TableSummary(table.name, rows, digest.hexdigest()))
        manifest = SnapshotManifest(revision, created_at.isoformat(), tuple(summaries))
        zf.writestr("manifest.json", manifest.to_json())
    # Only a complete snapshot ever carries the final name.
    partial.replace(path)
    return manifest


def read_manifest(path: Path) -> SnapshotManifest:
    """Parse a snapshot's manifest, with a clear error for anything else."""
    try:
        with zipfile.ZipFile(path) as zf:
            data = json.loads(zf.read("manifest.json"))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ValidationError(f"{path} is not a YesCount snapshot: {exc}") from exc
    if data.get("format") != FORMAT:
        raise ValidationError(f"{path}: unsupported snapshot format {data.get('format')!r}")
    tables = tuple(TableSummary(t["name"], int(t["rows"]), t["sha256"]) for t in data["tables"])
    return SnapshotManifest(data.get("revision"), data["created_at"], tables)


def verify_snapshot(path: Path) -> list[str]:
    """Recompute every table checksum and row count; return the problems found."""
    manifest = read_manifest(path)
    problems: list[str] = []
    with zipfile.ZipFile(path) as zf:
        for summary in manifest.tables:
            digest = hashlib.sha256()
            rows = 0
            try:
                with zf.open(f"tables/{summary.name}.jsonl") as src:
                    for line in src:
                        json.loads(line)
                        digest.update(line)
                        rows += 1
            except (KeyError, json.JSONDecodeError, zipfile.BadZipFile) as exc:
                problems.append(f"{summary.name}: unreadable ({exc})")
                continue
            if rows != summary.rows:
                problems.append(f"{summary.name}: {rows} rows, manifest says {summary.rows}")
            if digest.hexdigest() != summary.sha256:
                problems.append(f"{summary.name}: checksum mismatch")
    return problems


def restore_snapshot(engine: Engine, path: Path, *, replace: bool = False) -> SnapshotManifest:
    """Load a verified snapshot into ``engine`` in one transaction.

    The target is first migrated to the snapshot's schema revision. It must be
    empty unless ``replace`` is set, in which case its rows are deleted first.
    Any failure rolls the whole restore back.
    """
    problems = verify_snapshot(path)
    if problems:
        raise ValidationError("Snapshot failed verification: " + "; ".join(problems))
    manifest = read_manifest(path)
    migrate.migrate_to(engine, manifest.revision or "base")
    tables = {t.name: t for t in canonical_tables()}
    with engine.begin() as conn, zipfile.ZipFile(path) as zf:
        existing = sum(_count(conn, t) for t in tables.values())
        if existing and not replace:
            raise ValidationError(
                f"The target database already holds {existing} rows; "
                "restore into an empty database or pass --replace."
            )
        for table in reversed(list(tables.values())):
            conn.execute(table.delete())
        for summary in manifest.tables:
            table = tables.get(summary.name)
            if table is None:
                raise StorageError(f"Snapshot table {summary.name} is unknown to this version.")
            with zf.open(f"tables/{summary.name}.jsonl") as src:
                _insert_lines(conn, table, src)
        reset_sequences(conn)
    return manifest


def copy_rows(source: Connection, target: Connection, table: Table) -> int:
    """Stream every row of ``table`` from one database into another."""
    copied = 0
    batch: list[dict[str, Any]] = []
    for row in source.execute(select(table).order_by(*table.primary_key.columns)).mappings():
        batch.append(dict(row))
        if len(batch) >= BATCH:
            target.execute(insert(table), batch)
            copied += len(batch)
            batch = []
    if batch:
        target.execute(insert(table), batch)
        copied += len(batch)
    return copied


def reset_sequences(conn: Connection) -> None:
    """After inserting explicit ids, move PostgreSQL sequences past the largest id."""
    if conn.dialect.name != "postgresql":
        return
    for table in canonical_tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        next_id = select(func.coalesce(func.max(pk[0]), 0) + 1).scalar_subquery()
        sequence = func.pg_get_serial_sequence(table.name, pk[0].name)
        conn.execute(select(func.setval(sequence, next_id, False)))


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _table_lines(conn: Connection, table: Table) -> Iterator[bytes]:
    query = select(table).order_by(*table.primary_key.columns)
    for row in conn.execute(query).mappings():
        record = {key: _encode(value) for key, value in row.items()}
        yield (json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _insert_lines(conn: Connection, table: Table, lines: Any) -> None:
    batch: list[dict[str, Any]] = []
    for line in lines:
        raw = json.loads(line)
        batch.append({col.name: _decode(_python_type(col), raw.get(col.name)) for col in table.c})
        if len(batch) >= BATCH:
            conn.execute(insert(table), batch)
            batch = []
    if batch:
        conn.execute(insert(table), batch)


def _python_type(column: Any) -> type | None:
    try:
        kind: type = column.type.python_type
    except NotImplementedError:
        return None
    return kind


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, UUID):
        return str(value)
    return value


def _decode(kind: type | None, value: Any) -> Any:
    if value is None or kind is None:
        return value
    decoders: dict[type, Any] = {
        datetime: datetime.fromisoformat,
        date: date.fromisoformat,
        time: time.fromisoformat,
        Decimal: Decimal,
        UUID: UUID,
    }
    decoder = decoders.get(kind)
    return decoder(value) if decoder else value
