"""Search filters and their SQL conditions over ``events`` (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, column, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, TEXT
from sqlalchemy.sql.expression import ColumnClause

from yescount.domain.events import VIBE_TAGS
from yescount.errors import ValidationError
from yescount.search.index import VectorFilter
from yescount.storage.repositories.events import not_over_by
from yescount.storage.tables import events


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What a search may return: a date window (overlap), a price cap, tags and sources.

    ``date_from``/``date_to`` keep events that may happen on some day in between
    (undated events included). ``max_price`` keeps events whose lowest price is at
    most the cap (unknown prices included). ``vibe_tags`` keeps events with any of
    the tags. Events already over on ``today`` are left out unless ``include_past``.
    """

    date_from: date | None = None
    date_to: date | None = None
    max_price: Decimal | None = None
    vibe_tags: tuple[str, ...] = ()
    sources: tuple[str, ...] | None = None
    include_past: bool = False

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValidationError("The end date is before the start date.", code="invalid_window")
        if self.max_price is not None and self.max_price < 0:
            raise ValidationError("The price cap cannot be negative.", code="invalid_price")
        unknown = sorted(set(self.vibe_tags) - set(VIBE_TAGS))
        if unknown:
            raise ValidationError(
                f"Unknown vibe tags: {', '.join(unknown)}. Use: {', '.join(VIBE_TAGS)}.",
                code="invalid_vibe_tags",
            )

    @property
    def narrows(self) -> bool:
        """True when the caller asked for more than "upcoming, not a duplicate"."""
        return bool(
            self.date_from
            or self.date_to
            or self.max_price is not None
            or self.vibe_tags
            or self.sources is not None
        )

    def with_max_price(self, cap: Decimal | None) -> SearchFilters:
        """The tighter of the current cap and ``cap``."""
        if cap is None or (self.max_price is not None and self.max_price <= cap):
            return self
        return replace(self, max_price=cap)

    def vector_filter(self, today: date) -> VectorFilter:
        """The explicit filters a vector index can apply itself.

        "Not over yet" is left to the join with the rows: the index drops expired
        events on every sync, and a filtered index scan is much slower.
        """
        window = None
        if self.date_from is not None or self.date_to is not None:
            start = self.date_from or (date.min if self.include_past else today)
            window = (start, self.date_to or date.max)
        cap = float(self.max_price) if self.max_price is not None else None
        return VectorFilter(window=window, max_price=cap)


def filter_conditions(filters: SearchFilters, *, today: date, dialect: str) -> list[Any]:
    """SQLAlchemy conditions on ``events`` implementing ``filters`` (duplicates excluded)."""
    conditions: list[Any] = [events.c.duplicate_of_id.is_(None)]
    start = filters.date_from or (None if filters.include_past else today)
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
    if dialect == "postgresql":
        return events.c.vibe_tags.op("?|")(literal(tags, type_=ARRAY(TEXT)))
    value: ColumnClause[str] = column("value")
    each = func.json_each(events.c.vibe_tags).table_valued("value")
    return exists(select(1).select_from(each).where(value.in_(tags)))
