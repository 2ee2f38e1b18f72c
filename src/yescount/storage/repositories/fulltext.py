"""Full-text search inside the database: SQLite FTS5 or PostgreSQL tsvector + GIN.

Events with all the words rank first, then events with any distinctive word;
the engine ranks them (BM25 on SQLite, ``ts_rank`` with title > place >
description weights on PostgreSQL). Terms are always bound parameters; on
SQLite each is quoted so FTS5 syntax cannot leak in. The search repository
(``repositories/search.py``) calls these; nothing here opens a connection.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY, TSVECTOR
from sqlalchemy.sql.expression import ColumnClause

from yescount.domain.events import Event
from yescount.storage.repositories import term_counts
from yescount.storage.repositories.event_rows import events_of, row_columns
from yescount.storage.repositories.search_filters import FilterKey, filter_clause
from yescount.storage.repositories.term_counts import (
    PG_DOCUMENT,
    SAMPLE_STEPS,
    cached_counts,
    fts_match_expression,
    match_bound,
)
from yescount.storage.search_schema import FTS_TABLE
from yescount.storage.tables import events

# BM25 column weights for (title, location, description) on SQLite.
_BM25_WEIGHTS = (10.0, 4.0, 1.0)
_PG_CONFIG = "english"
# At most about this many matches of one full-text query are ranked (``_match_count``).
# 2,000 -> 1,000 (2026-12-03, 50,000 events, the 50 queries of search_synthetic.py,
# 3 rounds, quiet machine): SQLite/Chroma main-thread CPU 10.9 -> 9.5 ms a search, p95
# 17.7 -> 15.6 ms; the top 20's fused scores summed, 1,000 / 2,000: p50 1.000, worst
# 0.992 (PostgreSQL 0.956; its latency within noise there: its cost is elsewhere).
RANKED_MATCHES = 1_000
# Best text matches joined with their rows before filters apply (SQLite): limit x 1.25,
# then x 4 when too few passed, then x 40 when the caller narrowed the search (window,
# price, tags, sources) and many matches may fail it.
POOL_FACTORS = (1.25, 4)
NARROW_POOL_FACTOR = 40


def ranked_rows(
    conn: Connection,
    terms: Sequence[str],
    key: FilterKey,
    values: dict[str, Any],
    limit: int,
    *,
    every: bool,
    narrow: bool = False,
) -> list[tuple[Event, float]]:
    """Events matching all (``every``) or any of ``terms`` and the filters (``key`` and
    their ``values``: search_filters.py), best first, with their scores; of an even
    sample of the matches by id when they are more than ``RANKED_MATCHES`` (every
    ``step``-th on SQLite, the sample lexemes of ``PG_DOCUMENT`` on PostgreSQL)."""
    params = {**values, "limit": limit}
    matches = match_count(conn, terms, every=every)
    if conn.dialect.name == "sqlite":
        stmt = _sqlite_statement(key)
        params["match"] = fts_match_expression(terms, every=every)
        params["step"] = step = max(1, -(-matches // RANKED_MATCHES))
        found: list[tuple[Event, float]] = []
        for factor in (*POOL_FACTORS, *((NARROW_POOL_FACTOR,) if narrow else ())):
            # The best ``pool`` matches are joined with their rows and filtered; when
            # too few pass, a wider pool. When enough pass, they are the rows any wider
            # pool gives (best first), for a fraction of the work: the join sorts every
            # pooled row ("comedy under $30" at 50,000 events: ~3x less than 2,000 rows).
            params["pool"] = pool = int(limit * factor)
            found = _scored(conn, stmt, params)
            if len(found) >= limit or matches // step <= pool:  # enough, or all seen
                break
        return found
    any_of, words = _pg_words(terms, every=every)
    step = sample_step(matches)
    if step > 1:
        params["sample"] = f"'#{step}'"
    return _scored(conn, _postgres_statement(key, any_of, step > 1), {**params, **words})


def match_count(conn: Connection, terms: Sequence[str], *, every: bool) -> int:
    """About how many events match every one (``every``) or any of ``terms``, cached.

    When the terms' counts (cached per word, shared with ``distinctive``) bound the
    matches at ``RANKED_MATCHES`` or fewer, that bound: nothing will be sampled, so no
    statement counts them (50,000 events: 1-2 statements fewer a search when the query
    is new). Else counted (SQLite) or estimated from a sample (PostgreSQL).
    """
    bound = match_bound(conn, terms, every=every)
    if bound <= min(RANKED_MATCHES, term_counts.COMMON_TERM_DOCS):
        return bound
    if conn.dialect.name == "sqlite":
        return _match_count(conn, fts_match_expression(terms, every=every))
    return _pg_match_estimate(conn, *_pg_words(terms, every=every))


def _pg_words(terms: Sequence[str], *, every: bool) -> tuple[int, dict[str, str]]:
    """How many terms are or-ed (0: every word of ``t0``) and the bound terms."""
    if every:
        return 0, {"t0": " ".join(terms)}
    return len(terms), {f"t{n}": t for n, t in enumerate(terms)}


# The share of the matches counted to estimate how many there are (``_pg_match_estimate``):
# every 64th id, then every 256th when that alone reaches ``RANKED_MATCHES``.
_ESTIMATE_STEPS = (64, 256)


def sample_step(matches: int) -> int:
    """Every how many-th id (a power of two, at most 256) a query matching ``matches``
    events ranks on PostgreSQL: 1 up to ``RANKED_MATCHES``, then the smallest step
    leaving at most that many (between half and all of ``RANKED_MATCHES``)."""
    step = 1
    while step < SAMPLE_STEPS[-1] and matches > RANKED_MATCHES * step:
        step *= 2
    return step


def _pg_match_estimate(conn: Connection, any_of: int, words: dict[str, str]) -> int:
    """About how many events a PostgreSQL full-text query matches, cached like term counts.

    The matches among every 64th id are counted and multiplied back (every 256th when
    that reaches ``RANKED_MATCHES``): the sample lexemes bound the rows read to the
    bucket's, where counting every match read all their heap rows (9,000 for "wine
    tasting" at 200,000 events) and the planner's own guess is unreliable. The
    estimate only picks a sampling step: a 900-match query counts ~14 rows and
    stays unsampled, one near 1,000 may go either way (both rank ~1,000 or fewer).
    Like on SQLite, above ``RANKED_MATCHES`` an even sample of the matches is ranked
    (``_match_count`` says why that is enough).
    """
    stmt = _pg_estimate_statement(any_of)

    def estimate() -> int:
        found = 0
        for step in _ESTIMATE_STEPS:
            params = {**words, "sample": f"'#{step}'", "cap": RANKED_MATCHES}
            found = int(conn.execute(stmt, params).scalar_one())
            if found < RANKED_MATCHES:
                return found * step
        return found * _ESTIMATE_STEPS[-1]

    # NUL: not a term; '&' every word, '|' any of the terms (unit separated).
    key = "\x00" + ("|" + "\x1f".join(words.values()) if any_of else "&" + words["t0"])
    return cached_counts(conn, [key], lambda missing: [estimate() for _ in missing])[0]


def _match_count(conn: Connection, match: str) -> int:
    """How many events an FTS5 query matches (up to ``RANKED_MATCHES`` x 100), cached
    like term counts.

    Above ``RANKED_MATCHES`` an even sample of the matches (every k-th by id, about
    ``RANKED_MATCHES`` in all) is ranked: bm25() reads each match's positions and size,
    ~1 us a match, 30-60 ms for words found in 9,000-28,000 of 200,000 events ("gallery
    opening", "music"). That many matches cannot be told apart by their words (they all
    have every word); the meaning side and the query's concepts pick among them, and an
    even sample by id keeps every source and every listing date in it.
    """

    def count(missing: list[str]) -> list[int]:
        stmt = _match_count_statement()
        cap = RANKED_MATCHES * 100
        return [int(conn.execute(stmt, {"m": m[1:], "cap": cap}).scalar_one()) for m in missing]

    return cached_counts(conn, ["\x00" + match], count)[0]  # NUL: not a term


@functools.lru_cache(maxsize=1)
def _match_count_statement() -> Select[Any]:
    fts = table(FTS_TABLE, column("rowid"))
    matching = literal_column(FTS_TABLE).op("MATCH")(bindparam("m", type_=String()))
    inner = select(fts.c.rowid).where(matching).limit(bindparam("cap", type_=Integer()))
    return select(func.count()).select_from(inner.subquery())


def _scored(
    conn: Connection, stmt: Select[Any], params: dict[str, Any]
) -> list[tuple[Event, float]]:
    """Each row's event and score (the statement's last column)."""
    rows = conn.execute(stmt, params).all()
    return list(zip(events_of(conn, rows), (float(r[-1]) for r in rows), strict=True))


@functools.lru_cache(maxsize=256)
def _sqlite_statement(key: FilterKey) -> Select[Any]:
    """FTS5 ranking with bound ``match``, ``pool``, ``limit`` and filter values."""
    fts = table(FTS_TABLE, column("rowid"))
    fts_name: ColumnClause[Any] = literal_column(FTS_TABLE)
    weights = [literal(w) for w in _BM25_WEIGHTS]
    # Rank inside FTS5 first (cheap), then join only the best ``pool`` with the rows:
    # joining every match before ranking costs ~2.5x more on big catalogues.
    bm25 = func.bm25(fts_name, *weights).label("bm25")
    match = fts_name.op("MATCH")(bindparam("match", type_=String()))
    sampled = (fts.c.rowid % bindparam("step", type_=Integer())) == 0  # _match_count
    pool = bindparam("pool", type_=Integer())
    best = select(fts.c.rowid, bm25).where(match, sampled).order_by(bm25).limit(pool)
    ranked = best.subquery()
    score = (-ranked.c.bm25).label("_score")  # bm25() is negative: lower is better
    return (
        select(*row_columns(key[0]), score)
        .select_from(ranked.join(events, events.c.id == ranked.c.rowid))
        .where(filter_clause(key))
        .order_by(score.desc(), events.c.id)
        .limit(bindparam("limit", type_=Integer()))
    )


def _tsv() -> ColumnClause[Any]:
    return literal_column("events.search_tsv", type_=TSVECTOR)


def _document() -> ColumnClause[Any]:
    return literal_column(PG_DOCUMENT, type_=TSVECTOR)


def _pg_query(any_of: int) -> Any:
    """Every word of bound ``t0`` (``any_of`` 0) or any of the ``any_of`` bound terms
    ``t0``, ``t1``…, as one tsquery."""
    config = literal(_PG_CONFIG, type_=REGCONFIG)
    query: Any = None
    for n in range(max(1, any_of)):
        part = func.plainto_tsquery(config, bindparam(f"t{n}", type_=String()))
        query = part if query is None else query.op("||")(part)
    return query


def _in_sample(query: Any) -> Any:
    """``query`` and the bound ``sample`` lexeme (``'#8'``: every eighth id)."""
    return query.op("&&")(cast(bindparam("sample", type_=String()), TSQUERY))


@functools.lru_cache(maxsize=64)
def _pg_estimate_statement(any_of: int) -> Select[Any]:
    """How many matches of the query (``_pg_query``) the bound ``sample`` holds, at most
    ``cap``."""
    matching = _document().op("@@")(_in_sample(_pg_query(any_of)))
    inner: Select[Any] = select(literal_column("1")).select_from(events).where(matching)
    capped = inner.limit(bindparam("cap", type_=Integer())).subquery()
    return select(func.count()).select_from(capped)


@functools.lru_cache(maxsize=256)
def _postgres_statement(key: FilterKey, any_of: int, sampled: bool) -> Select[Any]:
    """``ts_rank`` ranking of the query (``_pg_query``) with bound ``limit`` and filter
    values; ``sampled``: only the matches in the bound ``sample`` (``_in_sample``)."""
    query = _pg_query(any_of)
    score = func.ts_rank(_tsv(), query, 1).label("_score")
    matching = _document().op("@@")(_in_sample(query) if sampled else query)
    return (
        select(*row_columns(key[0]), score)
        .where(matching, filter_clause(key))
        .order_by(score.desc(), events.c.id)
        .limit(bindparam("limit", type_=Integer()))
    )
