"""Keep a vector index equal to the canonical rows: embed what changed, drop what left.

An event belongs in the index when it is not a duplicate and not over yet. Its
vector is (re)computed when the index holds no vector for it or one made from
another content hash (title, description or location changed). Writes happen
batch by batch, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date

from yescount.domain import newyork
from yescount.domain.events import Event
from yescount.domain.indexing import DEFAULT_BATCH, SyncProgress, SyncReport
from yescount.observability import log_operation
from yescount.ports import Clock, UnitOfWorkFactory
from yescount.search.embedder import Embedder
from yescount.search.index import IndexedEvent, VectorIndex

# Above this many vectors to write, a full rebuild of the ANN index is cheaper.
BULK_THRESHOLD = 2_000
DESCRIPTION_CHARS = 600


def event_document(title: str, description: str, location: str | None) -> str:
    """The text embedded for an event: exactly the fields of its content hash."""
    parts = [title.strip(), (location or "").strip(), description.strip()[:DESCRIPTION_CHARS]]
    return ". ".join(p for p in parts if p)


def indexable_events(uow_factory: UnitOfWorkFactory, today: date) -> list[Event]:
    """Events that belong in the index: not duplicates, not over on ``today``."""
    with uow_factory(write=False) as uow:
        return uow.search.indexable(today)


def sync_index(
    *,
    uow_factory: UnitOfWorkFactory,
    index: VectorIndex,
    embedder: Embedder,
    clock: Clock,
    fresh: bool = False,
    batch_size: int = DEFAULT_BATCH,
    progress: SyncProgress | None = None,
) -> SyncReport:
    """Embed new/changed events, remove gone/expired ones; ``fresh`` starts from empty."""
    today = newyork.today(clock)
    with log_operation("sync_index", backend=index.backend, fresh=fresh) as log:
        if fresh:
            index.reset()
        wanted = indexable_events(uow_factory, today)
        current = {} if fresh else index.content_hashes()
        wanted_ids = {e.id for e in wanted}
        stale = [e for e in wanted if current.get(e.id) != e.content_hash]
        gone = sorted(set(current) - wanted_ids)
        index.delete(gone)
        if fresh or len(stale) > BULK_THRESHOLD:
            index.begin_bulk()
        done = 0
        for batch in _batches(stale, batch_size):
            vectors = embedder.embed(
                [event_document(e.title, e.description, e.location) for e in batch]
            )
            index.upsert(
                [IndexedEvent.for_event(e, v) for e, v in zip(batch, vectors, strict=True)]
            )
            done += len(batch)
            if progress is not None:
                progress(done, len(stale))
        index.finish_bulk()
        report = SyncReport(
            backend=index.backend,
            indexed=len(wanted),
            embedded=len(stale),
            removed=len(gone),
            unchanged=len(wanted) - len(stale),
        )
        log.update(embedded=report.embedded, removed=report.removed)
    return report


def sync_events(
    event_ids: Sequence[int],
    *,
    uow_factory: UnitOfWorkFactory,
    index: VectorIndex,
    embedder: Embedder,
    clock: Clock,
    batch_size: int = DEFAULT_BATCH,
) -> SyncReport:
    """Re-embed just these events (new or changed); drop those that no longer belong."""
    today = newyork.today(clock)
    with uow_factory(write=False) as uow:
        keep = uow.search.indexable(today, ids=event_ids)
    drop = sorted(set(event_ids) - {e.id for e in keep})
    index.delete(drop)
    for batch in _batches(keep, batch_size):
        vectors = embedder.embed(
            [event_document(e.title, e.description, e.location) for e in batch]
        )
        pairs = zip(batch, vectors, strict=True)
        index.upsert([IndexedEvent.for_event(e, v) for e, v in pairs])
    return SyncReport(index.backend, len(keep), len(keep), len(drop), 0)


def after_store_hook(
    *, uow_factory: UnitOfWorkFactory, index: VectorIndex, embedder: Embedder, clock: Clock
) -> Callable[[Sequence[int]], None]:
    """A ``run_ingestion(after_store=...)`` callback embedding each stored batch."""

    def hook(event_ids: Sequence[int]) -> None:
        sync_events(event_ids, uow_factory=uow_factory, index=index, embedder=embedder, clock=clock)

    return hook


def _batches(items: Sequence[Event], size: int) -> Iterator[Sequence[Event]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
