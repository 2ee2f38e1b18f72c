"""The corpus scorer on small hand-made label/prediction pairs."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from yescount.ingest.evaluation import (
    Prediction,
    normalize_title,
    score_page,
    similarity,
    total,
)

PAGE_DATE = "2026-09-30"


def gold(*events: dict[str, Any], borderline: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "page_date": PAGE_DATE,
        "events": list(events),
        "borderline": [{"title": t, "reason": "arguable"} for t in borderline],
    }


def label(
    title: str, start: str | None = None, end: str | None = None, kind: str = "single"
) -> dict[str, Any]:
    return {"title": title, "date_start": start, "date_end": end, "date_label": kind}


def test_titles_are_normalized_before_comparing() -> None:
    assert normalize_title("12. Café  “Olé” Night!") == "cafe ole night"
    # NFKD -> ASCII comes first: a dash between words vanishes (the rule as written).
    assert normalize_title("Olé—Night") == "olenight"
    assert normalize_title("#3 Foo") == "foo"
    assert normalize_title("No. 4) Bar") == "bar"
    assert similarity("Taste of Sunnyside", "1. TASTE OF SUNNYSIDE") == 1.0


def test_a_label_inside_a_not_much_longer_prediction_counts_as_a_match() -> None:
    assert similarity("CultureCon", "CultureCon 2026 Brooklyn") == 1.0
    # More than 2.5 times the label's length: only the ratio counts.
    long = "This new Times Square arts exhibition explores Live Sex Acts history"
    assert similarity("Live Sex Acts", long) < 0.8
    # Containment works one way only: a prediction inside a longer label is a ratio.
    assert similarity("NYC Yarn Crawl 2026 edition", "Yarn Crawl") < 0.8


def test_precision_recall_f1_and_date_accuracy() -> None:
    data = gold(
        label("Taste of Sunnyside", "2026-10-04"),
        label("CultureCon", "2026-10-03", "2026-10-04", "range"),
        label("NYC Yarn Crawl", "2026-10-01", "2026-10-04", "range"),
        label("Pierre Soulages: Paintings on Paper", kind="unclear"),
    )
    predicted = [
        Prediction("Taste of Sunnyside", date(2026, 10, 4), "single"),
        Prediction("Culturecon", date(2026, 10, 2), "range"),  # matched, wrong first day
        Prediction("Pierre Soulages Paintings on Paper", None, "ongoing"),
        Prediction("Celebrate Oktoberfest across NYC", None, "unclear"),  # not an event
    ]
    score = score_page("p", data, predicted)
    assert (score.labelled, score.extracted, score.matched, score.dates_right) == (4, 4, 3, 2)
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.75)
    assert score.f1 == pytest.approx(0.75)
    assert score.date_accuracy == pytest.approx(2 / 3)
    assert score.missed == ["NYC Yarn Crawl"]
    assert score.extra == ["Celebrate Oktoberfest across NYC"]
    assert score.wrong_dates == ["CultureCon: 2026-10-02 (range), label 2026-10-03"]


@pytest.mark.parametrize(
    ("start", "status", "right"),
    [
        (None, "unclear", True),
        (None, "range", True),
        (date(2026, 10, 3), "multiple", True),
        (date(2026, 10, 3), "ongoing", True),
        (date(2026, 10, 3), "unclear", True),
        (date(2026, 10, 3), "single", False),
        (date(2026, 10, 3), "range", False),
    ],
)
def test_a_label_without_a_start_accepts_no_date_or_a_multi_day_status(
    start: date | None, status: str, right: bool
) -> None:
    data = gold(label("Xanadu Day Disco", kind="multiple"))
    score = score_page("p", data, [Prediction("Xanadu Day Disco", start, status)])
    assert score.dates_right == int(right)


def test_events_that_ended_before_the_page_date_count_neither_way() -> None:
    data = gold(
        label("Summer Games", "2026-08-08", "2026-08-28", "multiple"),
        label("Heart of August", "2026-08-20"),
        label("Live Now", "2026-09-19", kind="range"),  # open-ended: still counts
    )
    found = score_page("p", data, [Prediction("Summer Games", date(2026, 8, 8), "multiple")])
    assert (found.labelled, found.extracted, found.neutral, found.matched) == (1, 1, 1, 0)
    assert found.missed == ["Live Now"]
    assert found.extra == []
    assert found.precision == 0.0  # nothing counted was extracted


def test_borderline_predictions_count_neither_way() -> None:
    data = gold(label("Grand Bazaar NYC", kind="multiple"), borderline=("Second City comedy club",))
    predicted = [
        Prediction("Grand Bazaar NYC", None, "multiple"),
        Prediction("Second City Comedy Club", None, "ongoing"),
    ]
    score = score_page("p", data, predicted)
    assert (score.extracted, score.neutral, score.matched) == (2, 1, 1)
    assert score.precision == 1.0
    assert score.extra == []


def test_matching_is_one_to_one_and_same_titles_pair_by_date() -> None:
    data = gold(
        label("Street Health Outreach", "2026-10-01"),
        label("Street Health Outreach", "2026-10-02"),
    )
    predicted = [
        Prediction("Street Health Outreach", date(2026, 10, 2), "single"),
        Prediction("Street Health Outreach", date(2026, 10, 1), "single"),
        Prediction("Street Health Outreach", date(2026, 10, 1), "single"),
    ]
    score = score_page("p", data, predicted)
    assert (score.matched, score.dates_right, score.extracted) == (2, 2, 3)
    assert score.extra == ["Street Health Outreach"]


def test_totals_are_summed_over_pages() -> None:
    first = score_page(
        "a", gold(label("One", "2026-10-01")), [Prediction("One", date(2026, 10, 1))]
    )
    second = score_page("b", gold(label("Two", "2026-10-02")), [])
    overall = total([first, second])
    assert (overall.labelled, overall.extracted, overall.matched) == (2, 1, 1)
    assert overall.recall == 0.5
    assert overall.missed == ["b: Two"]
    assert overall.as_dict()["f1"] == pytest.approx(2 * 1.0 * 0.5 / 1.5, abs=1e-4)


def test_an_empty_page_with_no_labels_is_perfect() -> None:
    score = score_page("p", gold(), [])
    assert (score.precision, score.recall, score.date_accuracy) == (1.0, 1.0, 1.0)
