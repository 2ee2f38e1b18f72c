"""``yescount migrate``'s use case on a recording migrator (the migrations themselves run
up and down on SQLite and PostgreSQL in tests/integration/test_migrations.py)."""

from __future__ import annotations

import pytest

from yescount.errors import StorageError
from yescount.services.schema import SchemaChange, migrate_schema


class RecordingMigrator:
    def __init__(self, *, fail: bool = False) -> None:
        self.targets: list[str] = []
        self.fail = fail
        self.current: str | None = None

    def migrate_to(self, target: str) -> tuple[str | None, str | None]:
        self.targets.append(target)
        if self.fail:
            raise StorageError(f"Migration to {target} failed and was rolled back: boom")
        before, self.current = self.current, None if target == "base" else target
        return before, self.current


def test_migrate_reports_before_and_after() -> None:
    migrator = RecordingMigrator()
    assert migrate_schema(migrator=migrator) == SchemaChange(None, "head")
    assert migrate_schema("base", migrator=migrator) == SchemaChange("head", None)
    assert migrator.targets == ["head", "base"]


def test_a_failed_migration_is_a_storage_error() -> None:
    with pytest.raises(StorageError, match="rolled back"):
        migrate_schema("0003", migrator=RecordingMigrator(fail=True))
