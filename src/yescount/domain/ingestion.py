"""Ingestion run bookkeeping as plain data, and the status rules of SPEC §3 (pure)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

SourceStatus = Literal["success", "degraded", "failed", "skipped"]
RunStatus = Literal["running", "success", "degraded", "failed"]
COUNT_FIELDS = ("pages", "extracted", "accepted", "rejected", "new", "updated", "unchanged")


@dataclass(slots=True)
class Counts:
    """Page and event counts of a source or a whole run."""

    pages: int = 0
    extracted: int = 0
    accepted: int = 0
    rejected: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    reject_reasons: dict[str, int] = field(default_factory=dict)
    # Values dropped from kept events (ingest.bounds reasons) and events the store
    # step could not write (``event_not_stored``): each cost only itself.
    dropped: dict[str, int] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        """Add another set of counts into this one."""
        for name in COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reject_reasons = merge_reasons(self.reject_reasons, other.reject_reasons)
        self.dropped = merge_reasons(self.dropped, other.dropped)

    def as_columns(self) -> dict[str, object]:
        """Column values for ``ingestion_runs`` / ``ingestion_source_checks``."""
        values: dict[str, object] = {name: getattr(self, name) for name in COUNT_FIELDS}
        values["reject_reasons"] = dict(self.reject_reasons)
        values["dropped"] = dict(self.dropped)
        return values


def merge_reasons(first: dict[str, int], second: dict[str, int]) -> dict[str, int]:
    """Two reason → count tables added up, sorted by reason."""
    merged = Counter(first)
    merged.update(second)
    return dict(sorted(merged.items()))


@dataclass(slots=True)
class SourceOutcome:
    """One source's result within a run (one ``ingestion_source_checks`` row)."""

    source: str
    required: bool
    status: SourceStatus
    started_at: datetime
    finished_at: datetime | None = None
    counts: Counts = field(default_factory=Counts)
    error_text: str | None = None


@dataclass(slots=True)
class RunSummary:
    """A stored run with its per-source checks."""

    id: int
    status: RunStatus
    strict: bool
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    counts: Counts
    error_text: str | None
    sources: list[SourceOutcome] = field(default_factory=list)


def source_status(
    *, pages: int, failures: list[str], extracted: int
) -> tuple[SourceStatus, str | None]:
    """``failed`` when no page could be read, ``degraded`` on partial failure or no candidates."""
    if pages == 0:
        reason = "; ".join(failures[:5]) if failures else "no pages to read"
        return "failed", reason
    if failures:
        more = f" (+{len(failures) - 3} more)" if len(failures) > 3 else ""
        return "degraded", f"{len(failures)} page(s) failed: " + "; ".join(failures[:3]) + more
    if extracted == 0:
        return (
            "degraded",
            f"no event candidates found on {pages} page(s); the adapter may be broken",
        )
    return "success", None


def run_status(outcomes: list[SourceOutcome], *, strict: bool) -> RunStatus:
    """SPEC §3: a failed required source fails a strict run and degrades a lenient one.

    A run in which nothing ran, or every source that ran failed, is ``failed``.
    """
    ran = [o for o in outcomes if o.status != "skipped"]
    if not ran or all(o.status == "failed" for o in ran):
        return "failed"
    if strict and any(o.required and o.status == "failed" for o in ran):
        return "failed"
    if any(o.status in ("failed", "degraded") for o in ran):
        return "degraded"
    return "success"


def run_error_text(outcomes: list[SourceOutcome]) -> str | None:
    """One line per failed or degraded source."""
    lines = [
        f"{o.source}: {o.error_text}"
        for o in outcomes
        if o.status in ("failed", "degraded") and o.error_text
    ]
    return "\n".join(lines) if lines else None


def totals(outcomes: list[SourceOutcome]) -> Counts:
    """Counts summed over sources."""
    total = Counts()
    for outcome in outcomes:
        total.add(outcome.counts)
    return total
