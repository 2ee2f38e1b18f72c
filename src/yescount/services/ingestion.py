"""Ingestion runs: every source through the pipeline, tracked, never losing stored events.

Transactions: the run row is written in its own transaction first; each
source's events and its check row are written together in one transaction
(fetching happens before it opens); the final status is written last in its
own. A failure rolls back only the open transaction, so stored events stay.
A run killed mid-way leaves a ``running`` row that the next run marks failed.

Test hook: with ``YESCOUNT_TEST_INGEST_PAUSE_SECONDS`` set, a source's write
transaction pauses after its first event (printing ``ingest-test-pause
source=NAME`` on stderr) so a test can kill the process mid-transaction;
``YESCOUNT_TEST_INGEST_PAUSE_SOURCE`` limits the pause to one source.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from yescount.domain import ingestion as runs
from yescount.domain import newyork
from yescount.domain.events import EventRecord
from yescount.domain.ingestion import RunSummary, SourceOutcome
from yescount.errors import ConflictError, IngestError, YesCountError
from yescount.ingest.bounds import bound_record
from yescount.ingest.config import Registry, SourceConfig
from yescount.ingest.dedup import listing_view, merge_by_source_id, merge_decision
from yescount.ingest.fetcher import FetchedPage, Fetcher
from yescount.ingest.models import PageResult
from yescount.ingest.pages import LivePages, PageFailure, PageRecorder, PageSource, SavedPages
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.registry import adapter_for, registry
from yescount.ingest.runs import page_counts
from yescount.ingest.socrata import socrata_pages
from yescount.ingest.tags import load_vocabulary
from yescount.observability import get_logger, log_operation
from yescount.storage.repositories.ingestion_runs import RunLock

if TYPE_CHECKING:
    from yescount.bootstrap import Container

AfterStore = Callable[[Sequence[int]], None]
TEST_PAUSE_ENV = "YESCOUNT_TEST_INGEST_PAUSE_SECONDS"
TEST_PAUSE_SOURCE_ENV = "YESCOUNT_TEST_INGEST_PAUSE_SOURCE"
ABANDONED = "abandoned: the process running it stopped before finishing (killed or crashed)"
REFRESH_COOLDOWN = timedelta(minutes=30)
_threads: list[threading.Thread] = []


def live_pages(container: Container, *, save_pages: Path | None = None) -> LivePages:
    """A live crawl with the configured User-Agent (recording pages when asked)."""
    settings = container.settings

    recorder = PageRecorder(save_pages) if save_pages else None

    def fetcher_for(source: SourceConfig) -> Fetcher:
        def record(page: FetchedPage) -> None:
            if recorder is not None:
                recorder.save(source.name, page)

        return Fetcher(
            user_agent=settings.user_agent, politeness=source.politeness, on_fetch=record
        )

    token = settings.nyc_open_data_app_token
    return LivePages(
        fetcher_for,
        today=newyork.today(container.clock),
        json_pages=lambda src, fetcher, today: socrata_pages(
            src,
            fetcher,
            today,
            dataset_id=settings.nyc_open_data_dataset_id,
            app_token=token.get_secret_value() if token else None,
        ),
    )


def run_ingestion(
    container: Container,
    *,
    pages: PageSource | None = None,
    sources: Sequence[str] | None = None,
    force: bool = False,
    trigger: str = "cli",
    as_of: date | None = None,
    after_store: AfterStore | None = None,
    lock: RunLock | None = None,
) -> RunSummary:
    """Run the selected sources (all by default) and return the stored run with its checks.

    ``after_store`` is called after each source's commit with the ids of its new
    or updated events (to re-embed them); its failures are logged, not fatal.
    Raises ConflictError when another run holds the lock.
    """
    reg = registry(container.settings.sources_config_path)
    selected = [reg.get(name) for name in sources] if sources else list(reg.sources)
    held = lock or RunLock.try_acquire(container.engine)
    if held is None:
        raise ConflictError("Another ingestion run is in progress.", code="ingestion_running")
    try:
        with log_operation("ingestion_run", trigger=trigger) as log_fields:
            summary = _run(container, reg, selected, pages, force, trigger, as_of, after_store)
            log_fields.update(run_id=summary.id, status=summary.status)
            return summary
    finally:
        if lock is None:
            held.release()


def _run(
    container: Container,
    reg: Registry,
    selected: list[SourceConfig],
    pages: PageSource | None,
    force: bool,
    trigger: str,
    as_of: date | None,
    after_store: AfterStore | None,
) -> RunSummary:
    strict = container.settings.ingestion_required_sources_strict
    with container.uow() as uow:
        abandoned = uow.ingestion_runs.abandon_running(now=container.clock(), reason=ABANDONED)
        run_id = uow.ingestion_runs.start(now=container.clock(), strict=strict, trigger=trigger)
        uow.commit()
    if abandoned:
        get_logger().warning("ingestion_runs_abandoned", run_ids=abandoned)
    today = as_of or newyork.today(container.clock)
    ctx = ExtractContext(load_vocabulary(reg.vibe_tags_path), today=today, as_of=as_of)
    source_pages = pages or live_pages(container)
    outcomes: list[SourceOutcome] = []
    notes: list[str] = []
    try:
        for config in selected:
            outcomes.append(
                _run_source(container, run_id, config, source_pages, ctx, force, after_store, notes)
            )
    except BaseException as exc:
        _finish(container, run_id, outcomes, strict, extra=f"run interrupted: {exc!r}", failed=True)
        raise
    return _finish(container, run_id, outcomes, strict, extra="\n".join(notes) or None)


def _finish(
    container: Container,
    run_id: int,
    outcomes: list[SourceOutcome],
    strict: bool,
    *,
    extra: str | None,
    failed: bool = False,
) -> RunSummary:
    status = "failed" if failed else runs.run_status(outcomes, strict=strict)
    error = "\n".join(t for t in (runs.run_error_text(outcomes), extra) if t) or None
    with container.uow() as uow:
        uow.ingestion_runs.finish(
            run_id,
            now=container.clock(),
            status=status,
            counts=runs.totals(outcomes),
            error_text=error,
        )
        summary = uow.ingestion_runs.get(run_id)
        uow.commit()
    assert summary is not None
    return summary


def _skip_reason(
    config: SourceConfig, pages: PageSource, container: Container, force: bool
) -> str | None:
    if not config.enabled and not force:
        return "disabled in the sources file (run it with --force)"
    if isinstance(pages, SavedPages):
        return (
            None
            if pages.has_source(config.name)
            else f"no saved pages in {pages.root / config.name}"
        )
    if config.socrata is not None and not (
        container.settings.nyc_open_data_dataset_id or config.socrata.dataset_id
    ):
        return "NYC_OPEN_DATA_DATASET_ID is not set"
    return None


def _run_source(
    container: Container,
    run_id: int,
    config: SourceConfig,
    pages: PageSource,
    ctx: ExtractContext,
    force: bool,
    after_store: AfterStore | None,
    notes: list[str],
) -> SourceOutcome:
    outcome = SourceOutcome(config.name, config.required, "success", container.clock())
    skip = _skip_reason(config, pages, container, force)
    if skip is not None:
        outcome.status, outcome.error_text = "skipped", skip
        return _record_only(container, run_id, outcome)
    try:
        results, failures = _read_pages(config, pages, ctx)
    except Exception as exc:  # an adapter bug must not stop the other sources
        get_logger().exception("ingestion_source_crashed", source=config.name)
        outcome.status, outcome.error_text = "failed", f"internal error: {exc!r}"
        return _record_only(container, run_id, outcome)
    outcome.counts = page_counts(results)
    outcome.status, outcome.error_text = runs.source_status(
        pages=len(results), failures=failures, extracted=outcome.counts.extracted
    )
    records = merge_by_source_id([r for result in results for r in result.accepted])
    try:
        changed = _store(container, run_id, outcome, records, today=ctx.today)
    except Exception as exc:
        get_logger().exception("ingestion_store_failed", source=config.name)
        outcome.status, outcome.error_text = "failed", f"storing events failed: {exc}"
        outcome.counts.new = outcome.counts.updated = outcome.counts.unchanged = 0
        return _record_only(container, run_id, outcome)
    if after_store is not None and changed:
        try:
            after_store(changed)
        except Exception as exc:
            get_logger().exception("ingestion_after_store_failed", source=config.name)
            notes.append(f"{config.name}: re-embedding {len(changed)} event(s) failed: {exc}")
    return outcome


def _record_only(container: Container, run_id: int, outcome: SourceOutcome) -> SourceOutcome:
    outcome.finished_at = container.clock()
    with container.uow() as uow:
        uow.ingestion_runs.record_check(run_id, outcome)
        uow.commit()
    return outcome


def _read_pages(
    config: SourceConfig, pages: PageSource, ctx: ExtractContext
) -> tuple[list[PageResult], list[str]]:
    adapter = adapter_for(config.name, hint=config.hint)
    results: list[PageResult] = []
    failures: list[str] = []
    try:
        for item in pages.pages(config):
            if isinstance(item, PageFailure):
                failures.append(f"{item.url}: [{item.code}] {item.message}")
                continue
            try:
                results.append(process_page(adapter, item, ctx))
            except IngestError as exc:  # an unreadable page costs that page
                failures.append(f"{item.url}: [{exc.code}] {exc.message}")
    except IngestError as exc:
        failures.append(f"[{exc.code}] {exc.message}")
    return results, failures


def _store(
    container: Container,
    run_id: int,
    outcome: SourceOutcome,
    records: list[EventRecord],
    *,
    today: date,
) -> list[int]:
    """Upsert one source's events, merge cross-source duplicates, write its check row.

    Each event is written inside its own SAVEPOINT: a row the database refuses
    costs that event (counted as ``dropped.event_not_stored``), never the source.
    """
    changed: list[int] = []
    dropped: Counter[str] = Counter()
    with container.uow() as uow:
        views = {v.id: v for v in uow.events.dedup_views(since=today)}
        for index, raw in enumerate(records):
            record, reasons = bound_record(raw)
            dropped.update(reasons)
            try:
                with uow.savepoint():
                    event_id, result = uow.events.upsert_keeping_links(
                        record, now=container.clock()
                    )
                    if result != "unchanged" and uow.events.duplicate_of(event_id) is None:
                        merge = merge_decision(listing_view(record, event_id), views)
                        if merge is not None:
                            uow.events.merge_duplicate(*merge)
            except (YesCountError, ArithmeticError, LookupError, ValueError, TypeError) as exc:
                get_logger().warning(
                    "ingestion_event_not_stored",
                    source=outcome.source,
                    source_id=record.source_id[:120],
                    error=type(exc).__name__,
                )
                dropped["event_not_stored"] += 1
                continue
            setattr(outcome.counts, result, getattr(outcome.counts, result) + 1)
            if index == 0:
                _test_pause(outcome.source)
            if result != "unchanged":
                changed.append(event_id)
        outcome.counts.dropped = runs.merge_reasons(outcome.counts.dropped, dict(dropped))
        outcome.finished_at = container.clock()
        uow.ingestion_runs.record_check(run_id, outcome)
        uow.commit()
    return changed


def _test_pause(source: str) -> None:
    seconds = os.environ.get(TEST_PAUSE_ENV)
    only = os.environ.get(TEST_PAUSE_SOURCE_ENV)
    if seconds and (not only or only == source):
        print(f"ingest-test-pause source={source}", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


# --- freshness and background refresh (used by the web app) --------------------


def is_stale(last_success: datetime | None, *, now: datetime, max_staleness_hours: int) -> bool:
    """True when there was no successful run or the last one is older than the limit."""
    return last_success is None or now - last_success > timedelta(hours=max_staleness_hours)


def should_refresh(container: Container) -> bool:
    """Whether the app should start a background refresh now.

    True when ``INGESTION_AUTO_REFRESH`` is on, the last successful run is older
    than ``INGESTION_MAX_STALENESS_HOURS`` (or there is none) and no run started
    in the last 30 minutes (so an unreachable site is not retried on every page view).
    """
    settings = container.settings
    if not settings.ingestion_auto_refresh:
        return False
    now = container.clock()
    with container.uow(write=False) as uow:
        last_success = uow.ingestion_runs.last_success_at()
        latest = uow.ingestion_runs.latest()
    if latest is not None and now - latest.started_at < REFRESH_COOLDOWN:
        return False
    return is_stale(
        last_success, now=now, max_staleness_hours=settings.ingestion_max_staleness_hours
    )


def start_background_refresh(
    container: Container,
    *,
    pages: PageSource | None = None,
    after_store: AfterStore | None = None,
) -> bool:
    """Start a run in a daemon thread; False (and nothing started) when one is already running."""
    lock = RunLock.try_acquire(container.engine)
    if lock is None:
        return False

    def work() -> None:
        try:
            run_ingestion(
                container, pages=pages, trigger="auto", after_store=after_store, lock=lock
            )
        except Exception:
            get_logger().exception("background_refresh_failed")
        finally:
            lock.release()

    thread = threading.Thread(target=work, name="yescount-ingest-refresh", daemon=True)
    _threads.append(thread)
    thread.start()
    return True


def wait_for_background_refresh(timeout: float | None = None) -> None:
    """Block until background refreshes started by this process have finished."""
    while _threads:
        _threads.pop().join(timeout)
