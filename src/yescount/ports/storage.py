"""The storage ports: a unit of work and the repositories it exposes.

``storage.uow.UnitOfWork`` implements them over SQLAlchemy; ``tests/fakes`` over dicts.
A unit of work is single-use: ``with uow:`` opens the transaction, ``uow.commit()``
saves it, leaving the block without committing rolls back. Driver errors never leave
it raw: an integrity violation is a ``ConflictError``, an unreachable or failed
database a ``StorageError``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, time
from types import TracebackType
from typing import Literal, Protocol, Self
from uuid import UUID

from yescount.domain.dedup import DedupView
from yescount.domain.events import Event, EventRecord
from yescount.domain.ingestion import Counts, RunStatus, RunSummary, SourceOutcome
from yescount.domain.search import LexicalHit, SearchFilters
from yescount.domain.sessions import Participant, PlanSession, SessionRules

UpsertOutcome = Literal["new", "updated", "unchanged"]


class SessionRepository(Protocol):
    def add(self, plan: PlanSession) -> None: ...
    def get(self, session_id: UUID) -> PlanSession | None: ...
    def get_with_locked_title(self, session_id: UUID) -> tuple[PlanSession, str | None] | None: ...
    def reserve_seat(self, session_id: UUID, *, now: datetime) -> bool: ...
    def lock(
        self, session_id: UUID, *, now: datetime, event_id: int | None, day: date | None
    ) -> bool: ...
    def archive(self, session_id: UUID, *, now: datetime) -> bool: ...
    def update_rules(self, session_id: UUID, rules: SessionRules, *, now: datetime) -> bool: ...
    def archive_expired(self, *, now: datetime) -> int: ...


class ParticipantRepository(Protocol):
    def add(
        self,
        *,
        session_id: UUID,
        display_name: str,
        name_key: str,
        token_hash: str,
        is_organizer: bool,
        now: datetime,
    ) -> Participant: ...
    def by_token_hash(self, session_id: UUID, token_hash: str) -> Participant | None: ...
    def by_name_key(self, session_id: UUID, key: str) -> Participant | None: ...
    def list_for_session(self, session_id: UUID) -> list[Participant]: ...


class VoteRepository(Protocol):
    def upsert(
        self,
        *,
        session_id: UUID,
        participant_id: int,
        event_id: int,
        interested: bool,
        now: datetime,
    ) -> None: ...
    def yes_event_ids(self, session_id: UUID, participant_id: int) -> frozenset[int]: ...
    def yes_votes(self, session_id: UUID) -> list[tuple[int, int]]: ...
    def tally(self, session_id: UUID) -> dict[int, int]: ...
    def top_events(self, session_id: UUID, *, limit: int) -> list[tuple[int, str, int]]: ...


class AvailabilityRepository(Protocol):
    def replace(
        self,
        *,
        session_id: UUID,
        participant_id: int,
        days: Iterable[date],
        slot_start: time,
        slot_end: time,
        now: datetime,
    ) -> None: ...
    def days_for(self, session_id: UUID, participant_id: int) -> tuple[date, ...]: ...
    def for_session(self, session_id: UUID) -> list[tuple[int, date]]: ...
    def delete_days(self, session_id: UUID, days: Iterable[date]) -> int: ...


class EventRepository(Protocol):
    def get(self, event_id: int) -> Event | None: ...
    def get_many(self, event_ids: Iterable[int]) -> dict[int, Event]: ...
    def upsert(self, record: EventRecord, *, now: datetime) -> tuple[int, UpsertOutcome]: ...
    def upsert_keeping_links(
        self, record: EventRecord, *, now: datetime
    ) -> tuple[int, UpsertOutcome]: ...
    def dedup_views(self, *, since: date) -> list[DedupView]: ...
    def duplicate_of(self, event_id: int) -> int | None: ...
    def merge_duplicate(self, duplicate_id: int, canonical_id: int) -> None: ...
    def delete_demo(self) -> int: ...
    def count(self, *, demo: bool | None = None) -> int: ...
    def list_overlapping(
        self,
        start: date,
        end: date,
        *,
        sources: Sequence[str] | None = None,
        include_duplicates: bool = False,
        limit: int | None = None,
    ) -> list[Event]: ...
    def list_upcoming(
        self,
        today: date,
        *,
        sources: Sequence[str] | None = None,
        include_duplicates: bool = False,
        limit: int | None = None,
    ) -> list[Event]: ...


class SearchRepository(Protocol):
    """Search reads: full-text, tag and browse candidates (canonical events, filters
    applied), the rows of vector hits, the rows an index must hold, the vocabulary."""

    @property
    def database_key(self) -> str:
        """Names the database, for caches kept per database."""
        ...

    def lexical_search(
        self, terms: Sequence[str], *, filters: SearchFilters, today: date, limit: int = 50
    ) -> list[LexicalHit]:
        """Events with every term, best first; events with any rare term added when few."""
        ...

    def any_term_search(
        self, terms: Sequence[str], *, filters: SearchFilters, today: date, limit: int = 50
    ) -> list[LexicalHit]:
        """Events with any of the rare ``terms``, best first."""
        ...

    def warm_counts(self, words: Sequence[str], concepts: Sequence[Sequence[str]]) -> None:
        """Fill afresh the counts searches read first: of ``words`` and, per concept (its
        terms), of its words and matches."""
        ...

    def tagged(
        self, tags: Sequence[str], *, filters: SearchFilters, today: date, limit: int = 50
    ) -> list[LexicalHit]:
        """Events carrying any of ``tags`` (score 0)."""
        ...

    def browse(self, *, filters: SearchFilters, today: date, limit: int = 100) -> list[LexicalHit]:
        """Events passing ``filters``, soonest first (score 0)."""
        ...

    def passing(
        self, ids: Collection[int], *, filters: SearchFilters, today: date
    ) -> dict[int, Event]: ...
    def indexable(self, today: date, *, ids: Collection[int] | None = None) -> list[Event]:
        """Not duplicates, not over on ``today`` (all, or those among ``ids``), by id."""
        ...

    def titles_and_places(self) -> list[tuple[str, str | None]]: ...


class IngestionRunRepository(Protocol):
    def start(self, *, now: datetime, strict: bool, trigger: str) -> int: ...
    def abandon_running(self, *, now: datetime, reason: str) -> list[int]: ...
    def record_check(self, run_id: int, outcome: SourceOutcome) -> None: ...
    def finish(
        self,
        run_id: int,
        *,
        now: datetime,
        status: RunStatus,
        counts: Counts,
        error_text: str | None,
    ) -> None: ...
    def last_success_at(self) -> datetime | None: ...
    def is_running(self) -> bool: ...
    def get(self, run_id: int) -> RunSummary | None: ...
    def latest(self) -> RunSummary | None: ...


class UnitOfWork(Protocol):
    """One transaction over the repositories (single use)."""

    @property
    def sessions(self) -> SessionRepository: ...
    @property
    def participants(self) -> ParticipantRepository: ...
    @property
    def votes(self) -> VoteRepository: ...
    @property
    def availability(self) -> AvailabilityRepository: ...
    @property
    def events(self) -> EventRepository: ...
    @property
    def ingestion_runs(self) -> IngestionRunRepository: ...
    @property
    def search(self) -> SearchRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def savepoint(self) -> AbstractContextManager[None]:
        """A nested scope: an error inside undoes only its writes (then propagates,
        translated: ``ConflictError`` for an integrity violation, else ``StorageError``)."""
        ...


class UnitOfWorkFactory(Protocol):
    """A fresh unit of work per use case (``write=False`` for reads)."""

    def __call__(self, *, write: bool = True) -> UnitOfWork: ...


class DatabaseProbe(Protocol):
    """Readiness probes of the database (each raises ``StorageError`` with the reason)."""

    @property
    def dialect(self) -> str: ...
    def ping(self) -> None: ...
    def revisions(self) -> tuple[str | None, str]:
        """The schema's current revision (None: never migrated) and the code's head."""
        ...


class SchemaMigrator(Protocol):
    """Moves the database schema to a revision ("head", "base" or an id)."""

    def migrate_to(self, target: str) -> tuple[str | None, str | None]:
        """The (before, after) revisions; ``StorageError`` when a migration fails (it is
        rolled back)."""
        ...


class RunLock(Protocol):
    """Held while an ingestion run is in progress (one run at a time, across processes)."""

    def release(self) -> None: ...
