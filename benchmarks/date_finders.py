"""Which date-mention finder reads real listing prose best? (issue 9, item 2)

For every labelled event of the real corpus (``tests/fixtures/real``) with a stated
first day, the generic path's block text is given to each finder, and the first
date it reports is compared with the label's ``date_start`` (page date as the
reference). Finders: ours (``yescount.ingest.mentions``), ``dateparser``'s
``search_dates``, ``datefinder`` and ``ctparse`` (sentence by sentence). The last
two are not dependencies of the project: install them to compare
(``pip install datefinder ctparse``); missing ones are skipped.

    .venv/bin/python benchmarks/date_finders.py
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from yescount.ingest.corpus import labelled_pages, load_page, read_gold
from yescount.ingest.evaluation import MATCH_AT, parse_day, similarity
from yescount.ingest.mentions import event_dates, sentences
from yescount.ingest.normalize import prose
from yescount.ingest.registry import adapter_for

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "fixtures" / "real"
Finder = Callable[[str, date], date | None]


def ours(text: str, ref: date) -> date | None:
    return event_dates(text, ref=ref).start


def with_dateparser(text: str, ref: date) -> date | None:
    from dateparser.search import search_dates

    base = datetime(ref.year, ref.month, ref.day)
    found = search_dates(
        text,
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "REQUIRE_PARTS": ["day"]},
    )
    return found[0][1].date() if found else None


def with_datefinder(text: str, ref: date) -> date | None:
    import datefinder  # type: ignore[import-not-found]

    base = datetime(ref.year, ref.month, ref.day)
    for found in datefinder.find_dates(text, base_date=base):
        return found.date()  # type: ignore[no-any-return]
    return None


def with_ctparse(text: str, ref: date) -> date | None:
    from ctparse import ctparse as parse  # type: ignore[import-not-found]

    base = datetime(ref.year, ref.month, ref.day)
    for sentence in sentences(text):
        result = parse(sentence[:200], ts=base, timeout=0.5)
        if result is None:
            continue
        value = getattr(result.resolution, "start", result.resolution)
        if getattr(value, "year", None) and getattr(value, "month", None) and value.day:
            return date(value.year, value.month, value.day)
    return None


def cases(*, fields: bool = False) -> list[tuple[str, date, date]]:
    """(block text, page date, labelled first day) for every matched labelled event.

    ``fields``: the text starts with what the pipeline reads before the prose (the
    day heading, the card's date field, its ``<time datetime>``).
    """
    found = []
    for item in labelled_pages(REAL):
        if item.page.suffix == ".json":
            continue
        gold = read_gold(item.gold)
        ref = parse_day(gold.get("page_date"))
        if ref is None:
            continue
        page = load_page(item.page, source=item.source, fallback_url="https://x.invalid/")
        candidates = [c for c in adapter_for(item.source).read(page).candidates if c.flags]
        for label in gold["events"]:
            start = parse_day(label.get("date_start"))
            match = max(candidates, key=lambda c: similarity(label["title"], c.title), default=None)
            if start and match and similarity(label["title"], match.title) >= MATCH_AT:
                head = [match.flags.get("day"), match.date_text, match.start_value]
                head = head if fields else []
                text = "\n".join([*(h for h in head if h), prose(match)])
                found.append((text, ref, start))
    return found


def main() -> None:
    warnings.filterwarnings("ignore")
    finders: dict[str, Finder] = {
        "yescount.ingest.mentions": ours,
        "dateparser.search_dates": with_dateparser,
        "datefinder": with_datefinder,
        "ctparse": with_ctparse,
    }
    for fields in (False, True):
        data = cases(fields=fields)
        reading = "day heading, date field, <time>, then prose" if fields else "block prose only"
        print(f"{len(data)} labelled events with a first day (real HTML pages), {reading}:")
        for name, finder in finders.items():
            _measure(name, finder, data)


def _measure(name: str, finder: Finder, data: list[tuple[str, date, date]]) -> None:
    right = 0
    started = time.perf_counter()
    try:
        for text, ref, want in data:
            try:
                right += finder(text, ref) == want
            except ImportError:
                raise
            except Exception:  # a finder crashing on real text counts as a miss
                continue
    except ImportError:
        print(f"  {name:<26} not installed")
        return
    elapsed = time.perf_counter() - started
    print(
        f"  {name:<26} first day right {right:>4}/{len(data)} ({right / len(data):.1%})"
        f"   {1000 * elapsed / len(data):7.2f} ms/block"
    )


if __name__ == "__main__":
    main()
