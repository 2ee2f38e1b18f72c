"""Wiring: ``build(settings)`` assembles the collaborators; imports have no side effects."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine

from yescount.config import Settings
from yescount.ports import Clock, system_clock
from yescount.storage.engine import make_engine
from yescount.storage.uow import UnitOfWork


@dataclass
class Container:
    """Everything an entry point needs; heavy parts are built on first use."""

    settings: Settings
    clock: Clock = field(default=system_clock)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.sqlalchemy_url)

    def uow(self, *, write: bool = True) -> UnitOfWork:
        """A fresh unit of work (one per use case)."""
        return UnitOfWork(self.engine, write=write)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> Container:
    """Build the application container from settings (read from the environment if omitted)."""
    return Container(settings=settings or Settings.from_env(), clock=clock or system_clock)
