"""HNSW graph settings vs recall@20, query time and build time, on the bench's vectors.

    .venv/bin/python benchmarks/bench_hnsw.py --events 200000 --seed 31 \\
        --pg vector:32:128,halfvec:16:128 --chroma 16:100,32:200 --ef 100,200,400

Builds each setting afresh on the same composed vectors as ``search_bench.py`` (same
size and seed) and measures, per ``ef_search``, the unfiltered recall@20 against the
exact scan and the index query's p50/p95 (k = 50, as ``search_events`` asks): wall ms,
and for pgvector the server's own execution time (EXPLAIN ANALYZE). pgvector settings
are ``type:m:ef_construction`` with type ``vector`` (float32 index) or ``halfvec`` (an
expression index on ``embedding::halfvec(384)``, queried through the same cast); they
run in a scratch ``yc_hnsw_*`` database, dropped at the end. Chroma settings are
``max_neighbors:ef_construction``, built in a scratch folder under data/bench-cache/.
Filtered recall and end-to-end latency are ``search_bench.py``'s job.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import struct
import sys
import time
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import CACHE_DIR, pg_url
from bench_vectors import event_vectors
from search_synthetic import QUERIES, synthetic_events
from yescount.observability import configure_logging
from yescount.search import chroma_index
from yescount.search.chroma_index import ChromaIndex
from yescount.search.embedder import LocalEmbedder, Vectors

PG_ADMIN_URL = os.environ.get(
    "YESCOUNT_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
K = 20
SEARCH_K = 50
ROUNDS = 3


def p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def exact_kth(matrix: Vectors, queries: Vectors) -> np.ndarray:
    """The 20th best similarity of each query (a hit at or above it counts)."""
    sims = queries @ matrix.T
    return -np.partition(-sims, K - 1, axis=1)[:, K - 1]


def recall_of(found: list[list[int]], matrix: Vectors, queries: Vectors, kth: np.ndarray) -> float:
    shares = []
    for n, ids in enumerate(found):
        top = ids[:K]
        sims = matrix[np.asarray(top, dtype=np.int64) - 1] @ queries[n] if top else np.array([])
        shares.append(min(K, int(np.sum(sims >= kth[n] - 1e-6))) / K)
    return float(np.mean(shares))


def backend_cpu_s(conn: Connection) -> float:
    """CPU seconds (user + system) of this connection's server process (same machine)."""
    pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(pg_name: str, matrix: Vectors) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{pg_name}"'))
    admin.dispose()
    engine = create_engine(pg_url(PG_ADMIN_URL, pg_name))
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
        conn.execute(text("CREATE TABLE t (id bigint PRIMARY KEY, embedding vector(384) NOT NULL)"))
        raw = conn.connection.driver_connection
        assert raw is not None
        vector_head = struct.pack(">ihh", 4 + 4 * matrix.shape[1], matrix.shape[1], 0)
        big = matrix.astype(">f4")
        with (
            raw.cursor() as cur,
            cur.copy("COPY t (id, embedding) FROM STDIN (FORMAT binary)") as copy,
        ):
            copy.write(b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0))
            for start in range(0, len(big), 5_000):
                parts = []
                for n in range(start, min(start + 5_000, len(big))):
                    parts += (struct.pack(">hiq", 2, 8, n + 1), vector_head, big[n].tobytes())
                copy.write(b"".join(parts))
            copy.write(struct.pack(">h", -1))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE t"))
    engine.dispose()


def pg_group(
    pg_name: str, group: str, matrix: Vectors, queries: Vectors, kth: np.ndarray, efs: list[int]
) -> list[dict[str, object]]:
    """Build each setting of ``group`` (``vector:16:256+halfvec:16:256``: one of each
    type), then time their queries interleaved, each on its own connection."""
    engine = create_engine(pg_url(PG_ADMIN_URL, pg_name))
    literals = ["[" + ",".join(f"{x:.7g}" for x in q) + "]" for q in queries]
    specs = group.split("+")
    assert len({s.split(":")[0] for s in specs}) == len(specs), "one setting per type"
    conns, statements, builds = [], [], []
    for spec in specs:
        kind, m, efc = spec.split(":")
        column = "embedding" if kind == "vector" else "(embedding::halfvec(384))"
        probe = f"{column} <=> CAST(:q AS {kind}(384))"
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text(f"DROP INDEX IF EXISTS t_hnsw_{kind}"))
        conn.execute(text("SET maintenance_work_mem = '1GB'"))
        wall, started_load = time.perf_counter(), os.getloadavg()[0]
        conn.execute(
            text(
                f"CREATE INDEX t_hnsw_{kind} ON t USING hnsw ({column} {kind}_cosine_ops)"
                f" WITH (m = {int(m)}, ef_construction = {int(efc)})"
            )
        )
        size = conn.execute(text(f"SELECT pg_relation_size('t_hnsw_{kind}')")).scalar_one()
        builds.append((round(time.perf_counter() - wall, 1), round(started_load, 2), size))
        print(f"built pgvector {spec}: {builds[-1][0]} s (load {builds[-1][1]})", flush=True)
        conns.append(conn)
        statements.append(text(f"SELECT id, {probe} AS d FROM t ORDER BY {probe} LIMIT {SEARCH_K}"))
    out: list[dict[str, object]] = []
    for ef in efs:
        found: list[list[list[int]]] = [[] for _ in specs]
        wall_ms: list[list[float]] = [[] for _ in specs]
        cpu = [0.0 for _ in specs]
        for conn, statement in zip(conns, statements, strict=True):
            conn.execute(text("SELECT set_config('hnsw.ef_search', :ef, false)"), {"ef": str(ef)})
            conn.execute(statement, {"q": literals[0]}).all()
        for _ in range(ROUNDS):
            found = [[] for _ in specs]
            for literal in literals:
                for n, (conn, statement) in enumerate(zip(conns, statements, strict=True)):
                    before = backend_cpu_s(conn)
                    started = time.perf_counter()
                    rows = conn.execute(statement, {"q": literal}).all()
                    wall_ms[n].append((time.perf_counter() - started) * 1000)
                    cpu[n] += backend_cpu_s(conn) - before
                    found[n].append([int(r.id) for r in rows])
        for n, spec in enumerate(specs):
            server_ms = []
            explain = text(f"EXPLAIN (ANALYZE, FORMAT JSON) {statements[n].text}")
            for literal in literals:
                plan = conns[n].execute(explain, {"q": literal}).scalar_one()
                plan = plan if isinstance(plan, list) else json.loads(plan)
                server_ms.append(float(plan[0]["Execution Time"]))
                assert "t_hnsw" in json.dumps(plan), "index not used"
            out.append(
                {
                    "setting": f"pgvector {spec}",
                    "build_s": builds[n][0],
                    "build_load": builds[n][1],
                    "size_mb": round(builds[n][2] / 2**20),
                    "ef": ef,
                    "recall": round(recall_of(found[n], matrix, queries, kth), 3),
                    "wall_ms": tuple(round(x, 2) for x in p50_p95(wall_ms[n])),
                    "server_ms": tuple(round(x, 2) for x in p50_p95(server_ms)),
                    "server_cpu_ms": round(cpu[n] * 1000 / len(wall_ms[n]), 2),
                    "load": round(os.getloadavg()[0], 2),
                }
            )
            print(out[-1], flush=True)
    for conn, spec in zip(conns, specs, strict=True):
        conn.execute(text(f"DROP INDEX IF EXISTS t_hnsw_{spec.split(':')[0]}"))
        conn.close()
    engine.dispose()
    return out


def chroma_setting(
    spec: str, matrix: Vectors, queries: Vectors, kth: np.ndarray, efs: list[int]
) -> list[dict[str, object]]:
    from chromadb.api.shared_system_client import SharedSystemClient

    neighbors, efc = (int(x) for x in spec.split(":"))
    folder = CACHE_DIR / f"hnsw-exp-{len(matrix)}-{neighbors}-{efc}"
    shutil.rmtree(folder, ignore_errors=True)
    chroma_index.HNSW_CONSTRUCTION = {
        "space": "cosine",
        "ef_construction": efc,
        "max_neighbors": neighbors,
    }
    from yescount.search.index import IndexedEvent

    index = ChromaIndex(folder, model_name="m", dimension=matrix.shape[1])
    items = [
        IndexedEvent(
            event_id=n + 1,
            vector=matrix[n],
            content_hash="h",
            first_day=0,
            last_day=0,
            price_min=-1.0,
        )
        for n in range(len(matrix))
    ]
    wall, started_load = time.perf_counter(), os.getloadavg()[0]
    index.upsert(items)
    build_s = time.perf_counter() - wall
    out: list[dict[str, object]] = []
    for ef in efs:
        SharedSystemClient.clear_system_cache()
        index = ChromaIndex(folder, model_name="m", dimension=matrix.shape[1], ef_search=ef)
        index.query(queries[0], k=SEARCH_K)
        found, wall_ms = [], []
        for _ in range(ROUNDS):
            found = []
            for q in queries:
                started = time.perf_counter()
                hits = index.query(q, k=SEARCH_K)
                wall_ms.append((time.perf_counter() - started) * 1000)
                found.append([h.event_id for h in hits])
        out.append(
            {
                "setting": f"chroma {spec}",
                "build_s": round(build_s, 1),
                "build_load": round(started_load, 2),
                "ef": ef,
                "recall": round(recall_of(found, matrix, queries, kth), 3),
                "wall_ms": tuple(round(x, 2) for x in p50_p95(wall_ms)),
                "load": round(os.getloadavg()[0], 2),
            }
        )
        print(out[-1], flush=True)
    SharedSystemClient.clear_system_cache()
    shutil.rmtree(folder, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg", default="", help="type:m:ef_construction,... (comma-separated)")
    parser.add_argument("--chroma", default="", help="max_neighbors:ef_construction,...")
    parser.add_argument("--ef", default="100,200,400")
    args = parser.parse_args()
    configure_logging("WARNING")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    efs = [int(x) for x in args.ef.split(",")]
    print(f"load average at start: {os.getloadavg()} (2 cores, shared machine)")
    embedder = LocalEmbedder()
    events = synthetic_events(args.events, seed=args.seed)
    matrix, _ = event_vectors("composed", events, embedder, CACHE_DIR, seed=args.seed)
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    queries = np.stack([embedder.embed_query(q) for q in QUERIES]).astype(np.float32)
    kth = exact_kth(matrix, queries)
    pg_name = f"yc_hnsw_{args.events}_s{args.seed}"
    if args.pg:
        wall = time.perf_counter()
        load(pg_name, matrix)
        print(f"loaded {len(matrix):,} vectors in {time.perf_counter() - wall:.1f} s")
        for group in args.pg.split(","):
            pg_group(pg_name, group, matrix, queries, kth, efs)
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
        admin.dispose()
    for spec in [s for s in args.chroma.split(",") if s]:
        chroma_setting(spec, matrix, queries, kth, efs)
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
