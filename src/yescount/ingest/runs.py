"""Counts of a source's pages; the run value types and status rules live in domain.ingestion."""

from __future__ import annotations

from collections import Counter

from yescount.domain.ingestion import Counts
from yescount.ingest.models import PageResult


def page_counts(results: list[PageResult]) -> Counts:
    """Pages, candidates, accepted and rejected (by reason) over one source's pages."""
    counts = Counts(pages=len(results))
    reasons: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    for result in results:
        counts.extracted += result.extracted
        counts.accepted += len(result.accepted)
        counts.rejected += len(result.rejected)
        reasons.update(rejection.reason for rejection in result.rejected)
        dropped.update(result.dropped)
    counts.reject_reasons = dict(sorted(reasons.items()))
    counts.dropped = dict(sorted(dropped.items()))
    return counts
