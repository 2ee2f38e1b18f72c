"""Copy every canonical row from one database to another, with a parity report.

Used for the SQLite → PostgreSQL backfill (deployment plan, phase B): the
target is migrated to head and must be empty; all tables are copied in one
transaction, PostgreSQL sequences are moved past the copied ids, then counts
and a random sample of records are compared field by field.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select

from yescount.domain.backup import ParityReport, TableParity
from yescount.errors import ValidationError
from yescount.storage import migrate
from yescount.storage.snapshot import canonical_tables, copy_rows, reset_sequences


def copy_database(source: Engine, target: Engine, *, sample_size: int = 50) -> ParityReport:
    """Copy all canonical tables from ``source`` into an empty ``target``; compare them."""
    if not migrate.status(source).is_current:
        raise ValidationError("The source database is not at the latest schema; migrate it first.")
    migrate.migrate_to(target, "head")
    tables = canonical_tables()
    with source.connect() as src, target.begin() as dst:
        occupied = [t.name for t in tables if _count(dst, t)]
        if occupied:
            raise ValidationError(
                "The target database is not empty (tables: " + ", ".join(occupied) + ")."
            )
        for table in tables:
            copy_rows(src, dst, table)
        reset_sequences(dst)
    return compare_databases(source, target, sample_size=sample_size)


def compare_databases(source: Engine, target: Engine, *, sample_size: int = 50) -> ParityReport:
    """Row counts per table plus a field-by-field check of randomly sampled records."""
    # Fixed seed: a re-run checks the same records. Sampling, not security.
    rng = random.Random(20261125)  # noqa: S311
    results = []
    with source.connect() as src, target.connect() as dst:
        for table in canonical_tables():
            keys = [tuple(r) for r in src.execute(select(*table.primary_key.columns))]
            sample = rng.sample(keys, min(sample_size, len(keys)))
            mismatched = tuple(
                repr(key) for key in sample if _fetch(src, table, key) != _fetch(dst, table, key)
            )
            results.append(
                TableParity(
                    table.name, _count(src, table), _count(dst, table), len(sample), mismatched
                )
            )
    return ParityReport(tuple(results))


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _fetch(conn: Connection, table: Table, key: tuple[Any, ...]) -> dict[str, Any] | None:
    conditions = [col == value for col, value in zip(table.primary_key.columns, key, strict=True)]
    row = conn.execute(select(table).where(*conditions)).mappings().first()
    if row is None:
        return None
    return {k: _comparable(v) for k, v in row.items()}


def _comparable(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    return value
