"""The gate of issue 9: extraction quality on the real, hand-labelled corpus.

``tests/fixtures/real`` holds real saved pages of NYC listing sites with labels
written blind (see its README). The scores use the corpus's scoring rules
(``yescount.ingest.evaluation``); the reconstructed fixtures of
``tests/fixtures/pages`` are scored apart (``tests/integration/test_ingest_quality.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from yescount.ingest.corpus import evaluate_corpus, labelled_pages
from yescount.ingest.evaluation import total
from yescount.ingest.registry import adapter_for
from yescount.ingest.tags import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
MIN_F1, MIN_DATE_ACCURACY = 0.90, 0.90


def test_the_corpus_has_real_pages_from_several_sites() -> None:
    pages = labelled_pages(REAL)
    assert len(pages) >= 10
    assert len({p.source for p in pages}) >= 4


def test_extraction_on_the_real_corpus(
    record_property: Callable[[str, object], None], capsys: pytest.CaptureFixture[str]
) -> None:
    scores = evaluate_corpus(
        REAL,
        adapter_for=adapter_for,
        vocabulary=load_vocabulary(ROOT / "config" / "vibe_tags.yaml"),
        today=date(2026, 10, 1),
    )
    overall = total(scores)
    record_property("f1", round(overall.f1, 4))
    record_property("date_accuracy", round(overall.date_accuracy, 4))
    with capsys.disabled():
        for score in [*scores, overall]:
            print(
                f"\n[real corpus] {score.name}: labelled={score.labelled} "
                f"extracted={score.extracted} matched={score.matched} "
                f"P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f} "
                f"dates={score.date_accuracy:.3f}",
                end="",
            )
        print()
    detail = "\n".join(overall.missed + overall.extra + overall.wrong_dates)
    assert overall.f1 >= MIN_F1, detail
    assert overall.date_accuracy >= MIN_DATE_ACCURACY, detail
