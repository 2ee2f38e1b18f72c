"""Use case: move the database schema to a revision (``yescount migrate``)."""

from __future__ import annotations

from dataclasses import dataclass

from yescount.observability import log_operation
from yescount.ports import SchemaMigrator


@dataclass(frozen=True, slots=True)
class SchemaChange:
    before: str | None
    after: str | None


def migrate_schema(target: str = "head", *, migrator: SchemaMigrator) -> SchemaChange:
    """Upgrade or downgrade to ``target`` ("head", "base" or a revision id)."""
    with log_operation("migrate_schema", target=target) as log:
        before, after = migrator.migrate_to(target)
        log.update(before=before, after=after)
    return SchemaChange(before, after)
