"""Extraction quality over every hand-labelled saved page (precision, recall, date accuracy).

Each ``tests/fixtures/pages/<source>/<name>.expected.json`` lists the events a
careful person would take from ``<name>.html`` (or ``.json``): title, date
status, start and end. Extracted events are matched to labels by title
similarity; a match counts towards date accuracy when status, start and end
are all equal. The page's own date is the reference unless the label sets
``as_of`` (pages that state no date).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from yescount.domain.events import EventRecord
from yescount.ingest.html import decode
from yescount.ingest.models import Page
from yescount.ingest.pages import read_url
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.registry import adapter_for
from yescount.ingest.tags import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "pages"
TODAY = date(2026, 11, 25)
MIN_PRECISION, MIN_RECALL, MIN_DATE_ACCURACY = 0.95, 0.90, 0.95
MATCH_THRESHOLD = 85


@dataclass
class Score:
    extracted: int = 0
    labelled: int = 0
    matched: int = 0
    dates_right: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"precision={self.matched / max(self.extracted, 1):.3f} "
            f"recall={self.matched / max(self.labelled, 1):.3f} "
            f"date_accuracy={self.dates_right / max(self.matched, 1):.3f} "
            f"(extracted={self.extracted} labelled={self.labelled} matched={self.matched})"
        )


def labelled_pages() -> list[tuple[Path, Path]]:
    pairs = []
    for label in sorted(PAGES.glob("*/*.expected.json")):
        stem = label.name.removesuffix(".expected.json")
        page = next(
            p for p in (label.with_name(stem + s) for s in (".html", ".json")) if p.exists()
        )
        pairs.append((page, label))
    return pairs


def extract(page_file: Path, as_of: date | None) -> tuple[EventRecord, ...]:
    source = page_file.parent.name
    body = page_file.read_bytes()
    is_json = page_file.suffix == ".json"
    text = body.decode("utf-8") if is_json else decode(body)
    page = Page(
        source,
        read_url(page_file, fallback="https://example.invalid/"),
        text,
        content_type="application/json" if is_json else "text/html",
    )
    ctx = ExtractContext(
        load_vocabulary(ROOT / "config" / "vibe_tags.yaml"),
        today=TODAY,
        as_of=as_of,
        past_from_page_date=True,
    )
    return process_page(adapter_for(source), page, ctx).accepted


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def score_page(page_file: Path, label_file: Path, score: Score) -> None:
    label = json.loads(label_file.read_text(encoding="utf-8"))
    expected = list(label["events"])
    found = list(extract(page_file, _day(label.get("as_of"))))
    score.extracted += len(found)
    score.labelled += len(expected)
    name = f"{page_file.parent.name}/{page_file.name}"
    for record in found:
        # Ties (one title on several dates) go to the label with the same first day.
        ranked = sorted(
            expected,
            key=lambda e: (
                fuzz.ratio(e["title"].casefold(), record.title.casefold()),
                _day(e["date_start"]) == record.date_start,
            ),
        )
        best = ranked[-1] if ranked else None
        if (
            best is None
            or fuzz.ratio(best["title"].casefold(), record.title.casefold()) < MATCH_THRESHOLD
        ):
            score.problems.append(f"{name}: extra event {record.title!r}")
            continue
        expected.remove(best)
        score.matched += 1
        got = (record.date_status.value, record.date_start, record.date_end)
        want = (best["date_status"], _day(best["date_start"]), _day(best["date_end"]))
        if got == want:
            score.dates_right += 1
        else:
            score.problems.append(f"{name}: {record.title!r} dates {got} != {want}")
    score.problems += [f"{name}: missed {e['title']!r}" for e in expected]


def test_every_source_has_labelled_pages() -> None:
    sources = {page.parent.name for page, _ in labelled_pages()}
    assert sources == {
        "secretnyc",
        "timeout_newyork",
        "hiddennyc",
        "untappedcities",
        "fever_newyork",
        "anisah_immersive",
        "nyc_open_data",
    }


def test_quality_over_the_labelled_set(
    record_property: Callable[[str, object], None], capsys: pytest.CaptureFixture[str]
) -> None:
    score = Score()
    for page_file, label_file in labelled_pages():
        score_page(page_file, label_file, score)
    precision = score.matched / max(score.extracted, 1)
    recall = score.matched / max(score.labelled, 1)
    accuracy = score.dates_right / max(score.matched, 1)
    record_property("precision", round(precision, 4))
    record_property("recall", round(recall, 4))
    record_property("date_accuracy", round(accuracy, 4))
    with capsys.disabled():
        print(f"\n[ingest quality] {score.line()}")
        for problem in score.problems:
            print(f"[ingest quality]   {problem}")
    detail = "\n".join(score.problems)
    assert precision >= MIN_PRECISION, detail
    assert recall >= MIN_RECALL, detail
    assert accuracy >= MIN_DATE_ACCURACY, detail
