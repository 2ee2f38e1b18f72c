"""The ports: Protocols the services depend on; storage/search/ingest/llm implement them.

Services import only ``domain``, ``ports`` and ``errors`` (tests/unit/test_architecture.py).
``bootstrap.py`` is the one place that picks the implementations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yescount.ports.backup import Backups, DatabaseCopier
from yescount.ports.clock import Clock, system_clock
from yescount.ports.storage import (
    AvailabilityRepository,
    DatabaseProbe,
    EventRepository,
    IngestionRunRepository,
    ParticipantRepository,
    RunLock,
    SchemaMigrator,
    SearchRepository,
    SessionRepository,
    UnitOfWork,
    UnitOfWorkFactory,
    UpsertOutcome,
    VoteRepository,
)

__all__ = [
    "AvailabilityRepository",
    "Backups",
    "Clock",
    "Copywriter",
    "DatabaseCopier",
    "DatabaseProbe",
    "Embedder",
    "EventRepository",
    "IngestionRunRepository",
    "PageSource",
    "ParticipantRepository",
    "RunLock",
    "SchemaMigrator",
    "SearchRepository",
    "SessionRepository",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UpsertOutcome",
    "VectorIndex",
    "Vectors",
    "VoteRepository",
    "system_clock",
]

_ADAPTERS = frozenset({"Copywriter", "Embedder", "PageSource", "VectorIndex", "Vectors"})

if TYPE_CHECKING:
    from yescount.ports.adapters import Copywriter, Embedder, PageSource, VectorIndex, Vectors
else:

    def __getattr__(name: str) -> Any:
        # The adapter ports live beside their implementations' shared code; loading them
        # lazily keeps ``import yescount.ports`` light and free of import cycles.
        if name in _ADAPTERS:
            from yescount.ports import adapters

            return getattr(adapters, name)
        raise AttributeError(name)
