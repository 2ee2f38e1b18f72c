"""Wiring: ``build(settings)`` assembles the collaborators; imports have no side effects."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from yescount.config import Settings, VectorBackend
from yescount.domain import newyork
from yescount.domain.events import WEBSITE_SOURCES
from yescount.errors import ConfigError
from yescount.observability import get_logger
from yescount.ports import Clock, DatabaseProbe, SchemaMigrator, system_clock
from yescount.search import wiring as search_wiring
from yescount.search.embedder import Embedder
from yescount.search.index import VectorIndex
from yescount.search.sync import after_store_hook
from yescount.storage.engine import make_engine
from yescount.storage.uow import UnitOfWork

if TYPE_CHECKING:  # loaded where used: a CLI search needs neither copy nor rate limits
    from yescount.domain.indexing import SyncReport
    from yescount.ingest.config import Registry
    from yescount.ingest.pages import LivePages, PageSource
    from yescount.llm.copy import Copywriter
    from yescount.ports.backup import Backups, DatabaseCopier
    from yescount.services.indexing import IndexComparer, IndexSyncer, ParityChecker
    from yescount.services.ingestion import Ingestion
    from yescount.services.readiness import OptionalCheck
    from yescount.web.ratelimit import RateLimiter

_log = get_logger(__name__)


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

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        """Per-client budgets shared by the JSON API and the Streamlit pages."""
        from yescount.web.ratelimit import limiter_from_settings

        return limiter_from_settings(self.settings)

    @cached_property
    def embedder(self) -> Embedder:
        """The configured embedder; the local model itself loads on first use."""
        return search_wiring.make_embedder(self.settings)

    @cached_property
    def vector_index(self) -> VectorIndex:
        """Chroma or pgvector, per ``settings.effective_vector_backend``."""
        return self.vector_index_for(self.settings.effective_vector_backend)

    def vector_index_for(self, backend: VectorBackend) -> VectorIndex:
        """A vector index of the given backend for the configured embedder."""
        return search_wiring.make_vector_index(
            backend, self.settings, self.embedder, lambda: self.engine, self.clock
        )

    def embed_stored_events(self) -> Callable[[Sequence[int]], None]:
        """Callback for ``run_ingestion(after_store=...)``: re-embed the stored events."""
        return after_store_hook(
            uow_factory=self.uow, index=self.vector_index, embedder=self.embedder, clock=self.clock
        )

    @cached_property
    def sources(self) -> Registry:
        """The sources file (``settings.sources_config_path``), read once, on first use:
        ingestion runs, card sources and the CLI share it (edits need a restart)."""
        from yescount.ingest.registry import registry  # the ingest stack loads on first use

        return registry(self.settings.sources_config_path)

    @cached_property
    def card_sources(self) -> tuple[str, ...]:
        """Sources whose events may become voting cards (``cards:`` in sources.yaml).

        Without a readable sources file (a bare web deployment), the six website sources.
        """
        try:
            return self.sources.card_sources
        except ConfigError as exc:
            _log.warning("card_sources_default", reason=exc.message)
            return WEBSITE_SOURCES

    @cached_property
    def copywriter(self) -> Copywriter:
        """OpenAI card copy with a database cache when a key is set, else extractive."""
        from yescount.storage.repositories.llm_cache import SqlTextCache

        return search_wiring.make_copywriter(
            self.settings, lambda: SqlTextCache(self.engine, clock=self.clock)
        )

    def page_source(
        self, *, from_dir: Path | None = None, save_pages: Path | None = None
    ) -> PageSource:
        """Saved pages replayed from ``from_dir``, else a live crawl (recording when asked)."""
        if from_dir is not None:
            from yescount.ingest.pages import SavedPages

            return SavedPages(from_dir)
        return self.live_pages(save_pages=save_pages)

    def live_pages(self, *, save_pages: Path | None = None) -> LivePages:
        """A live crawl with the configured User-Agent (recording pages when asked)."""
        from yescount.ingest.wiring import live_pages  # the ingest stack loads on first use

        return live_pages(self.settings, today=newyork.today(self.clock), save_pages=save_pages)

    def ingestion(self, *, save_pages: Path | None = None) -> Ingestion:
        """The collaborators of ingestion runs."""
        from yescount.services.ingestion import Ingestion
        from yescount.storage.repositories.ingestion_runs import RunLock

        settings = self.settings
        return Ingestion(
            uow=self.uow,
            clock=self.clock,
            sources=lambda: self.sources,
            try_lock=lambda: RunLock.try_acquire(self.engine),
            live_pages=lambda: self.live_pages(save_pages=save_pages),
            strict=settings.ingestion_required_sources_strict,
            open_data_dataset_id=settings.nyc_open_data_dataset_id,
            auto_refresh=settings.ingestion_auto_refresh,
            max_staleness_hours=settings.ingestion_max_staleness_hours,
        )

    def sync_index(self, *, fresh: bool = False) -> SyncReport:
        """Embed new or changed events into the vector index, drop gone ones."""
        from yescount.search.sync import sync_index

        return sync_index(
            uow_factory=self.uow,
            index=self.vector_index,
            embedder=self.embedder,
            clock=self.clock,
            fresh=fresh,
        )

    def index_syncer(self) -> IndexSyncer:
        """``sync_index`` bound to the configured database, embedder and clock."""
        from yescount.domain.indexing import SyncProgress
        from yescount.search.sync import sync_index

        def sync(
            index: VectorIndex, *, fresh: bool, batch_size: int, progress: SyncProgress | None
        ) -> SyncReport:
            return sync_index(
                uow_factory=self.uow,
                index=index,
                embedder=self.embedder,
                clock=self.clock,
                fresh=fresh,
                batch_size=batch_size,
                progress=progress,
            )

        return sync

    def parity_checker(self) -> ParityChecker:
        """``check_parity`` bound to the configured database and clock."""
        from yescount.domain.indexing import ParityReport
        from yescount.search.parity import check_parity

        def check(index: VectorIndex) -> ParityReport:
            return check_parity(uow_factory=self.uow, index=index, clock=self.clock)

        return check

    def index_comparer(self) -> IndexComparer:
        """``compare_backends`` with the configured embedder (loaded only when compared)."""
        from yescount.search.parity import compare_backends

        def compare(first: VectorIndex, second: VectorIndex) -> float:
            return compare_backends(first, second, self.embedder)

        return compare

    def backups(self) -> Backups:
        """Snapshots of the configured database (its engine is built only when used)."""
        from yescount.storage.backups import SnapshotBackups

        return SnapshotBackups(lambda: self.engine)

    def database_copier(self) -> DatabaseCopier:
        """Copies between two database URLs (not the configured one)."""
        from yescount.storage.backups import copy_between

        return copy_between

    def database_probe(self) -> DatabaseProbe:
        """Readiness probes of the configured database."""
        from yescount.storage.probe import EngineProbe

        return EngineProbe(self.engine)

    def schema_migrator(self) -> SchemaMigrator:
        """Migrations of the configured database."""
        from yescount.storage.probe import EngineMigrator

        return EngineMigrator(lambda: self.engine)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> Container:
    """Build the application container from settings (read from the environment if omitted)."""
    return Container(settings=settings or Settings.from_env(), clock=clock or system_clock)


def optional_checks(container: Container) -> tuple[OptionalCheck, ...]:
    """Readiness checks that may degrade but never fail it: vector index, ingestion."""
    from yescount.services.readiness import ingestion_check, vector_index_check

    hours = container.settings.ingestion_max_staleness_hours
    return (
        lambda: vector_index_check(lambda: container.vector_index),
        lambda: ingestion_check(container.uow, container.clock, max_staleness_hours=hours),
    )
