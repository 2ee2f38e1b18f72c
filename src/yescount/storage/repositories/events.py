"""Events: read queries used by curation, search and recommendations."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import (
    Connection,
    RowMapping,
    and_,
    case,
    delete,
    func,
    insert,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.sql.elements import ColumnElement

from yescount.domain.dedup import DedupView, listing_view
from yescount.domain.events import DateStatus, Event, EventRecord, Recurrence, SourceLink
from yescount.domain.urls import http_url
from yescount.storage.tables import events

UpsertOutcome = Literal["new", "updated", "unchanged"]

# Columns an upsert compares to tell "updated" from "unchanged".
_COMPARED = (
    "title",
    "description",
    "date_start",
    "date_end",
    "time_start",
    "time_end",
    "date_status",
    "date_confidence",
    "date_evidence",
    "location",
    "price_min",
    "price_max",
    "url",
    "image_url",
    "vibe_tags",
    "extraction_method",
    "content_hash",
    "is_demo",
    "source_links",
    "recurrence",
)


@functools.lru_cache(maxsize=50_000)
def _stored_url(url: str | None) -> str | None:
    """``http_url`` of a stored link, remembered: a search maps ~150 rows, two links
    each, and the same events come back search after search (the check parsed every
    link afresh: ~2 ms of CPU a search at 50,000 events, search_bench.py)."""
    return http_url(url)


def row_to_event(row: RowMapping | Mapping[str, Any]) -> Event:
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
        # Rows stored before links were checked must not carry javascript: links out.
        url=_stored_url(row["url"]) or "",
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
        image_url=_stored_url(row["image_url"]),
        vibe_tags=tuple(row["vibe_tags"] or ()),
        recurrence=Recurrence.from_rule(row["recurrence"]),
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

    def upsert(self, record: EventRecord, *, now: datetime) -> tuple[int, UpsertOutcome]:
        """Insert or update by the natural key ``(source, source_id)``."""
        values = record_values(record)
        key = (events.c.source == record.source) & (events.c.source_id == record.source_id)
        existing = self.conn.execute(select(events).where(key)).mappings().first()
        if existing is None:
            stamps = {
                "first_seen_at": now,
                "last_seen_at": now,
                "created_at": now,
                "updated_at": now,
            }
            new_id = self.conn.execute(
                insert(events).values(**values, **stamps).returning(events.c.id)
            ).scalar_one()
            return int(new_id), "new"
        fresh = {c: values[c] for c in _COMPARED}
        stored = {c: existing[c] for c in _COMPARED}
        changed = _normalized(fresh) != _normalized(stored)
        changes: dict[str, Any] = {"last_seen_at": now}
        if changed:
            changes.update(values, updated_at=now)
        self.conn.execute(update(events).where(events.c.id == existing["id"]).values(**changes))
        return int(existing["id"]), "updated" if changed else "unchanged"

    # --- writes used by ingestion ---------------------------------------------

    def upsert_keeping_links(
        self, record: EventRecord, *, now: datetime
    ) -> tuple[int, UpsertOutcome]:
        """Upsert, keeping the links that merged duplicates added to this event."""
        key = (events.c.source == record.source) & (events.c.source_id == record.source_id)
        stored = self.conn.execute(select(events.c.source_links).where(key)).scalar_one_or_none()
        links = ordered_links(list(record.source_links), [_link(i) for i in stored or []])
        return self.upsert(replace(record, source_links=links), now=now)

    def dedup_views(self, *, since: date) -> list[DedupView]:
        """Canonical, non-demo events not over before ``since`` (candidates for merging)."""
        query = select(events).where(
            events.c.duplicate_of_id.is_(None),
            events.c.is_demo.is_(False),
            not_over_by(since),
        )
        return [
            listing_view(row_to_event(row), int(row["id"]))
            for row in self.conn.execute(query).mappings()
        ]

    def duplicate_of(self, event_id: int) -> int | None:
        """The canonical event this one duplicates (None when it is canonical)."""
        value = self.conn.execute(
            select(events.c.duplicate_of_id).where(events.c.id == event_id)
        ).scalar_one_or_none()
        return int(value) if value is not None else None

    def merge_duplicate(self, duplicate_id: int, canonical_id: int) -> None:
        """Point a duplicate (and its own duplicates) at the canonical event; merge links."""
        self.conn.execute(
            update(events)
            .where(or_(events.c.id == duplicate_id, events.c.duplicate_of_id == duplicate_id))
            .values(duplicate_of_id=canonical_id)
        )
        rows = self.conn.execute(
            select(events.c.id, events.c.source, events.c.url, events.c.source_links).where(
                events.c.id.in_([duplicate_id, canonical_id])
            )
        ).mappings()
        by_id = {int(r["id"]): r for r in rows}
        canonical, duplicate = by_id[canonical_id], by_id[duplicate_id]
        own = [SourceLink(canonical["source"], canonical["url"])]
        others = [_link(i) for i in (canonical["source_links"] or [])]
        others += [_link(i) for i in (duplicate["source_links"] or [])]
        self.conn.execute(
            update(events)
            .where(events.c.id == canonical_id)
            .values(
                source_links=[
                    {"source": s.source, "url": s.url} for s in ordered_links(own, others)
                ]
            )
        )

    def delete_demo(self) -> int:
        """Remove every demo event (votes on them go too); returns the count."""
        result = self.conn.execute(delete(events).where(events.c.is_demo.is_(True)))
        return int(result.rowcount or 0)

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
        query = select(events).where(may_happen_between(start, end))
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
        query = select(events).where(not_over_by(today))
        query = _scoped(query, sources=sources, include_duplicates=include_duplicates)
        query = query.order_by(events.c.date_start.is_(None), events.c.date_start, events.c.id)
        if limit is not None:
            query = query.limit(limit)
        return [row_to_event(r) for r in self.conn.execute(query).mappings()]


def ordered_links(own: list[SourceLink], others: list[SourceLink]) -> tuple[SourceLink, ...]:
    """An event's own links first, then every other link once, sorted (stable across runs)."""
    rest = sorted(set(others) - set(own), key=lambda link: (link.source, link.url))
    return (*own, *rest)


def _link(item: Any) -> SourceLink:
    return SourceLink(source=str(item["source"]), url=str(item["url"]))


def _normalized(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for name in ("price_min", "price_max"):
        if out[name] is not None:
            out[name] = round(float(out[name]), 2)
    out["date_confidence"] = round(float(out["date_confidence"]), 4)
    out["is_demo"] = bool(out["is_demo"])
    return out


def record_values(record: EventRecord) -> dict[str, Any]:
    """Column values for an event record (timestamps excluded)."""
    return {
        "source": record.source,
        "source_id": record.source_id,
        "title": record.title,
        "description": record.description,
        "date_start": record.date_start,
        "date_end": record.date_end,
        "time_start": record.time_start,
        "time_end": record.time_end,
        "date_status": record.date_status.value,
        "date_confidence": record.date_confidence,
        "date_evidence": record.date_evidence,
        "location": record.location,
        "price_min": record.price_min,
        "price_max": record.price_max,
        "url": record.url,
        "image_url": record.image_url,
        "vibe_tags": list(record.vibe_tags),
        "extraction_method": record.extraction_method,
        "content_hash": record.content_hash(),
        "raw_payload": record.raw_payload,
        "is_demo": record.is_demo,
        "source_links": [{"source": s.source, "url": s.url} for s in record.source_links],
        "recurrence": record.recurrence.to_rule() if record.recurrence else None,
    }


def last_day_column() -> ColumnElement[date]:
    """SQL twin of ``Event.last_day()``: NULL means open-ended or undated."""
    return case(
        (events.c.date_end.is_not(None), events.c.date_end),
        (events.c.date_status == DateStatus.SINGLE.value, events.c.date_start),
        else_=null(),
    )


def not_over_by(day: date) -> ColumnElement[bool]:
    """Events that can still happen on or after ``day``."""
    last_day = last_day_column()
    return or_(last_day.is_(None), last_day >= day)


def may_happen_between(start: date, end: date) -> ColumnElement[bool]:
    """SQL twin of ``Event.overlaps(start, end)``."""
    return and_(or_(events.c.date_start.is_(None), events.c.date_start <= end), not_over_by(start))


def _scoped(query: Any, *, sources: Sequence[str] | None, include_duplicates: bool) -> Any:
    conditions = []
    if sources is not None:
        conditions.append(events.c.source.in_(list(sources)))
    if not include_duplicates:
        conditions.append(events.c.duplicate_of_id.is_(None))
    return query.where(and_(*conditions)) if conditions else query
