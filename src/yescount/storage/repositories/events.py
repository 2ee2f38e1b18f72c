"""Events: read queries used by curation, search and recommendations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, RowMapping, and_, func, or_, select

from yescount.domain.events import DateStatus, Event, SourceLink
from yescount.storage.tables import events


def row_to_event(row: RowMapping) -> Event:
    """Map an ``events`` row onto the domain read model."""
    links = tuple(
        SourceLink(source=str(link["source"]), url=str(link["url"]))
        for link in (row["source_links"] or [])
    )
    return Event(
        id=int(row["id"]),
        source=row["source"],
        source_id=row["source_id"],
        title=row["title"],
        url=row["url"],
        date_status=DateStatus(row["date_status"]),
        description=row["description"] or "",
        date_start=row["date_start"],
        date_end=row["date_end"],
        time_start=row["time_start"],
        time_end=row["time_end"],
        date_confidence=float(row["date_confidence"]),
        date_evidence=row["date_evidence"],
        location=row["location"],
        price_min=row["price_min"],
        price_max=row["price_max"],
        image_url=row["image_url"],
        vibe_tags=tuple(row["vibe_tags"] or ()),
        extraction_method=row["extraction_method"],
        content_hash=row["content_hash"],
        is_demo=bool(row["is_demo"]),
        source_links=links,
    )


class EventRepository:
    """Reads over the canonical ``events`` table."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, event_id: int) -> Event | None:
        row = self.conn.execute(select(events).where(events.c.id == event_id)).mappings().first()
        return row_to_event(row) if row else None

    def get_many(self, event_ids: Iterable[int]) -> dict[int, Event]:
        """Events by id in one query (missing ids are simply absent)."""
        ids = sorted(set(event_ids))
        if not ids:
            return {}
        rows = self.conn.execute(select(events).where(events.c.id.in_(ids))).mappings()
        return {int(r["id"]): row_to_event(r) for r in rows}

    def count(self, *, demo: bool | None = None) -> int:
        query = select(func.count()).select_from(events)
        if demo is not None:
            query = query.where(events.c.is_demo.is_(demo))
        return int(self.conn.execute(query).scalar_one())

    def list_overlapping(
        self,
        start: date,
        end: date,
        *,
        sources: Sequence[str] | None = None,
        include_duplicates: bool = False,
        limit: int | None = None,
    ) -> list[Event]:
        """Events that may happen inside ``[start, end]`` (undated ones included)."""
        last_day = func.coalesce(events.c.date_end, events.c.date_start)
        query = select(events).where(
            or_(events.c.date_start.is_(None), events.c.date_start <= end),
            or_(last_day.is_(None), last_day >= start),
        )
        query = _scoped(query, sources=sources, include_duplicates=include_duplicates)
        query = query.order_by(events.c.id)
        if limit is not None:
            query = query.limit(limit)
        return [row_to_event(r) for r in self.conn.execute(query).mappings()]

    def list_upcoming(
        self,
        today: date,
        *,
        sources: Sequence[str] | None = None,
        include_duplicates: bool = False,
        limit: int | None = None,
    ) -> list[Event]:
        """Events not yet over on ``today``, soonest first."""
        last_day = func.coalesce(events.c.date_end, events.c.date_start)
        query = select(events).where(or_(last_day.is_(None), last_day >= today))
        query = _scoped(query, sources=sources, include_duplicates=include_duplicates)
        query = query.order_by(events.c.date_start.is_(None), events.c.date_start, events.c.id)
        if limit is not None:
            query = query.limit(limit)
        return [row_to_event(r) for r in self.conn.execute(query).mappings()]


def _scoped(query: Any, *, sources: Sequence[str] | None, include_duplicates: bool) -> Any:
    conditions = []
    if sources is not None:
        conditions.append(events.c.source.in_(list(sources)))
    if not include_duplicates:
        conditions.append(events.c.duplicate_of_id.is_(None))
    return query.where(and_(*conditions)) if conditions else query
