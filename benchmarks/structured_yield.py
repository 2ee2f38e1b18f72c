"""What each labelled real page yields from structured data alone.

Per page: the structured items found by syntax, the event candidates by
extraction method, and — scored with the corpus rules — how many labelled
events the accepted structured events match (and how many are extra), next
to the whole pipeline's F1. Time per page for the structured readers.

    .venv/bin/python benchmarks/structured_yield.py [DIR]   (default tests/fixtures/real)

Then the time the structured readers take on hostile pages (broken JSON made to
be slow to repair, a 5 MB state blob), which their budgets must keep small.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from yescount.ingest import html
from yescount.ingest.corpus import labelled_pages, load_page, read_gold
from yescount.ingest.evaluation import Prediction, parse_day, score_page
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.registry import adapter_for
from yescount.ingest.structured import METHODS, structured_candidates
from yescount.ingest.tags import load_vocabulary
from yescount.ingest.validate import STRUCTURED_METHODS

ROOT = Path(__file__).resolve().parents[1]


def _adapter(source: str):  # type: ignore[no-untyped-def]
    try:
        return adapter_for(source)
    except Exception:
        return adapter_for("generic")


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "fixtures" / "real"
    vocabulary = load_vocabulary(ROOT / "config" / "vibe_tags.yaml")
    print(f"{'page':<58} {'items by syntax':<34} {'candidates':<26} lab  s-mat s-ext  all-F1  ms")
    for item in labelled_pages(root):
        gold = read_gold(item.gold)
        page_date = parse_day(gold.get("page_date")) or date.today()
        url = str(gold.get("page_url") or "").split(" ", 1)[0]
        fallback = url if url.startswith("http") else f"https://{item.source}.invalid/"
        page = load_page(item.page, source=item.source, fallback_url=fallback)
        if page.is_json:
            continue
        started = time.perf_counter()
        items, candidates = structured_candidates(page.text, page.url, html.parse(page.text))
        elapsed = (time.perf_counter() - started) * 1000
        syntaxes = Counter(str(i.get("_syntax")) for i in items)
        methods = Counter(c.extraction_method for c in candidates)
        ctx = ExtractContext(vocabulary, today=page_date, as_of=page_date)
        accepted = process_page(adapter_for(item.source), page, ctx).accepted
        predictions = [Prediction(r.title, r.date_start, r.date_status.value) for r in accepted]
        structured = [
            p
            for p, r in zip(predictions, accepted, strict=True)
            if r.extraction_method in STRUCTURED_METHODS
        ]
        alone = score_page(item.name, gold, structured)
        whole = score_page(item.name, gold, predictions)
        show_items = " ".join(f"{k}={v}" for k, v in sorted(syntaxes.items())) or "-"
        show_methods = " ".join(f"{METHODS.get(k, k)}={v}" for k, v in methods.items()) or "-"
        print(
            f"{item.name[-58:]:<58} {show_items[:34]:<34} {show_methods[:26]:<26} "
            f"{alone.labelled:>3} {alone.matched:>5} {len(alone.extra):>5}  {whole.f1:6.3f} "
            f"{elapsed:4.0f}"
        )


def hostile() -> None:
    blocks = {
        "200k single quotes": "{" + "'" * 200_000,
        "1M commas": "{" + "," * 1_000_000,
        "300k bare keys": "{" + "a:" * 300_000,
        "unterminated 1 MB string": '{"' + "a" * 1_000_000,
        "300k escapes": "{" + '"\\' * 300_000,
    }
    for label, block in blocks.items():
        scripts = f'<script type="application/ld+json">{block}</script>' * 20
        page = f"<html><head>{scripts}</head><body></body></html>"
        started = time.perf_counter()
        structured_candidates(page, "https://example.com/")
        print(f"hostile: 20 blocks of {label:<26} {(time.perf_counter() - started) * 1000:7.0f} ms")
    large = ROOT / "tests" / "fixtures" / "pages" / "timeout_newyork" / "large-nextjs-listing.html"
    text = large.read_text(encoding="utf-8")
    started = time.perf_counter()
    structured_candidates(text, "https://www.timeout.com/newyork/")
    elapsed = (time.perf_counter() - started) * 1000
    print(f"5 MB Next.js page (no events in its state): {elapsed:.0f} ms")


if __name__ == "__main__":
    main()
    hostile()
