"""The blind query judge over the whole demo catalogue (grades only, no search).

Slow (every query grades every demo event), so it lives in the integration tier;
the file's own shape is checked by ``tests/unit/test_blind_queries.py``.
"""

from __future__ import annotations

from datetime import date

from tests.search_yardstick import load_query_set
from yescount.demo.catalogue import build_records


def test_every_query_grades_every_demo_event() -> None:
    # The judge runs over the whole demo catalogue without error (grades only,
    # no search); how many events each query finds is not asserted here.
    today = date(2026, 3, 4)
    records = build_records(today)
    queries = load_query_set().queries
    grades = {q.id: [q.grade(r, today=today) for r in records] for q in queries}
    assert all(set(g) <= {0, 1, 2} for g in grades.values())
    assert len(grades) == len(queries)
