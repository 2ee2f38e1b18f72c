"""Use case: search events in plain English (hybrid, degrading to full text only).

``search_events("cheap immersive art", SearchFilters(...), uow_factory=..., index=...,
embedder=..., clock=...)`` returns a ``SearchResult``: hits (event, score, why it
matched) and ``degraded=True`` when the vector side (model or index) was missing,
failed or timed out — full-text results still come back then.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from yescount.domain import newyork
from yescount.domain.events import Event
from yescount.domain.search import SearchFilters
from yescount.errors import StorageError, YesCountError
from yescount.observability import get_logger, log_operation
from yescount.ports import Clock, UnitOfWork, UnitOfWorkFactory
from yescount.search.hybrid import RankedHit, fuse
from yescount.search.index import VectorHit
from yescount.search.query import ParsedQuery, parse_query
from yescount.search.spelling import corrector_for
from yescount.search.vocabulary import load_vocabulary

if TYPE_CHECKING:  # the adapter ports load their implementations' shared code lazily
    from yescount.ports import Embedder, VectorIndex, Vectors

__all__ = ["SearchFilters", "SearchHit", "SearchResult", "search_events"]

SEARCH_TIMEOUT_S = 30.0
CANDIDATES = 50
CONCEPT_CANDIDATES = 60
BROWSE_CANDIDATES = 200
# Under the term counts' cache lifetime (300 s), so warmed counts never expire.
TERM_COUNTS_REFRESH_S = 240.0
DEFAULT_LIMIT = 20

MAX_LIMIT = 100

# Vector work (model + index) runs beside the SQL full-text query; a small pool
# bounds it and lets a stuck index time out without blocking the answer.
_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="yescount-vector")
        return _POOL


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: the canonical event, its fused score and why it matched."""

    event: Event
    score: float
    why: tuple[str, ...]
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]
    degraded: bool = False
    degraded_reason: str | None = None
    corrected_query: str | None = None
    filters: SearchFilters = field(default_factory=SearchFilters)
    stages: dict[str, float] = field(default_factory=dict)


def search_events(
    query: str,
    filters: SearchFilters | None = None,
    *,
    uow_factory: UnitOfWorkFactory,
    index: VectorIndex | None,
    embedder: Embedder | None,
    clock: Clock,
    limit: int = DEFAULT_LIMIT,
    timeout_s: float = SEARCH_TIMEOUT_S,
) -> SearchResult:
    """Hybrid search over events; raises ValidationError for a bad query or filters.

    ``SearchResult.stages`` holds milliseconds per stage: parse, embed and vector (in a
    worker thread, beside the full-text SQL), lexical, wait_vector, rows, fusion.
    """
    clock_ms = _Stages()
    today = newyork.today(clock)
    limit = max(1, min(limit, MAX_LIMIT))
    deadline = time.monotonic() + timeout_s
    with uow_factory(write=False) as uow:
        parsed = parse_query(query, correct=_corrector(uow, uow_factory), today=today)
        wanted = (filters or SearchFilters()).with_max_price(parsed.max_price)
        clock_ms.lap("parse")
        with log_operation("search_events", query_chars=len(parsed.text)) as log:
            vector_job = _start_vector(parsed, wanted, today, index, embedder, clock_ms.stages)
            lexical = uow.search.lexical_search(
                parsed.terms, filters=wanted, today=today, limit=CANDIDATES
            )
            # Full-text hits carry their events (filters applied), built while the model
            # embeds the query: the engines rank without the GIL (SQLite in this thread,
            # PostgreSQL in its server), so the two overlap (search_bench.py, 50,000
            # events: p50/p95 -1.5 to -4 ms). The encoder's ~100 NumPy calls each need
            # the GIL back; when this side mapped thousands of rows in Python (tag scans
            # before migration 0007) they waited whole switch intervals, so the SQL used
            # to wait for the embedding. Its Python work is now ~1-3 ms: embed p95 went
            # 5.2 -> 6.8-8.7 ms at load 5-6, the search as a whole got faster.
            rows = {h.event_id: h.event for h in lexical if h.event is not None}
            rows.update(_concept_rows(uow, parsed, wanted, today, rows.keys()))
            clock_ms.lap("lexical")
            qvec, vector_hits, problem = _finish_vector(vector_job, deadline)
            clock_ms.lap("wait_vector")
            similarities = _similarities_and_rows(
                uow, index, qvec, vector_hits, rows, wanted, today
            )
            clock_ms.lap("rows")
            ranked = fuse(
                parsed, rows, similarities=similarities, lexical=lexical, today=today, limit=limit
            )
            clock_ms.lap("fusion")
            log.update(hits=len(ranked), degraded=problem is not None, candidates=len(rows))
    return SearchResult(
        query=parsed.text,
        hits=tuple(_to_hit(r) for r in ranked),
        degraded=problem is not None,
        degraded_reason=problem,
        corrected_query=parsed.corrected,
        filters=wanted,
        stages=dict(clock_ms.stages),
    )


class _Stages:
    """Milliseconds per stage, lap after lap."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stages[name] = round((now - self._last) * 1000, 3)
        self._last = now


VectorOutcome = tuple["Vectors", list[VectorHit]]


def warm_term_counts(uow_factory: UnitOfWorkFactory) -> int:
    """Count the vocabulary's words and every concept's matches (what a search using
    them reads first, cached a few minutes: repositories/term_counts.py), so such a
    search after a start counts nothing. Serve's warm-up runs this, then again every
    ``TERM_COUNTS_REFRESH_S``. Returns the number of concepts."""
    vocabulary = load_vocabulary()
    with uow_factory(write=False) as uow:
        uow.search.warm_counts(vocabulary.words, [c.fts_terms() for c in vocabulary.concepts])
    return len(vocabulary.concepts)


def _corrector(uow: UnitOfWork, uow_factory: UnitOfWorkFactory) -> Callable[[str], str] | None:
    """The spelling corrector of this database. Its vocabulary is read when none is
    cached (in a savepoint of this search's unit of work) and, once stale, again in
    the background through a unit of work of its own while searches use the old one."""

    def titles_and_places() -> list[tuple[str, str | None]]:
        with uow.savepoint():
            return uow.search.titles_and_places()

    def reread() -> list[tuple[str, str | None]]:
        with uow_factory(write=False) as own:
            return own.search.titles_and_places()

    try:
        return corrector_for(uow.search.database_key, titles_and_places, refresh=reread).correct
    except StorageError as exc:  # typo correction is a nicety, never a failure
        get_logger().warning("spelling_vocabulary_failed", error=str(exc).splitlines()[0])
        return None


def _start_vector(
    parsed: ParsedQuery,
    filters: SearchFilters,
    today: date,
    index: VectorIndex | None,
    embedder: Embedder | None,
    stages: dict[str, float],
) -> Future[VectorOutcome] | str:
    if index is None or embedder is None:
        return "smart search is not configured"

    def run() -> VectorOutcome:
        started = time.perf_counter()
        qvec = embedder.embed_query(parsed.embed_text)
        embedded = time.perf_counter()
        hits = index.query(qvec, k=CANDIDATES, where=filters.vector_filter(today))
        stages["embed"] = round((embedded - started) * 1000, 3)
        stages["vector"] = round((time.perf_counter() - embedded) * 1000, 3)
        return qvec, hits

    return _pool().submit(run)


def _finish_vector(
    job: Future[VectorOutcome] | str, deadline: float
) -> tuple[Vectors | None, list[VectorHit], str | None]:
    """The query vector and hits, or the reason the vector side is unavailable."""
    if isinstance(job, str):
        return None, [], job
    try:
        qvec, hits = job.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        job.cancel()
        return None, [], "smart search timed out"
    except Exception as exc:  # any failure of the optional side degrades, never fails
        code = exc.code if isinstance(exc, YesCountError) else type(exc).__name__
        get_logger().warning("vector_search_unavailable", error_code=code, error=str(exc)[:300])
        return None, [], f"smart search unavailable ({code})"
    return qvec, hits, None


def _similarities_and_rows(
    uow: UnitOfWork,
    index: VectorIndex | None,
    qvec: Vectors | None,
    vector_hits: list[VectorHit],
    rows: dict[int, Event],
    filters: SearchFilters,
    today: date,
) -> dict[int, float] | None:
    """Every candidate's similarity (None: text only), while the rows of the vector hits
    not yet among ``rows`` load into it (those that pass the filters)."""
    similarities, pending = _start_similarities(index, qvec, vector_hits, rows.keys())
    rows.update(_load(uow, {h.event_id for h in vector_hits} - rows.keys(), filters, today))
    if similarities is not None and pending is not None:
        similarities.update(pending.result())
    return similarities


def _start_similarities(
    index: VectorIndex | None,
    qvec: Vectors | None,
    vector_hits: list[VectorHit],
    candidates: Collection[int],
) -> tuple[dict[int, float] | None, Future[dict[int, float]] | None]:
    """The vector hits' similarities, and the index looking up those of the other
    candidates in a worker while the rows of the vector hits load (those already
    have theirs)."""
    if qvec is None or index is None:
        return None, None
    similarities = {h.event_id: h.similarity for h in vector_hits}
    missing = [i for i in candidates if i not in similarities]
    if not missing:
        return similarities, None
    return similarities, _pool().submit(_safe_similarities, index, qvec, missing)


def _safe_similarities(index: VectorIndex, qvec: Vectors, ids: list[int]) -> dict[int, float]:
    try:
        return index.similarities(qvec, ids)
    except Exception as exc:
        get_logger().warning("vector_similarities_failed", error=str(exc)[:300])
        return {}


def _concept_rows(
    uow: UnitOfWork,
    parsed: ParsedQuery,
    filters: SearchFilters,
    today: date,
    known: Collection[int],
) -> dict[int, Event]:
    """Candidates the query's concepts name: by their words and by their vibe tags."""
    search = uow.search
    if parsed.browsing:
        cap = parsed.price_cap
        narrowed = filters.with_max_price(cap) if cap is not None else filters
        found = search.browse(filters=narrowed, today=today, limit=BROWSE_CANDIDATES)
        return {h.event_id: h.event for h in found if h.event is not None}
    concepts = [c for c in parsed.concepts if not c.broad] or list(parsed.concepts)
    if not concepts:
        return {}
    terms = [t for c in concepts for t in c.fts_terms()]
    tags = sorted({t for c in concepts for t in c.tags})
    found = search.any_term_search(terms, filters=filters, today=today, limit=CONCEPT_CANDIDATES)
    found += search.tagged(tags, filters=filters, today=today, limit=CONCEPT_CANDIDATES)
    return {h.event_id: h.event for h in found if h.event is not None and h.event_id not in known}


def _load(uow: UnitOfWork, ids: set[int], filters: SearchFilters, today: date) -> dict[int, Event]:
    """Canonical events for candidate ids that pass every filter."""
    if not ids:
        return {}
    return uow.search.passing(ids, filters=filters, today=today)


def _to_hit(ranked: RankedHit) -> SearchHit:
    return SearchHit(ranked.event, ranked.score, ranked.reasons, ranked.similarity)
