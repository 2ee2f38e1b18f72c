"""Readiness probes over an engine (reachable, at the code's migration head) and the
schema migrator."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from yescount.errors import ConfigError, StorageError
from yescount.storage import migrate


class EngineProbe:
    """``ports.DatabaseProbe`` for a SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def ping(self) -> None:
        try:
            with self._engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise StorageError(reason) from exc

    def revisions(self) -> tuple[str | None, str]:
        try:
            state = migrate.status(self._engine)
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot read revision: {exc.__class__.__name__}") from exc
        return state.current, state.head


class EngineMigrator:
    """``ports.SchemaMigrator`` for the engine ``engine()`` builds (Alembic inside the
    package); building it is part of the attempt, so a bad URL is a ``StorageError`` too."""

    def __init__(self, engine: Callable[[], Engine]) -> None:
        self._engine = engine

    def migrate_to(self, target: str) -> tuple[str | None, str | None]:
        try:
            return migrate.migrate_to(self._engine(), target)
        except (ConfigError, StorageError):
            raise
        except Exception as exc:  # Alembic, the driver or a migration: all roll back
            raise StorageError(f"Migration to {target} failed and was rolled back: {exc}") from exc
