"""Extraction throughput on the saved pages (no network, no database).

Parses every saved page of ``tests/fixtures/pages`` (HTML listing pages and the
Socrata JSON) through the same ``process_page`` pipeline as ``yescount
ingest``, repeatedly, and prints pages/s, events/s and peak memory. The 5 MB
page is timed on its own. The saved pages are trimmed to their content (a few
KiB), so the benchmark also measures them padded to the size of a real listing
page (~200 KiB of inline CSS, script, navigation and footer links), and the real
saved pages of ``tests/fixtures/real`` (20-400 KiB). Target: >= 50 pages/s of
ordinary listing pages on one core, peak memory under 300 MB. Pages per CPU-second
and the load average are printed beside the wall-clock rate (the machine may be shared).

    .venv/bin/python benchmarks/ingest_bench.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import tracemalloc
from datetime import date
from pathlib import Path

from yescount.ingest.html import decode
from yescount.ingest.models import Page
from yescount.ingest.pages import is_page_file, read_url
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.registry import adapter_for
from yescount.ingest.tags import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "fixtures" / "pages"
REAL = ROOT / "tests" / "fixtures" / "real"
LARGE = 1_000_000


def load_pages(root: Path = PAGES) -> list[Page]:
    pages = []
    for path in sorted(p for p in root.glob("*/*") if is_page_file(p)):
        body = path.read_bytes()
        is_json = path.suffix == ".json"
        pages.append(
            Page(
                path.parent.name,
                read_url(path, fallback="https://example.invalid/"),
                body.decode("utf-8") if is_json else decode(body),
                content_type="application/json" if is_json else "text/html",
            )
        )
    return pages


def padded(page: Page) -> Page:
    """The page with the bulk a real site adds: styles, a config script, nav and footer links."""
    if page.is_json:
        return page
    style = "<style>" + ".c-card__title{font-weight:700;margin:0 0 8px}" * 2500 + "</style>"
    script = "<script>window.__CONFIG__=" + '{"k":"v","n":1},' * 4000 + "{};</script>"
    nav = (
        "<nav>" + "".join(f'<a href="/section-{i}/">Section {i}</a>' for i in range(400)) + "</nav>"
    )
    foot = "<footer>" + "".join(f'<a href="/p/{i}">Page {i}</a> ' for i in range(400)) + "</footer>"
    text = page.text.replace("</head>", style + script + "</head>", 1)
    text = text.replace("</body>", nav + foot + "</body>", 1)
    return Page(page.source, page.url, text, content_type=page.content_type)


def run(pages: list[Page], ctx: ExtractContext, seconds: float) -> tuple[int, int, float, float]:
    """Process the pages round after round for about ``seconds`` (at least one round);
    returns pages, events, wall seconds and this process's CPU seconds."""
    done = events = 0
    started, cpu = time.perf_counter(), time.process_time()
    while True:
        for page in pages:
            events += len(process_page(adapter_for(page.source), page, ctx).accepted)
            done += 1
        if time.perf_counter() - started >= seconds:
            return done, events, time.perf_counter() - started, time.process_time() - cpu


def report(label: str, pages: list[Page], ctx: ExtractContext, seconds: float) -> None:
    done, events, elapsed, cpu = run(pages, ctx, seconds)
    sizes = sorted(len(p.text) for p in pages)
    print(f"{label}: {len(pages)} pages, median {sizes[len(sizes) // 2] / 1024:.0f} KiB")
    print(f"  pages/s:  {done / elapsed:8.1f}   ({done} pages in {elapsed:.1f}s)")
    # On a shared machine the wall clock counts other processes' turns; CPU time does not.
    print(f"  pages per CPU-second: {done / cpu:8.1f}   ({cpu:.1f}s of CPU)")
    print(f"  events/s: {events / elapsed:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    ctx = ExtractContext(
        load_vocabulary(ROOT / "config" / "vibe_tags.yaml"), today=date(2026, 11, 20)
    )
    pages = load_pages()
    ordinary = [p for p in pages if len(p.text) < LARGE]
    large = [p for p in pages if len(p.text) >= LARGE]
    run(ordinary, ctx, 0.5)  # warm-up: imports, regex compilation, lazy loaders

    report("saved pages as stored", ordinary, ctx, args.seconds / 3)
    report("saved pages at real-page size", [padded(p) for p in ordinary], ctx, args.seconds / 3)
    real = [p for p in load_pages(REAL) if not p.is_json]
    report("real pages (tests/fixtures/real, HTML)", real, ctx, args.seconds / 3)
    for page in large:
        started = time.perf_counter()
        found = len(process_page(adapter_for(page.source), page, ctx).accepted)
        took = (time.perf_counter() - started) * 1000
        print(f"large page: {len(page.text) / 1_048_576:.1f} MiB, {found} events, {took:.0f} ms")

    tracemalloc.start()
    run(pages + real, ctx, 0.0)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {rss:.0f} MiB RSS; {peak / 1_048_576:.1f} MiB traced in one pass")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
