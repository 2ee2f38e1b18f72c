"""Service results → plain JSON for the edges that print or serve untyped JSON.

The CLI's ``--json`` output (``search``, ``index-parity``, ``check``) and the web's
``/readyz`` body are built here, so the services return values, not response shapes.
The JSON API's typed bodies are ``web/shapes.py``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: `yescount check` need not load the search stack
    from yescount.domain.indexing import ParityReport
    from yescount.services.readiness import ReadinessReport
    from yescount.services.search import SearchHit, SearchResult

# Id lists in a parity report are cut to this many (the counts stay whole).
PARITY_IDS_SHOWN = 50


def search_json(result: SearchResult) -> dict[str, Any]:
    """A search result with every hit's event, score, similarity and reasons."""
    return {
        "query": result.query,
        "corrected_query": result.corrected_query,
        "degraded": result.degraded,
        "degraded_reason": result.degraded_reason,
        "count": len(result.hits),
        "hits": [_hit_json(h) for h in result.hits],
    }


def _hit_json(hit: SearchHit) -> dict[str, Any]:
    event = hit.event
    return {
        "event_id": event.id,
        "title": event.title,
        "source": event.source,
        "url": event.url,
        "schedule": event.schedule_label(),
        "date_start": event.date_start.isoformat() if event.date_start else None,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "location": event.location,
        "price": event.price_label(),
        "vibe_tags": list(event.vibe_tags),
        "score": hit.score,
        "similarity": round(hit.similarity, 4) if hit.similarity is not None else None,
        "why": list(hit.why),
    }


def parity_json(report: ParityReport) -> dict[str, Any]:
    """A parity report; id lists are truncated to the first ``PARITY_IDS_SHOWN``."""
    return {
        "backend": report.backend,
        "ok": report.ok,
        "expected_model": report.expected_model,
        "stored_model": report.stored_model,
        "rows": report.rows,
        "indexed": report.indexed,
        "missing": list(report.missing[:PARITY_IDS_SHOWN]),
        "missing_count": len(report.missing),
        "extra": list(report.extra[:PARITY_IDS_SHOWN]),
        "extra_count": len(report.extra),
        "stale": list(report.stale[:PARITY_IDS_SHOWN]),
        "stale_count": len(report.stale),
        "overlap_at_20": report.overlap,
        "min_overlap": report.min_overlap,
        "problems": list(report.problems),
    }


def readiness_json(report: ReadinessReport) -> dict[str, Any]:
    """Readiness as ``yescount check --json`` prints it and ``/readyz`` starts from."""
    return {
        "ready": report.ready,
        "status": report.status,
        "checks": [asdict(c) for c in report.checks],
    }
