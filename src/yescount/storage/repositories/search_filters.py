"""``SearchFilters`` as SQL, built once per shape and bound per search.

A search runs four to six statements; building each from scratch (SQLAlchemy
expression objects, then the compiled-cache key) cost ~0.3 ms of CPU a
statement. The statements only differ by which filters are set, so they are
built once per *filter key* (dialect, the filters present, browsing) with bound
parameters, and each search passes its values (``filter_values``).
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, exists, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, TEXT
from sqlalchemy.sql.expression import ColumnElement

from yescount.domain.search import SearchFilters
from yescount.storage.repositories.events import last_day_column
from yescount.storage.search_schema import event_tags
from yescount.storage.tables import events

# (dialect, names of the filters present, browsing the start-date index)
FilterKey = tuple[str, tuple[str, ...], bool]
_FILTER_ORDER = ("first_day", "date_to", "max_price", "sources", "filter_tags")


def filter_values(
    filters: SearchFilters, *, today: date, dialect: str, browsing: bool = False
) -> tuple[FilterKey, dict[str, Any]]:
    """The key of ``filters``' statement shape and the values to bind."""
    values: dict[str, Any] = {}
    start = filters.first_day(today)
    if start is not None:
        values["first_day"] = start
    if filters.date_to is not None:
        values["date_to"] = filters.date_to
    if filters.max_price is not None:
        values["max_price"] = filters.max_price
    if filters.sources is not None:
        values["sources"] = list(filters.sources)
    if filters.vibe_tags:
        values["filter_tags"] = list(filters.vibe_tags)
    names = tuple(n for n in _FILTER_ORDER if n in values)
    return (dialect, names, browsing), values


@functools.lru_cache(maxsize=256)
def filter_clause(key: FilterKey) -> ColumnElement[bool]:
    """Conditions on ``events`` for the filters named in ``key`` (duplicates excluded),
    with bound parameters named as in ``filter_values``.

    ``browsing``: the caller walks the start-date index. Without table statistics
    SQLite takes ``duplicate_of_id IS NULL`` (true of nearly every row) as selective
    and scans that index instead, so there the test is written as an expression.
    """
    dialect, names, browsing = key
    canonical: ColumnElement[Any] = events.c.duplicate_of_id
    if browsing and dialect == "sqlite":
        canonical = canonical + 0  # NULL + 0 is NULL: the same rows, no index on it
    conditions: list[Any] = [canonical.is_(None)]
    if "first_day" in names:
        last_day = last_day_column()
        conditions.append(or_(last_day.is_(None), last_day >= bindparam("first_day")))
    if "date_to" in names:
        start = events.c.date_start
        conditions.append(or_(start.is_(None), start <= bindparam("date_to")))
    if "max_price" in names:
        price = events.c.price_min
        conditions.append(or_(price.is_(None), price <= bindparam("max_price")))
    if "sources" in names:
        conditions.append(events.c.source.in_(bindparam("sources", expanding=True)))
    if "filter_tags" in names:
        conditions.append(any_tag("filter_tags", dialect))
    return and_(*conditions)


def any_tag(name: str, dialect: str) -> Any:
    """Events carrying any of the tags bound as ``name``: ``?|`` on the JSONB column
    (PostgreSQL, served by the GIN index of migration 0007), primary-key probes of
    ``event_tags`` for each row tested (SQLite: no JSON parsed per row)."""
    if dialect == "postgresql":
        return events.c.vibe_tags.op("?|")(bindparam(name, type_=ARRAY(TEXT)))
    tags = event_tags.alias(f"{name}_index")  # its own name: tagged() reads event_tags too
    wanted = tags.c.tag.in_(bindparam(name, expanding=True))
    return exists(select(1).where(wanted, tags.c.event_id == events.c.id))
