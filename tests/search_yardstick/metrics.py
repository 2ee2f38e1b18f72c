"""nDCG@k of ranked search results against the grades of the whole catalogue.

Gain (2^grade - 1) / log2(rank + 1), rank from 1; the ideal ranking is every judged
event sorted by grade. A query no event fits (ideal DCG 0) has no nDCG: it is
reported in ``Evaluation.unjudged`` and left out of the mean. An event ranked twice
counts once: later copies gain nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from tests.search_yardstick.fields import EventFields, EventLike, as_fields
from tests.search_yardstick.rules import Query

DEFAULT_K = 10


def dcg_at_k(grades: Sequence[int], k: int = DEFAULT_K) -> float:
    _check_k(k)
    for grade in grades:
        if grade < 0:
            raise ValueError(f"a grade is >= 0, got {grade}")
    return math.fsum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades[:k]))


def ndcg_at_k(
    ranked_grades: Sequence[int], ideal_grades: Iterable[int], k: int = DEFAULT_K
) -> float | None:
    """nDCG@k of ``ranked_grades`` (in rank order); ``ideal_grades`` in any order.

    None when nothing is relevant (every ideal grade is 0).
    """
    ideal = dcg_at_k(sorted(ideal_grades, reverse=True), k)
    if ideal == 0:
        dcg_at_k(ranked_grades, k)  # still reject bad grades
        return None
    return dcg_at_k(ranked_grades, k) / ideal


@dataclass(frozen=True)
class Evaluation:
    per_query: Mapping[str, float | None]
    k: int

    @property
    def judged(self) -> Mapping[str, float]:
        return {qid: score for qid, score in self.per_query.items() if score is not None}

    @property
    def unjudged(self) -> tuple[str, ...]:
        """Queries no catalogue event fits: no nDCG, not in the mean."""
        return tuple(qid for qid, score in self.per_query.items() if score is None)

    @property
    def mean(self) -> float:
        scores = list(self.judged.values())
        if not scores:
            raise ValueError("no query has a relevant event in this catalogue")
        return sum(scores) / len(scores)

    def worst(self, n: int = 10) -> list[tuple[str, float]]:
        return sorted(self.judged.items(), key=lambda item: (item[1], item[0]))[:n]


def ranked_grades(
    query: Query, ranked: Sequence[EventLike | EventFields], *, today: date | None = None
) -> list[int]:
    grades: list[int] = []
    seen: set[object] = set()
    for event in ranked:
        fields = as_fields(event)
        repeat = fields.key is not None and fields.key in seen
        seen.add(fields.key)
        grades.append(0 if repeat else query.grade(fields, today=today))
    return grades


def catalogue_grades(
    query: Query, catalogue: Sequence[EventLike | EventFields], *, today: date | None = None
) -> list[int]:
    return [query.grade(event, today=today) for event in catalogue]


def evaluate(
    queries: Sequence[Query],
    ranked: Mapping[str, Sequence[EventLike | EventFields]],
    catalogue: Sequence[EventLike | EventFields],
    *,
    today: date | None = None,
    k: int = DEFAULT_K,
) -> Evaluation:
    """nDCG@k per query id of ``ranked[query.id]`` (best first) over ``catalogue``.

    ``today`` is the day the catalogue was dated from (day rules count from it).
    Ranked events outside the catalogue are judged too and join the ideal ranking,
    so a score never exceeds 1.
    """
    _check_k(k)
    missing = [query.id for query in queries if query.id not in ranked]
    if missing:
        raise KeyError(f"no ranked results for: {', '.join(missing)}")
    pool = [as_fields(event) for event in catalogue]
    keys = {fields.key for fields in pool if fields.key is not None}
    per_query: dict[str, float | None] = {}
    for query in queries:
        results = [as_fields(event) for event in ranked[query.id]]
        extra = [f for f in results if f.key is None or f.key not in keys]
        ideal = catalogue_grades(query, [*pool, *_unique(extra)], today=today)
        per_query[query.id] = ndcg_at_k(ranked_grades(query, results, today=today), ideal, k)
    return Evaluation(per_query=per_query, k=k)


def evaluate_search(
    queries: Sequence[Query],
    search: Callable[[str], Sequence[EventLike | EventFields]],
    catalogue: Sequence[EventLike | EventFields],
    *,
    today: date | None = None,
    k: int = DEFAULT_K,
) -> Evaluation:
    """Run ``search(query.text)`` for each query (best first) and evaluate the results."""
    ranked = {query.id: list(search(query.text)) for query in queries}
    return evaluate(queries, ranked, catalogue, today=today, k=k)


def _unique(events: Iterable[EventFields]) -> list[EventFields]:
    seen: set[object] = set()
    unique: list[EventFields] = []
    for fields in events:
        if fields.key is None or fields.key not in seen:
            unique.append(fields)
            seen.add(fields.key)
    return unique


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
