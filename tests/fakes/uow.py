"""``FakeUnitOfWork``: the storage ports over plain dicts, with real commit/rollback.

A ``FakeStore`` is the "database"; each unit of work copies it on ``with``, works on
the copy and writes it back on ``commit()`` only, so a use case that fails half-way
leaves the store untouched — the behaviour the services rely on. Integrity rules the
services depend on (unique names, votes on existing events) raise what the real
unit of work raises (``ConflictError``).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

from tests.fakes.events import FakeEventRepository, FakeIngestionRunRepository
from tests.fakes.planning import (
    FakeAvailabilityRepository,
    FakeParticipantRepository,
    FakeSessionRepository,
    FakeVoteRepository,
    Tables,
)
from tests.fakes.search import FakeSearchRepository

_STORES = itertools.count(1)


@dataclass
class FakeStore:
    """The committed state, shared by every unit of work made from it."""

    tables: Tables = field(default_factory=Tables)
    commits: int = 0
    # Names this store for caches kept per database (the spelling vocabulary).
    name: str = field(default_factory=lambda: f"fake:{next(_STORES)}")

    def uow(self, *, write: bool = True) -> FakeUnitOfWork:
        """A fresh unit of work (the ``UnitOfWorkFactory`` port)."""
        return FakeUnitOfWork(self, write=write)


class FakeUnitOfWork:
    """Single use, like the real one: ``with uow: ...; uow.commit()``."""

    def __init__(self, store: FakeStore | None = None, *, write: bool = True) -> None:
        self.store = store or FakeStore()
        self.write = write
        self._tables: Tables | None = None
        self._used = False
        self.committed = False

    def _require(self) -> Tables:
        if self._tables is None:
            raise RuntimeError("FakeUnitOfWork used outside its `with` block")
        return self._tables

    @property
    def sessions(self) -> FakeSessionRepository:
        return FakeSessionRepository(self._require())

    @property
    def participants(self) -> FakeParticipantRepository:
        return FakeParticipantRepository(self._require())

    @property
    def votes(self) -> FakeVoteRepository:
        return FakeVoteRepository(self._require())

    @property
    def availability(self) -> FakeAvailabilityRepository:
        return FakeAvailabilityRepository(self._require())

    @property
    def events(self) -> FakeEventRepository:
        return FakeEventRepository(self._require())

    @property
    def ingestion_runs(self) -> FakeIngestionRunRepository:
        return FakeIngestionRunRepository(self._require())

    @property
    def search(self) -> FakeSearchRepository:
        return FakeSearchRepository(self._require(), self.store.name)

    def __enter__(self) -> Self:
        if self._used:
            raise RuntimeError("FakeUnitOfWork is single-use; build a new one per use case")
        self._used = True
        self._tables = copy.deepcopy(self.store.tables)
        return self

    def commit(self) -> None:
        if not self.write:
            raise RuntimeError("commit() on a read-only unit of work")
        self.store.tables = copy.deepcopy(self._require())
        self.store.commits += 1
        self.committed = True

    def rollback(self) -> None:
        self._tables = copy.deepcopy(self.store.tables)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        tables = self._require()
        saved = copy.deepcopy(tables)
        try:
            yield
        except BaseException:
            self._tables = saved
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._tables = None
