"""Readiness probes over an engine: reachable, and at the code's migration head."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from yescount.errors import StorageError
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
