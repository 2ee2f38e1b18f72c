"""The search repository: every query search and index sync run over ``events``.

Full-text candidates (``repositories/fulltext.py``: SQLite FTS5 or PostgreSQL
tsvector), candidates by tag or simply passing the filters, the canonical rows
of vector hits, the rows the vector index must hold, and the words of titles and
places the spelling corrector learns from. ``SearchFilters`` become SQL here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, column, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, TEXT
from sqlalchemy.sql.expression import ColumnClause, ColumnElement

from yescount.domain.events import Event
from yescount.domain.search import LexicalHit, SearchFilters
from yescount.storage.repositories.events import not_over_by, row_to_event
from yescount.storage.repositories.fulltext import ROW_COLUMNS, distinctive, ranked_rows
from yescount.storage.tables import events

MAX_CONCEPT_TERMS = 30


def filter_conditions(
    filters: SearchFilters, *, today: date, dialect: str, browsing: bool = False
) -> list[Any]:
    """SQLAlchemy conditions on ``events`` implementing ``filters`` (duplicates excluded).

    ``browsing``: the caller walks the start-date index. Without table statistics
    SQLite takes ``duplicate_of_id IS NULL`` (true of nearly every row) as selective
    and scans that index instead, so there the test is written as an expression.
    """
    canonical: ColumnElement[Any] = events.c.duplicate_of_id
    if browsing and dialect == "sqlite":
        canonical = canonical + 0  # NULL + 0 is NULL: the same rows, no index on it
    conditions: list[Any] = [canonical.is_(None)]
    start = filters.first_day(today)
    if start is not None:
        conditions.append(not_over_by(start))
    if filters.date_to is not None:
        conditions.append(
            or_(events.c.date_start.is_(None), events.c.date_start <= filters.date_to)
        )
    if filters.max_price is not None:
        conditions.append(
            or_(events.c.price_min.is_(None), events.c.price_min <= filters.max_price)
        )
    if filters.sources is not None:
        conditions.append(events.c.source.in_(list(filters.sources)))
    if filters.vibe_tags:
        conditions.append(any_tag(list(filters.vibe_tags), dialect))
    return [and_(*conditions)]


def any_tag(tags: list[str], dialect: str) -> Any:
    """Events carrying any of ``tags`` (JSON array on SQLite, JSONB on PostgreSQL)."""
    if dialect == "postgresql":
        return events.c.vibe_tags.op("?|")(literal(tags, type_=ARRAY(TEXT)))
    value: ColumnClause[str] = column("value")
    each = func.json_each(events.c.vibe_tags).table_valued("value")
    return exists(select(1).select_from(each).where(value.in_(tags)))


class SearchRepository:
    """Search reads on one connection (the unit of work's)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @property
    def database_key(self) -> str:
        """Names the database, for caches kept per database (term counts, vocabulary)."""
        return str(self._conn.engine.url)

    def _conditions(self, filters: SearchFilters, today: date) -> list[Any]:
        return filter_conditions(filters, today=today, dialect=self._conn.dialect.name)

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
        conn, conditions, narrow = self._conn, self._conditions(filters, today), filters.narrows
        hits = _hits(ranked_rows(conn, terms, conditions, limit, every=True, narrow=narrow))
        if len(terms) > 1 and len(hits) < limit // 2:
            rare = distinctive(conn, terms)
            if rare:
                found = {h.event_id for h in hits}
                extra = ranked_rows(conn, rare, conditions, limit, every=False, narrow=narrow)
                hits.extend(h for h in _hits(extra) if h.event_id not in found)
        return hits[:limit]

    def any_term_search(
        self, terms: Sequence[str], *, filters: SearchFilters, today: date, limit: int = 50
    ) -> list[LexicalHit]:
        """Events with any of ``terms`` (a concept's words), best first; common terms skipped."""
        terms = list(dict.fromkeys(t for t in terms if t.strip()))[:MAX_CONCEPT_TERMS]
        if not terms:
            return []
        rare = distinctive(self._conn, terms)
        if not rare:
            return []
        conditions = self._conditions(filters, today)
        found = ranked_rows(
            self._conn, rare, conditions, limit, every=False, narrow=filters.narrows
        )
        return _hits(found)

    def tagged(
        self, tags: Sequence[str], *, filters: SearchFilters, today: date, limit: int = 50
    ) -> list[LexicalHit]:
        """Up to ``limit`` events carrying any of ``tags`` (score 0: a tag is not a word match)."""
        if not tags:
            return []
        stmt = (
            select(*ROW_COLUMNS)
            .where(
                any_tag(sorted(set(tags)), self._conn.dialect.name),
                *self._conditions(filters, today),
            )
            .limit(limit)
        )
        return [
            LexicalHit(int(r["id"]), 0.0, row_to_event(r))
            for r in self._conn.execute(stmt).mappings()
        ]

    def browse(self, *, filters: SearchFilters, today: date, limit: int = 100) -> list[LexicalHit]:
        """Up to ``limit`` events passing ``filters``, soonest first, undated last (for
        queries that only state a place, a price or a day: every event fits their concept).

        Dated events come from the start-date index in order (one sort of the whole
        table cost 20-50 ms at 50k events); undated ones, by id, only when too few.
        """
        dialect = self._conn.dialect.name
        conditions = filter_conditions(filters, today=today, dialect=dialect, browsing=True)
        dated = (
            select(*ROW_COLUMNS)
            .where(events.c.date_start.is_not(None), *conditions)
            .order_by(events.c.date_start, events.c.id)
            .limit(limit)
        )
        rows = list(self._conn.execute(dated).mappings())
        if len(rows) < limit:
            undated = (
                select(*ROW_COLUMNS)
                .where(events.c.date_start.is_(None), *conditions)
                .order_by(events.c.id)
                .limit(limit - len(rows))
            )
            rows.extend(self._conn.execute(undated).mappings())
        return [LexicalHit(int(r["id"]), 0.0, row_to_event(r)) for r in rows]

    def passing(
        self, ids: Collection[int], *, filters: SearchFilters, today: date
    ) -> dict[int, Event]:
        """Canonical events among ``ids`` that pass every filter."""
        if not ids:
            return {}
        stmt = select(*ROW_COLUMNS).where(
            events.c.id.in_(sorted(ids)), *self._conditions(filters, today)
        )
        return {int(r["id"]): row_to_event(r) for r in self._conn.execute(stmt).mappings()}

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


def _hits(found: list[tuple[Any, float]]) -> list[LexicalHit]:
    return [LexicalHit(int(row["id"]), score, row_to_event(row)) for row, score in found]
