"""The search repository: every query search and index sync run over ``events``.

Full-text candidates (``repositories/fulltext.py``: SQLite FTS5 or PostgreSQL
tsvector), candidates by tag or simply passing the filters, the canonical rows
of vector hits, the rows the vector index must hold, and the words of titles and
places the spelling corrector learns from. ``SearchFilters`` become SQL in
search_filters.py (statements built once per filter shape, values bound per search).
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    BindParameter,
    Connection,
    Integer,
    Select,
    String,
    any_,
    bindparam,
    select,
    union,
)
from sqlalchemy.dialects.postgresql import ARRAY

from yescount.domain.events import Event
from yescount.domain.search import LexicalHit, SearchFilters
from yescount.storage.repositories.event_rows import events_of, row_columns
from yescount.storage.repositories.events import not_over_by, row_to_event
from yescount.storage.repositories.fulltext import match_count, ranked_rows
from yescount.storage.repositories.search_filters import (
    FilterKey,
    any_tag,
    filter_clause,
    filter_values,
)
from yescount.storage.repositories.term_counts import distinctive, doc_counts, recounting
from yescount.storage.search_schema import event_tags
from yescount.storage.tables import events

MAX_CONCEPT_TERMS = 30


class SearchRepository:
    """Search reads on one connection (the unit of work's)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @property
    def database_key(self) -> str:
        """Names the database, for caches kept per database (term counts, vocabulary)."""
        return str(self._conn.engine.url)

    def _filters(
        self, filters: SearchFilters, today: date, *, browsing: bool = False
    ) -> tuple[FilterKey, dict[str, Any]]:
        dialect = self._conn.dialect.name
        return filter_values(filters, today=today, dialect=dialect, browsing=browsing)

    def lexical_search(
        self, terms: Sequence[str], *, filters: SearchFilters, today: date, limit: int = 50
    ) -> list[LexicalHit]:
        """Events matching ``terms`` and ``filters``, best first (scores > 0).

        Events with every term come first; when they are fewer than half of ``limit``,
        events with any of the *distinctive* terms are added. A term found in more than
        ``COMMON_TERM_DOCS`` events ("brooklyn", "music" in a big catalogue) does not
        fetch candidates on its own: ranking thousands of weak matches costs tens of
        milliseconds and adds nothing the vector side does not already find.
        """
        if not terms:
            return []
        conn, narrow = self._conn, filters.narrows
        key, values = self._filters(filters, today)
        hits = _hits(ranked_rows(conn, terms, key, values, limit, every=True, narrow=narrow))
        if len(terms) > 1 and len(hits) < limit // 2:
            rare = distinctive(conn, terms)
            if rare:
                found = {h.event_id for h in hits}
                extra = ranked_rows(conn, rare, key, values, limit, every=False, narrow=narrow)
                hits.extend(h for h in _hits(extra) if h.event_id not in found)
        return hits[:limit]

    def any_term_search(
        self, terms: Sequence[str], *, filters: SearchFilters, today: date, limit: int = 50
    ) -> list[LexicalHit]:
        """Events with any of ``terms`` (a concept's words), best first; common terms skipped."""
        rare = self._rare_concept_terms(terms)
        if not rare:
            return []
        key, values = self._filters(filters, today)
        found = ranked_rows(
            self._conn, rare, key, values, limit, every=False, narrow=filters.narrows
        )
        return _hits(found)

    def warm_counts(self, words: Sequence[str], concepts: Sequence[Sequence[str]]) -> None:
        """Count ``words`` and each concept's words and matches afresh (each once), ranking
        nothing: the cached counts ``lexical_search`` and ``any_term_search`` read first
        (serve's warm-up, then every few minutes)."""
        with recounting():
            doc_counts(self._conn, list(dict.fromkeys(words)))
            for terms in concepts:
                rare = self._rare_concept_terms(terms)
                if rare:
                    match_count(self._conn, rare, every=False)

    def _rare_concept_terms(self, terms: Sequence[str]) -> list[str]:
        terms = list(dict.fromkeys(t for t in terms if t.strip()))[:MAX_CONCEPT_TERMS]
        return distinctive(self._conn, terms) if terms else []

    def tagged(
        self, tags: Sequence[str], *, filters: SearchFilters, today: date, limit: int = 50
    ) -> list[LexicalHit]:
        """Up to ``limit`` events carrying any of ``tags`` (score 0: a tag is not a word match),
        found through the tag index (migration 0007)."""
        if not tags:
            return []
        key, values = self._filters(filters, today)
        wanted = sorted(set(tags))
        if key[0] == "sqlite":
            stmt = _sqlite_tagged_statement(key, len(wanted))
            params = {**values, **{f"tag{n}": t for n, t in enumerate(wanted)}, "limit": limit}
        else:
            stmt, params = _tagged_statement(key), {**values, "tags": wanted, "limit": limit}
        return _unscored(events_of(self._conn, self._conn.execute(stmt, params)))

    def browse(self, *, filters: SearchFilters, today: date, limit: int = 100) -> list[LexicalHit]:
        """Up to ``limit`` events passing ``filters``, soonest first, undated last (for
        queries that only state a place, a price or a day: every event fits their concept).

        Dated events come from the start-date index in order (one sort of the whole
        table cost 20-50 ms at 50k events); undated ones, by id, only when too few.
        """
        key, values = self._filters(filters, today, browsing=True)
        dated, undated = _browse_statements(key)
        found = events_of(self._conn, self._conn.execute(dated, {**values, "limit": limit}))
        if len(found) < limit:
            more = {**values, "limit": limit - len(found)}
            found.extend(events_of(self._conn, self._conn.execute(undated, more)))
        return _unscored(found)

    def passing(
        self, ids: Collection[int], *, filters: SearchFilters, today: date
    ) -> dict[int, Event]:
        """Canonical events among ``ids`` that pass every filter."""
        if not ids:
            return {}
        key, values = self._filters(filters, today)
        rows = self._conn.execute(_passing_statement(key), {**values, "ids": sorted(ids)})
        return {e.id: e for e in events_of(self._conn, rows)}

    def indexable(self, today: date, *, ids: Collection[int] | None = None) -> list[Event]:
        """Events that belong in a vector index: not duplicates, not over on ``today``
        (all of them, or those among ``ids``)."""
        stmt = select(events).where(events.c.duplicate_of_id.is_(None), not_over_by(today))
        if ids is not None:
            stmt = stmt.where(events.c.id.in_(list(ids)))
        rows = self._conn.execute(stmt.order_by(events.c.id)).mappings()
        return [row_to_event(r) for r in rows]

    def titles_and_places(self) -> list[tuple[str, str | None]]:
        """Every event's title and place (the words the spelling corrector knows)."""
        rows = self._conn.execute(select(events.c.title, events.c.location))
        return [(str(title), location) for title, location in rows]


@functools.lru_cache(maxsize=256)
def _tagged_statement(key: FilterKey) -> Select[Any]:
    """Events with any of the bound ``tags`` passing the filters, at most ``limit``, by
    id: the same events on every backend and every run (a LIMIT without ORDER BY let
    PostgreSQL return any of them)."""
    tagged = any_tag("tags", key[0])
    stmt = select(*row_columns(key[0])).where(tagged, filter_clause(key))
    return stmt.order_by(events.c.id).limit(_limit())


@functools.lru_cache(maxsize=256)
def _sqlite_tagged_statement(key: FilterKey, count: int) -> Select[Any]:
    """The same rows from ``event_tags``: per bound tag ``tag0``, ``tag1``… the first
    ``limit`` ids passing the filters in id order (a primary-key range walk that stops
    early), then the rows of the first ``limit`` of their union. The first ``limit`` of
    all tagged events are among each tag's first ``limit``; one ``tag IN (…)`` list
    instead gathered every id of a common tag (25,000 for music + nightlife at 50k)."""
    arms = []
    for n in range(count):
        tagged = event_tags.c.tag == bindparam(f"tag{n}", type_=String())
        arm = (
            select(event_tags.c.event_id.label("id"))
            .join(events, events.c.id == event_tags.c.event_id)
            .where(tagged, filter_clause(key))
            .order_by(event_tags.c.event_id)
            .limit(_limit())
        )
        arms.append(select(arm.subquery().c.id))
    found = union(*arms).subquery()
    first = select(found.c.id).order_by(found.c.id).limit(_limit()).subquery()
    rows = select(*row_columns("sqlite")).join(first, first.c.id == events.c.id)
    return rows.order_by(events.c.id)


@functools.lru_cache(maxsize=256)
def _browse_statements(key: FilterKey) -> tuple[Select[Any], Select[Any]]:
    """Dated events in start-date order (on one day, those ending first: a one-off evening
    before a months-long run), then undated ones by id (``limit`` each).

    The order is the (date_start, date_end) index's own, so the walk stops after ``limit``
    rows; ordering a day's events by id instead sorted every event of the first days
    (~550 a day at 50,000 events: 2.9 -> 0.9 ms on SQLite). NULL ends (one-day events)
    come first on both backends, as SQLite's index keeps them."""
    start, end = events.c.date_start, events.c.date_end
    columns = row_columns(key[0])
    dated = select(*columns).where(start.is_not(None), filter_clause(key))
    undated = select(*columns).where(start.is_(None), filter_clause(key))
    return (
        dated.order_by(start, end.nulls_first(), events.c.id).limit(_limit()),
        undated.order_by(events.c.id).limit(_limit()),
    )


@functools.lru_cache(maxsize=256)
def _passing_statement(key: FilterKey) -> Select[Any]:
    """The bound ``ids`` that pass the filters: one array parameter on PostgreSQL (the
    statement's text stays the same whatever the count, so it is prepared once; an IN
    list made a new statement for each count), an IN list on SQLite."""
    if key[0] == "postgresql":
        ids = events.c.id == any_(bindparam("ids", type_=ARRAY(BigInteger)))
    else:
        ids = events.c.id.in_(bindparam("ids", expanding=True))
    return select(*row_columns(key[0])).where(ids, filter_clause(key))


def _limit() -> BindParameter[int]:
    return bindparam("limit", type_=Integer())


def _hits(found: list[tuple[Event, float]]) -> list[LexicalHit]:
    return [LexicalHit(event.id, score, event) for event, score in found]


def _unscored(found: list[Event]) -> list[LexicalHit]:
    """Candidates found by tag or filters alone (score 0: not a word match)."""
    return [LexicalHit(event.id, 0.0, event) for event in found]
