"""Chroma graph settings vs recall@20 (unfiltered and filtered), query time and build cost.

    .venv/bin/python benchmarks/bench_chroma.py --events 200000 --seed 61 \\
        --chroma 16:100,32:100 --ef 400,800 [--rep b] [--build-only | --time-only]

Builds each ``max_neighbors:ef_construction`` setting once (kept under
data/bench-cache/chroma-exp-*, with the synthetic events' dates and prices, ``--rep``
names another build of the same vectors: graphs vary between builds), prints build
wall/CPU time and size on disk, then per ``ef_search`` bench_recall.py's sweep
(recall@20 without and under its three filters, wrong rows) and the index query's
p50/p95 ms (k = 50, as ``search_events`` asks) without a filter and under each.
Unlike ``bench_hnsw.py`` the rows carry metadata, so the filtered paths are real.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromadb.api.shared_system_client import SharedSystemClient

from bench_build import CACHE_DIR, indexed
from bench_recall import FILTERS, Exact, print_sweep, sweep
from bench_vectors import event_vectors
from search_synthetic import QUERIES, synthetic_events
from yescount.observability import configure_logging
from yescount.search import chroma_index
from yescount.search.chroma_index import ChromaIndex
from yescount.search.embedder import LocalEmbedder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=61)
    parser.add_argument("--chroma", default="16:100")
    parser.add_argument("--ef", default="400,800")
    parser.add_argument("--rep", default="a")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--time-only", action="store_true")
    args = parser.parse_args()
    configure_logging("WARNING")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    embedder = LocalEmbedder()
    events = synthetic_events(args.events, seed=args.seed)
    records = [r for r, _ in events]
    vectors, _ = event_vectors("composed", events, embedder, CACHE_DIR, seed=args.seed)
    items = indexed(list(range(1, len(records) + 1)), records, vectors)
    exact = Exact(items, vectors)
    for name, where in FILTERS.items():
        print(f"pass rate {name}: {exact.mask(where).mean():.4f}")
    queries = np.stack([embedder.embed_query(q) for q in QUERIES]).astype(np.float32)
    efs = [int(x) for x in args.ef.split(",")]
    for spec in args.chroma.split(","):
        m, efc = (int(x) for x in spec.split(":"))
        folder = CACHE_DIR / f"chroma-exp-{args.events}-s{args.seed}-{m}-{efc}-{args.rep}"
        chroma_index.HNSW_CONSTRUCTION = {
            "space": "cosine",
            "ef_construction": efc,
            "max_neighbors": m,
        }
        if args.rebuild or not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            SharedSystemClient.clear_system_cache()
            index = ChromaIndex(folder, model_name=embedder.model_name, dimension=384)
            load = os.getloadavg()[0]
            wall, cpu = time.perf_counter(), time.process_time()
            index.upsert(items)
            print(
                f"built {spec}: {time.perf_counter() - wall:.1f} s wall,"
                f" {time.process_time() - cpu:.1f} s CPU (load {load:.2f})"
            )
            (folder / "done").write_text("")
        size = subprocess.run(["du", "-sm", str(folder)], capture_output=True, text=True)
        print(f"size {spec}: {size.stdout.split()[0]} MB")

        if args.build_only:
            continue

        def make(ef: int, folder: Path = folder) -> ChromaIndex:
            SharedSystemClient.clear_system_cache()
            return ChromaIndex(folder, model_name=embedder.model_name, dimension=384, ef_search=ef)

        if not args.time_only:
            rows = sweep(make, exact, queries, efs)
            print_sweep(f"chroma {spec} {args.rep} (load {os.getloadavg()[0]:.2f})", rows)
        for ef in efs:
            index = make(ef)
            index.query(queries[0], k=50)
            index.query(queries[0], k=50, where=FILTERS["price <= $25"])
            for name, flt in [("none", None), *FILTERS.items()]:
                t = []
                for _ in range(2):
                    for q in queries:
                        started = time.perf_counter()
                        index.query(q, k=50, where=flt)
                        t.append((time.perf_counter() - started) * 1000)
                t.sort()
                print(
                    f"  {spec} ef {ef} {name}: p50 {t[len(t) // 2]:.1f} p95"
                    f" {t[int(len(t) * 0.95) - 1]:.1f} ms (load {os.getloadavg()[0]:.2f})"
                )


if __name__ == "__main__":
    main()
