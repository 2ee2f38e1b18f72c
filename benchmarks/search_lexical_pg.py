"""Where the PostgreSQL lexical stage of ``search_events`` spends its time, per statement.

    .venv/bin/python benchmarks/search_lexical_pg.py --events 50000 --seed 21 [--rounds 3]
    .venv/bin/python benchmarks/search_lexical_pg.py --events 200000 --seed 71 --compare

Opens the PostgreSQL copy of a catalogue ``search_bench.py`` built (same size, seed
and vector kind, this code version) and runs the lexical stage of the 50 bench
queries as ``search_events`` does (``lexical_search``, then ``_concept_rows``:
``any_term_search`` and ``tagged``, or ``browse``), with the vector side left out.
Prints the stage's wall and CPU p50/p95, then per kind of statement (every word,
any word, tags, browse, term counts) the client's wall time around each execute
(round trip, fetch, row mapping of SQLAlchemy and psycopg) beside the server's
execution + planning time (EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) of the same
statement with the same parameters: TIMING ON costs a clock read per row and
doubled the figures) and the buffers read. ``--compare`` then prints, per query whose
full-text matches are sampled (more than ``RANKED_MATCHES``), the estimate and the step,
and over all the queries how many top 20s are identical with every match ranked: the
lexical stage's (``lexical_search``) and the end-to-end ``search_events`` one
(pgvector and the model, as search_bench.py runs it).

Measured 2026-12-03 ~09:00 UTC, 50,000 events, seed 21, load 4.5 (shared machine):
stage wall p50/p95 13.8/28.7 ms; statements' client time 10.1/25.0; server 6.2/13.3.
Every word (55 statements) client 5.9/14.6, server 4.0/10.2 ms, ~1,500 buffers p50:
two common words match ~1,800 events, each heap row read and ranked (1,822 for "wine
tasting": 1.8 ms to read and test them, +0.8 ms of ts_rank, cached). Any word (49)
client 1.3/13.8, server 0.4/10.9 (a concept's rare words: 2,203 buffers for
"basketball game"); tags (27) client 1.2/2.8, server 0.4/0.6. A ``SELECT 1`` round
trip is 0.14/0.26 ms at that load: the client's extra time is mostly waiting for the
server process (psycopg's wait() was 3.1 s of 4.0 s profiled), so server work is
what to cut, not statements. At 200,000 events (load 7.3): stage 72.5/133.5 ms, every
word server 45.3/81.4 ms with 6,121 buffers p50; any word 0.4/2.5 (more words pass the
common-term cut); tags 0.6/0.9.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import code_version, pg_url
from bench_vectors import KINDS
from search_bench import NOW, PG_ADMIN_URL, clock
from search_synthetic import QUERIES
from yescount.domain import newyork
from yescount.domain.search import SearchFilters
from yescount.observability import configure_logging
from yescount.search.query import ParsedQuery, parse_query
from yescount.services import search as service
from yescount.storage.engine import make_engine
from yescount.storage.repositories import fulltext, term_counts
from yescount.storage.uow import uow_factory

Sent = list[tuple[str, Any, float]]


def _p50_p95(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"{statistics.median(ordered):6.2f}/{p95:6.2f}"


def _kind(statement: str) -> str:
    if "%(sample)s" in statement and "ts_rank" not in statement:
        return "match counts"
    if "ts_rank" in statement:
        return "any word" if "%(t1)s" in statement else "every word"
    if "?|" in statement:
        return "tags"
    if "count(" in statement:
        return "term counts"
    return "browse/other"


@contextmanager
def _recorded(engine: Engine) -> Iterator[Sent]:
    """Every statement sent meanwhile, its parameters and the client's ms around it."""
    sent: Sent = []
    started: list[float] = []

    def before(*_: Any) -> None:
        started.append(time.perf_counter())

    def after(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters, (time.perf_counter() - started.pop()) * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--vectors", choices=KINDS, default="composed")
    parser.add_argument("--rounds", type=int, default=3, help="Timed rounds of the 50 queries.")
    parser.add_argument(
        "--compare", action="store_true", help="Top 20s sampled vs every match ranked."
    )
    args = parser.parse_args()
    name = f"yc_bench_{args.events}_{args.vectors}_s{args.seed}_{code_version()}"
    engine = make_engine(pg_url(PG_ADMIN_URL, name))
    factory = uow_factory(engine)
    today = newyork.today(lambda: NOW)

    def lexical_stage(parsed: ParsedQuery) -> None:
        wanted = SearchFilters().with_max_price(parsed.max_price)
        with factory(write=False) as uow:
            hits = uow.search.lexical_search(
                parsed.terms, filters=wanted, today=today, limit=service.CANDIDATES
            )
            service._concept_rows(uow, parsed, wanted, today, {h.event_id for h in hits})

    with factory(write=False) as uow:
        correct = service._corrector(uow, factory)
        queries = [parse_query(q, correct=correct, today=today) for q in QUERIES]
    for parsed in queries:  # warm: term counts, vocabulary, prepared statements
        lexical_stage(parsed)
    wall, cpu = [], []
    for _ in range(args.rounds):
        for parsed in queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            lexical_stage(parsed)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
    print(f"database {name}; load {os.getloadavg()}")
    print(f"lexical stage: wall p50/p95 {_p50_p95(wall)} ms, CPU {_p50_p95(cpu)} ms")

    per_query: list[Sent] = []
    for parsed in queries:
        with _recorded(engine) as sent:
            lexical_stage(parsed)
        per_query.append([s for s in sent if not s[0].lstrip().upper().startswith("EXPLAIN")])
    figures: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    client_sums, server_sums = [], []
    with engine.connect() as conn:
        for sent in per_query:
            client_sum = server_sum = 0.0
            for statement, parameters, client_ms in sent:
                explain = "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) " + statement
                plan = conn.exec_driver_sql(explain, parameters).scalar_one()[0]
                server_ms = plan["Execution Time"] + plan["Planning Time"]
                top = plan["Plan"]
                kind = figures[_kind(statement)]
                kind["client"].append(client_ms)
                kind["server"].append(server_ms)
                kind["buffers"].append(top["Shared Hit Blocks"] + top["Shared Read Blocks"])
                client_sum += client_ms
                server_sum += server_ms
            client_sums.append(client_sum)
            server_sums.append(server_sum)
    print(
        f"per query, its statements: client {_p50_p95(client_sums)} ms,"
        f" server {_p50_p95(server_sums)} ms"
    )
    for kind_name, kind in sorted(figures.items()):
        print(
            f"  {kind_name:12} n={len(kind['client']):3} client {_p50_p95(kind['client'])} ms"
            f"  server {_p50_p95(kind['server'])} ms"
            f"  buffers p50 {statistics.median(kind['buffers']):.0f} max {max(kind['buffers'])}"
        )
    if args.compare:
        compare_with_full_ranking(engine, queries)
    print(f"load at the end {os.getloadavg()}")
    engine.dispose()


def compare_with_full_ranking(engine: Engine, queries: list[ParsedQuery]) -> None:
    """How many top 20s (lexical stage, end to end) the sample leaves as they are."""
    from yescount.search.embedder import LocalEmbedder
    from yescount.search.pgvector_index import PgVectorIndex

    configure_logging("WARNING")
    factory = uow_factory(engine)
    today = newyork.today(lambda: NOW)
    embedder = LocalEmbedder()
    embedder.warm_up()
    index = PgVectorIndex(engine, model_name=embedder.model_name, dimension=384)

    def top_20s() -> tuple[list[Top], list[Top]]:
        lexical, ends = [], []
        for query, parsed in zip(QUERIES, queries, strict=True):
            wanted = SearchFilters().with_max_price(parsed.max_price)
            with factory(write=False) as uow:
                hits = uow.search.lexical_search(
                    parsed.terms, filters=wanted, today=today, limit=service.CANDIDATES
                )
            lexical.append([(h.event_id, h.score) for h in hits[:20]])
            found = service.search_events(
                query, uow_factory=factory, index=index, embedder=embedder, clock=clock
            )
            ends.append([(h.event.id, h.score) for h in found.hits[:20]])
        return lexical, ends

    with engine.connect() as conn:
        for query, parsed in zip(QUERIES, queries, strict=True):
            estimate = fulltext._pg_match_estimate(conn, 0, {"t0": " ".join(parsed.terms)})
            if parsed.terms and fulltext.sample_step(estimate) > 1:
                step = fulltext.sample_step(estimate)
                print(f"  sampled: {query!r}: every word ~{estimate:,} matches, every {step}th id")
    sampled = top_20s()
    ranked_matches = fulltext.RANKED_MATCHES
    fulltext.RANKED_MATCHES = 10**9
    term_counts._COUNTS.clear()
    try:
        full = top_20s()
    finally:
        fulltext.RANKED_MATCHES = ranked_matches
        term_counts._COUNTS.clear()
    for name, mine, theirs in zip(("lexical", "end to end"), sampled, full, strict=True):
        pairs = list(zip(mine, theirs, strict=True))
        same = sum([i for i, _ in a] == [i for i, _ in b] for a, b in pairs)
        shared = [len({i for i, _ in a} & {i for i, _ in b}) for a, b in pairs]
        # Many matches tie (same words, same places): equal scores rank equally well.
        scores = sum(_rounded(a) == _rounded(b) for a, b in pairs)
        ratio = [sum(s for _, s in a) / sum(s for _, s in b) for a, b in pairs if b and a]
        print(
            f"top 20 {name}, sampled vs every match ranked: {same}/{len(pairs)} identical,"
            f" {statistics.mean(shared):.1f} events shared on average; {scores}/{len(pairs)}"
            f" with the same 20 scores, sum of scores sampled/full p50"
            f" {statistics.median(ratio):.3f} min {min(ratio):.3f}"
        )


Top = list[tuple[int, float]]


def _rounded(top: Top) -> list[float]:
    return [round(score, 4) for _, score in top]


if __name__ == "__main__":
    main()
