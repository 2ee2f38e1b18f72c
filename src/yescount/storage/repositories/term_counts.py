"""How many events hold each search term, cached per database (the full-text side's
statistics: ``repositories/fulltext.py`` decides from them which words fetch candidates
and how many matches a query has, before it ranks any).

Counts are capped (``COMMON_TERM_DOCS + 1``: a count only tells rare from common) and
cached a few minutes, like a planner's statistics. The matching document of PostgreSQL
(``PG_DOCUMENT``) and the quoted FTS5 expression of SQLite live here too: counting and
ranking must match the same way.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    String,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.expression import Executable

from yescount.storage.search_schema import FTS_TABLE

COMMON_TERM_DOCS = 1_000
_CAP = COMMON_TERM_DOCS + 1
COUNTS_TTL_S = 300.0
COUNTS_MAX_TERMS = 50_000
_COUNTS: dict[str, dict[str, tuple[int, float]]] = {}
_COUNTS_LOCK = threading.Lock()
_RECOUNTED: contextvars.ContextVar[set[tuple[str, str]] | None] = contextvars.ContextVar(
    "yescount_recounted", default=None
)

# PostgreSQL matches through ``events.search_tsv`` plus one lexeme per power of two
# dividing the event's id ('#2' on even ids, '#4' on every fourth, ... '#256'): the GIN
# index is on this expression (migration 0009, which keeps a literal copy: the two must
# stay the same text or the planner cannot use the index). ``words & '#8'`` is then
# intersected with every eighth id inside the index: only the sample's rows are read.
SAMPLE_STEPS = tuple(2**n for n in range(1, 9))
PG_DOCUMENT = (
    "(events.search_tsv || array_to_tsvector(array_remove(ARRAY["
    + ", ".join(f"CASE WHEN events.id % {k} = 0 THEN '#{k}' END" for k in SAMPLE_STEPS)
    + "], NULL)))"
)


@contextlib.contextmanager
def recounting() -> Iterator[None]:
    """Counts asked for meanwhile (in this thread) are made afresh, each once, even those
    still cached: a refresh before they expire keeps the cache warm."""
    token = _RECOUNTED.set(set())
    try:
        yield
    finally:
        _RECOUNTED.reset(token)


def fts_match_expression(terms: Sequence[str], *, every: bool = False) -> str:
    """An FTS5 query joining each term, quoted (quotes doubled), with OR or AND."""
    joiner = " AND " if every else " OR "
    return joiner.join('"' + t.replace('"', '""') + '"' for t in terms)


def match_bound(conn: Connection, terms: Sequence[str], *, every: bool) -> int:
    """At most how many events match every one (``every``) or any of ``terms``, from
    their counts: the smallest count, or their sum (capped counts: a bound above
    ``COMMON_TERM_DOCS`` only says "many")."""
    counts = doc_counts(conn, terms)
    if not counts:
        return 0
    return min(counts) if every else sum(counts)


def doc_counts(conn: Connection, terms: Sequence[str]) -> list[int]:
    """How many events contain each term (capped at ``COMMON_TERM_DOCS + 1``).

    Term statistics change slowly, like a planner's: they are cached per database
    for a few minutes so popular words cost one query, not one per search.
    """

    def count(missing: list[str]) -> list[int]:
        found = [0] * len(missing)
        params = _count_params(conn, missing)
        for position, n in conn.execute(_counts_statement(conn.dialect.name), params):
            found[int(position)] = int(n)
        return found

    return cached_counts(conn, terms, count)


def cached_counts(
    conn: Connection, keys: Sequence[str], count: Callable[[list[str]], list[int]]
) -> list[int]:
    """Counts per key from the per-database cache, ``count`` filling the missing ones
    (every one inside ``recounting()``)."""
    db = str(conn.engine.url)
    now = time.monotonic()
    wanted = list(dict.fromkeys(keys))
    recounted = _RECOUNTED.get()
    with _COUNTS_LOCK:
        cached = _COUNTS.setdefault(db, {})
        # Only the asked-for keys: the cache holds every term of every recent search
        # (reading all of it to find the fresh ones cost ~1 ms a call at a few
        # thousand terms, several calls a search).
        known = ((k, cached.get(k)) for k in wanted)
        fresh = {k: got[0] for k, got in known if got and now - got[1] < COUNTS_TTL_S}
        if recounted is not None:  # a refresh: counted afresh, once in the pass
            fresh = {k: n for k, n in fresh.items() if (db, k) in recounted}
            recounted.update((db, k) for k in wanted)
    missing = [k for k in wanted if k not in fresh]
    if missing:
        found = dict(zip(missing, count(missing), strict=True))
        fresh.update(found)
        with _COUNTS_LOCK:
            cached.update({k: (n, now) for k, n in found.items()})
            if len(cached) > COUNTS_MAX_TERMS:
                cached.clear()
    return [fresh[k] for k in keys]


def distinctive(conn: Connection, terms: Sequence[str]) -> list[str]:
    """The terms found in at most ``COMMON_TERM_DOCS`` events, in order."""
    counts = doc_counts(conn, terms)
    return [t for t, n in zip(terms, counts, strict=True) if n <= COMMON_TERM_DOCS]


def _count_params(conn: Connection, terms: Sequence[str]) -> dict[str, Any]:
    """The bound list of terms for ``_counts_statement``: FTS5 expressions (each term
    quoted) as one JSON array on SQLite, a text array on PostgreSQL."""
    if conn.dialect.name == "sqlite":
        return {"terms": json.dumps([fts_match_expression([t]) for t in terms]), "cap": _CAP}
    return {
        "terms": list(terms),
        "cap": _CAP,
        "common": COMMON_TERM_DOCS,
        "sampled_from": COUNT_SAMPLED_FROM,
    }


@functools.lru_cache(maxsize=2)
def _counts_statement(dialect: str) -> Executable:
    """(position, matches capped at ``cap``) per bound term: one statement whatever the
    number of terms (a statement per count of terms was compiled afresh for each new
    count, ~3-6 ms each, and term counts run when the cache is cold)."""
    if dialect != "sqlite":
        return _PG_COUNTS
    each = func.json_each(bindparam("terms", type_=String())).table_valued("key", "value")
    fts = table(FTS_TABLE, column("rowid"))
    match: Any = literal_column(FTS_TABLE).op("MATCH")(each.c.value)
    inner = select(fts.c.rowid).where(match).correlate(each).limit(bindparam("cap")).subquery()
    count = select(func.count()).select_from(inner).scalar_subquery()
    return select(each.c.key, count).select_from(each)


# On PostgreSQL, counting a common word's first ``cap`` matches reads ``cap`` heap rows
# (~1,000 pages, 1-4 ms a word; a concept's 30 words cost 30-100 ms when the cache was
# cold). The planner's statistics already know the common ones: a one-word term whose
# sampled frequency (pg_stats most_common_elems, refreshed by ANALYZE) times the row
# estimate exceeds ``common`` is common without counting; every other term (rare, a
# phrase, or no statistics yet) is counted. From ``COUNT_SAMPLED_FROM`` rows on, among
# every ``COUNT_SAMPLE``-th id only (the '#16' lexeme), multiplied back: a count only
# tells rare from common. 50,000 events, the concept words of search_synthetic.py's 50
# queries, nothing cached: 3.4-4.0 -> 2.2-2.4 ms a query; of 483 words one changed
# sides, the stop word "up" (it matches nothing; an empty query "matches" the sample).
COUNT_SAMPLE = 16
COUNT_SAMPLED_FROM = 20_000
_PG_COUNTS = text(
    f"""
    WITH stats AS (
        SELECT s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs AS freqs
        FROM pg_stats s
        WHERE s.schemaname = current_schema() AND s.tablename = 'events'
          AND s.attname = 'search_tsv'
    ), size AS (
        SELECT c.reltuples AS est FROM pg_class c WHERE c.oid = 'events'::regclass
    ), listed AS (
        SELECT t.term, t.position,
               tsvector_to_array(to_tsvector('english', t.term)) AS lexemes
        FROM unnest(CAST(:terms AS text[])) WITH ORDINALITY AS t(term, position)
    )
    SELECT listed.position - 1,
           CASE WHEN cardinality(listed.lexemes) = 1 AND (
                    SELECT stats.freqs[array_position(stats.elems, listed.lexemes[1])]
                           * (SELECT est FROM size) FROM stats
                ) > :common
                THEN :cap
                WHEN (SELECT est FROM size) >= :sampled_from
                THEN LEAST(:cap, {COUNT_SAMPLE} * (SELECT count(*) FROM (
                        SELECT 1 FROM events
                        WHERE {PG_DOCUMENT}
                              @@ (plainto_tsquery('english', listed.term)
                                 && CAST('''#{COUNT_SAMPLE}''' AS tsquery))
                        LIMIT :cap / {COUNT_SAMPLE} + 1) AS matching))
                ELSE (SELECT count(*) FROM (
                        SELECT 1 FROM events
                        WHERE {PG_DOCUMENT} @@ plainto_tsquery('english', listed.term)
                        LIMIT :cap) AS matching)
           END
    FROM listed
    """  # noqa: S608 (PG_DOCUMENT and COUNT_SAMPLE are constants: no input)
).bindparams(
    bindparam("terms", type_=ARRAY(String())),
    bindparam("cap", type_=Integer()),
    bindparam("common", type_=Integer()),
    bindparam("sampled_from", type_=Integer()),
)
