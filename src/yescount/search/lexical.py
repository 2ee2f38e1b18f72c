"""Full-text search inside the database: SQLite FTS5 or PostgreSQL tsvector + GIN.

Terms are OR-ed (any word may match) and ranked by the engine (BM25 on SQLite,
``ts_rank`` with title > place > description weights on PostgreSQL). Terms are
always bound parameters; on SQLite each is quoted so FTS5 syntax cannot leak in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, column, func, literal, literal_column, select, table
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR
from sqlalchemy.sql.expression import ColumnClause

from yescount.search.filters import SearchFilters, filter_conditions
from yescount.search.schema import FTS_TABLE
from yescount.storage.tables import events

# BM25 column weights for (title, location, description) on SQLite.
_BM25_WEIGHTS = (10.0, 4.0, 1.0)
_PG_CONFIG = "english"


@dataclass(frozen=True, slots=True)
class LexicalHit:
    event_id: int
    score: float


def lexical_search(
    conn: Connection,
    terms: Sequence[str],
    *,
    filters: SearchFilters,
    today: date,
    limit: int = 50,
) -> list[LexicalHit]:
    """Events matching any of ``terms`` and ``filters``, best first (scores > 0)."""
    if not terms:
        return []
    dialect = conn.dialect.name
    conditions = filter_conditions(filters, today=today, dialect=dialect)
    if dialect == "sqlite":
        stmt = _sqlite_query(terms, conditions, limit)
    else:
        stmt = _postgres_query(terms, conditions, limit)
    return [LexicalHit(int(r.id), float(r.score)) for r in conn.execute(stmt)]


def fts_match_expression(terms: Sequence[str]) -> str:
    """An FTS5 query OR-ing each term as a quoted string (quotes doubled)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _sqlite_query(terms: Sequence[str], conditions: list[Any], limit: int) -> Any:
    fts = table(FTS_TABLE, column("rowid"))
    fts_name: ColumnClause[Any] = literal_column(FTS_TABLE)
    weights = [literal(w) for w in _BM25_WEIGHTS]
    # bm25() is negative: more negative is a better match.
    score = (-func.bm25(fts_name, *weights)).label("score")
    match = fts_name.op("MATCH")(fts_match_expression(terms))
    return (
        select(events.c.id, score)
        .select_from(fts.join(events, events.c.id == fts.c.rowid))
        .where(match, *conditions)
        .order_by(score.desc(), events.c.id)
        .limit(limit)
    )


def _postgres_query(terms: Sequence[str], conditions: list[Any], limit: int) -> Any:
    config = literal(_PG_CONFIG, type_=REGCONFIG)
    query: Any = None
    for term in terms:
        part = func.plainto_tsquery(config, term)
        query = part if query is None else query.op("||")(part)
    tsv = literal_column("events.search_tsv", type_=TSVECTOR)
    score = func.ts_rank(tsv, query, 1).label("score")
    return (
        select(events.c.id, score)
        .where(tsv.op("@@")(query), *conditions)
        .order_by(score.desc(), events.c.id)
        .limit(limit)
    )
