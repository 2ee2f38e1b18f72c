"""yescount.shapes: the CLI's --json parity body keeps whole counts but cuts long id lists."""

from __future__ import annotations

from yescount.domain.indexing import ParityReport
from yescount.shapes import PARITY_IDS_SHOWN, parity_json


def test_parity_json_cuts_id_lists_and_keeps_counts() -> None:
    missing = tuple(range(1, 121))
    report = ParityReport("chroma", "m/a", "m/a", rows=120, indexed=0, missing=missing)

    body = parity_json(report)

    assert body["ok"] is False
    assert body["missing"] == list(range(1, PARITY_IDS_SHOWN + 1))
    assert body["missing_count"] == 120
    assert body["extra"] == []
    assert body["extra_count"] == 0
    assert body["overlap_at_20"] is None


def test_parity_json_reports_a_foreign_model_and_the_overlap_floor() -> None:
    report = ParityReport("pgvector", "m/new", "m/old", rows=3, indexed=3, overlap=0.95)

    body = parity_json(report)

    assert body["ok"] is False  # vectors from another model
    assert (body["expected_model"], body["stored_model"]) == ("m/new", "m/old")
    assert (body["overlap_at_20"], body["min_overlap"]) == (0.95, 0.9)
