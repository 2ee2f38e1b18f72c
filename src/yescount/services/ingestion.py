"""Ingestion runs: every source through the pipeline, tracked, never losing stored events.

Transactions: the run row is written in its own transaction first; each
source's events and its check row are written together in one transaction
(fetching happens before it opens); the final status is written last in its
own. A failure rolls back only the open transaction, so stored events stay.
A run killed mid-way leaves a ``running`` row that the next run marks failed.

The service receives its collaborators explicitly (``Ingestion``, built by
``bootstrap.Container.ingestion()``): a unit-of-work factory, the clock, the
sources registry, the run lock and the live crawler. ``on_stored`` observes each
stored event inside its source's transaction (tests use it to synchronise with a
run, e.g. to kill the process mid-transaction).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from yescount.domain import ingestion as runs
from yescount.domain import newyork
from yescount.domain.events import EventRecord
from yescount.domain.ingestion import RunSummary, SourceOutcome
from yescount.errors import ConflictError, IngestError, YesCountError
from yescount.ingest.bounds import bound_record
from yescount.ingest.config import Registry, SourceConfig
from yescount.ingest.dedup import listing_view, merge_by_source_id, merge_decision
from yescount.ingest.models import PageResult
from yescount.ingest.pages import PageFailure, PageSource, SavedPages
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.registry import adapter_for
from yescount.ingest.runs import page_counts
from yescount.ingest.tags import load_vocabulary
from yescount.observability import get_logger, log_operation
from yescount.ports import Clock, RunLock, UnitOfWorkFactory

AfterStore = Callable[[Sequence[int]], None]
OnStored = Callable[[str, int], None]
ABANDONED = "abandoned: the process running it stopped before finishing (killed or crashed)"
REFRESH_COOLDOWN = timedelta(minutes=30)
_threads: list[threading.Thread] = []


@dataclass(frozen=True, slots=True)
class Ingestion:
    """The collaborators and settings of ingestion runs (wired in ``bootstrap``)."""

    uow: UnitOfWorkFactory
    clock: Clock
    sources: Callable[[], Registry]
    try_lock: Callable[[], RunLock | None]
    live_pages: Callable[[], PageSource]
    strict: bool = False
    open_data_dataset_id: str | None = None
    auto_refresh: bool = False
    max_staleness_hours: int = 24


@dataclass(slots=True)
class _Run:
    """One run in progress: what every source step needs."""

    deps: Ingestion
    run_id: int
    ctx: ExtractContext
    pages: PageSource
    force: bool
    after_store: AfterStore | None
    on_stored: OnStored | None
    notes: list[str] = field(default_factory=list)


def run_ingestion(
    deps: Ingestion,
    *,
    pages: PageSource | None = None,
    sources: Sequence[str] | None = None,
    force: bool = False,
    trigger: str = "cli",
    as_of: date | None = None,
    after_store: AfterStore | None = None,
    on_stored: OnStored | None = None,
    lock: RunLock | None = None,
) -> RunSummary:
    """Run the selected sources (all by default) and return the stored run with its checks.

    ``after_store`` is called after each source's commit with the ids of its new
    or updated events (to re-embed them); its failures are logged, not fatal.
    Raises ConflictError when another run holds the lock.
    """
    reg = deps.sources()
    selected = [reg.get(name) for name in sources] if sources else list(reg.sources)
    held = lock or deps.try_lock()
    if held is None:
        raise ConflictError("Another ingestion run is in progress.", code="ingestion_running")
    try:
        with log_operation("ingestion_run", trigger=trigger) as log_fields:
            run = _start(deps, reg, pages, trigger, as_of, force, after_store, on_stored)
            summary = _run(run, selected)
            log_fields.update(run_id=summary.id, status=summary.status)
            return summary
    finally:
        if lock is None:
            held.release()


def _start(
    deps: Ingestion,
    reg: Registry,
    pages: PageSource | None,
    trigger: str,
    as_of: date | None,
    force: bool,
    after_store: AfterStore | None,
    on_stored: OnStored | None,
) -> _Run:
    with deps.uow() as uow:
        abandoned = uow.ingestion_runs.abandon_running(now=deps.clock(), reason=ABANDONED)
        run_id = uow.ingestion_runs.start(now=deps.clock(), strict=deps.strict, trigger=trigger)
        uow.commit()
    if abandoned:
        get_logger().warning("ingestion_runs_abandoned", run_ids=abandoned)
    today = as_of or newyork.today(deps.clock)
    ctx = ExtractContext(load_vocabulary(reg.vibe_tags_path), today=today, as_of=as_of)
    source_pages = pages or deps.live_pages()
    return _Run(deps, run_id, ctx, source_pages, force, after_store, on_stored)


def _run(run: _Run, selected: list[SourceConfig]) -> RunSummary:
    outcomes: list[SourceOutcome] = []
    try:
        for config in selected:
            outcomes.append(_run_source(run, config))
    except BaseException as exc:
        _finish(run, outcomes, extra=f"run interrupted: {exc!r}", failed=True)
        raise
    return _finish(run, outcomes, extra="\n".join(run.notes) or None)


def _finish(
    run: _Run, outcomes: list[SourceOutcome], *, extra: str | None, failed: bool = False
) -> RunSummary:
    deps = run.deps
    status = "failed" if failed else runs.run_status(outcomes, strict=deps.strict)
    error = "\n".join(t for t in (runs.run_error_text(outcomes), extra) if t) or None
    with deps.uow() as uow:
        uow.ingestion_runs.finish(
            run.run_id,
            now=deps.clock(),
            status=status,
            counts=runs.totals(outcomes),
            error_text=error,
        )
        summary = uow.ingestion_runs.get(run.run_id)
        uow.commit()
    assert summary is not None
    return summary


def _skip_reason(run: _Run, config: SourceConfig) -> str | None:
    if not config.enabled and not run.force:
        return "disabled in the sources file (run it with --force)"
    if isinstance(run.pages, SavedPages):
        return (
            None
            if run.pages.has_source(config.name)
            else f"no saved pages in {run.pages.root / config.name}"
        )
    if config.socrata is not None and not (
        run.deps.open_data_dataset_id or config.socrata.dataset_id
    ):
        return "NYC_OPEN_DATA_DATASET_ID is not set"
    return None


def _run_source(run: _Run, config: SourceConfig) -> SourceOutcome:
    outcome = SourceOutcome(config.name, config.required, "success", run.deps.clock())
    skip = _skip_reason(run, config)
    if skip is not None:
        outcome.status, outcome.error_text = "skipped", skip
        return _record_only(run, outcome)
    try:
        results, failures = _read_pages(config, run.pages, run.ctx)
    except Exception as exc:  # an adapter bug must not stop the other sources
        get_logger().exception("ingestion_source_crashed", source=config.name)
        outcome.status, outcome.error_text = "failed", f"internal error: {exc!r}"
        return _record_only(run, outcome)
    outcome.counts = page_counts(results)
    outcome.status, outcome.error_text = runs.source_status(
        pages=len(results), failures=failures, extracted=outcome.counts.extracted
    )
    records = merge_by_source_id([r for result in results for r in result.accepted])
    try:
        changed = _store(run, outcome, records)
    except Exception as exc:
        get_logger().exception("ingestion_store_failed", source=config.name)
        outcome.status, outcome.error_text = "failed", f"storing events failed: {exc}"
        outcome.counts.new = outcome.counts.updated = outcome.counts.unchanged = 0
        return _record_only(run, outcome)
    if run.after_store is not None and changed:
        try:
            run.after_store(changed)
        except Exception as exc:
            get_logger().exception("ingestion_after_store_failed", source=config.name)
            run.notes.append(f"{config.name}: re-embedding {len(changed)} event(s) failed: {exc}")
    return outcome


def _record_only(run: _Run, outcome: SourceOutcome) -> SourceOutcome:
    outcome.finished_at = run.deps.clock()
    with run.deps.uow() as uow:
        uow.ingestion_runs.record_check(run.run_id, outcome)
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


def _store(run: _Run, outcome: SourceOutcome, records: list[EventRecord]) -> list[int]:
    """Upsert one source's events, merge cross-source duplicates, write its check row.

    Each event is written inside its own savepoint: a row the database refuses
    costs that event (counted as ``dropped.event_not_stored``), never the source.
    """
    changed: list[int] = []
    dropped: Counter[str] = Counter()
    clock = run.deps.clock
    with run.deps.uow() as uow:
        views = {v.id: v for v in uow.events.dedup_views(since=run.ctx.today)}
        for index, raw in enumerate(records):
            record, reasons = bound_record(raw)
            dropped.update(reasons)
            try:
                with uow.savepoint():
                    event_id, result = uow.events.upsert_keeping_links(record, now=clock())
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
            if run.on_stored is not None:
                run.on_stored(outcome.source, index)
            if result != "unchanged":
                changed.append(event_id)
        outcome.counts.dropped = runs.merge_reasons(outcome.counts.dropped, dict(dropped))
        outcome.finished_at = clock()
        uow.ingestion_runs.record_check(run.run_id, outcome)
        uow.commit()
    return changed


# --- freshness and background refresh (used by the web app) --------------------


def is_stale(last_success: datetime | None, *, now: datetime, max_staleness_hours: int) -> bool:
    """True when there was no successful run or the last one is older than the limit."""
    return last_success is None or now - last_success > timedelta(hours=max_staleness_hours)


def should_refresh(deps: Ingestion) -> bool:
    """Whether the app should start a background refresh now.

    True when ``INGESTION_AUTO_REFRESH`` is on, the last successful run is older
    than ``INGESTION_MAX_STALENESS_HOURS`` (or there is none) and no run started
    in the last 30 minutes (so an unreachable site is not retried on every page view).
    """
    if not deps.auto_refresh:
        return False
    now = deps.clock()
    with deps.uow(write=False) as uow:
        last_success = uow.ingestion_runs.last_success_at()
        latest = uow.ingestion_runs.latest()
    if latest is not None and now - latest.started_at < REFRESH_COOLDOWN:
        return False
    return is_stale(last_success, now=now, max_staleness_hours=deps.max_staleness_hours)


def start_background_refresh(
    deps: Ingestion,
    *,
    pages: PageSource | None = None,
    after_store: AfterStore | None = None,
) -> bool:
    """Start a run in a daemon thread; False (and nothing started) when one is already running."""
    lock = deps.try_lock()
    if lock is None:
        return False

    def work() -> None:
        try:
            run_ingestion(deps, pages=pages, trigger="auto", after_store=after_store, lock=lock)
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
