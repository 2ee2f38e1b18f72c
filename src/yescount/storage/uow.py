"""Unit of work: one connection and one transaction per use case.

``with uow:`` opens a connection and begins a transaction; the use case calls
``uow.commit()`` once at the end. Leaving the block without committing — or
with an exception — rolls everything back. Database driver errors are turned
into ``StorageError`` so entry points can answer "try again" without leaking
SQL; inside ``savepoint()`` an integrity violation becomes ``ConflictError``.
Write use cases take SQLite's write lock up front (BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from yescount.errors import ConflictError, StorageError
from yescount.ports import UnitOfWorkFactory
from yescount.storage.repositories.events import EventRepository
from yescount.storage.repositories.ingestion_runs import IngestionRunRepository
from yescount.storage.repositories.planning import (
    AvailabilityRepository,
    ParticipantRepository,
    SessionRepository,
    VoteRepository,
)
from yescount.storage.repositories.search import SearchRepository


class UnitOfWork:
    """A single-use transaction scope exposing the repositories."""

    def __init__(self, engine: Engine, *, write: bool = True) -> None:
        self._engine = engine
        self._write = write
        self._conn: Connection | None = None
        self._committed = False

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("UnitOfWork used outside its `with` block")
        return self._conn

    def __enter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("UnitOfWork is single-use; build a new one per use case")
        try:
            conn = self._engine.connect()
            if self._write:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            conn.begin()
        except OperationalError as exc:
            raise StorageError("The database is unreachable right now.") from exc
        self._conn = conn
        self.sessions = SessionRepository(conn)
        self.participants = ParticipantRepository(conn)
        self.votes = VoteRepository(conn)
        self.availability = AvailabilityRepository(conn)
        self.events = EventRepository(conn)
        self.ingestion_runs = IngestionRunRepository(conn)
        self.search = SearchRepository(conn)
        return self

    def commit(self) -> None:
        try:
            self.conn.commit()
        except DBAPIError as exc:
            raise StorageError("Saving failed; nothing was changed.") from exc
        self._committed = True

    def rollback(self) -> None:
        self.conn.rollback()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A SAVEPOINT: an error inside undoes only its writes, then propagates translated."""
        try:
            with self.conn.begin_nested():
                yield
        except IntegrityError as exc:
            raise ConflictError("The database refused a conflicting row.", code="conflict") from exc
        except SQLAlchemyError as exc:
            raise StorageError(f"The database refused the write ({type(exc).__name__}).") from exc

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn = self.conn
        try:
            if not self._committed and conn.in_transaction():
                conn.rollback()
        finally:
            conn.close()
        if isinstance(exc, OperationalError):
            raise StorageError("The database is unreachable right now.") from exc


def uow_factory(engine: Engine) -> UnitOfWorkFactory:
    """The ``UnitOfWorkFactory`` port over one engine (a fresh unit of work per call)."""

    def make(*, write: bool = True) -> UnitOfWork:
        return UnitOfWork(engine, write=write)

    return make
