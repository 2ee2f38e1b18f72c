"""In-memory event and ingestion-run repositories."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime

from tests.factories.events import stored as as_event
from tests.fakes.planning import Tables
from yescount.domain.dedup import DedupView, listing_view
from yescount.domain.events import Event, EventRecord
from yescount.domain.ingestion import Counts, RunStatus, RunSummary, SourceOutcome
from yescount.ports import UpsertOutcome


class FakeEventRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def add(self, event: Event) -> Event:
        """Test helper: store an event as it is (its id is kept)."""
        self.t.events[event.id] = event
        self.t.next_id = max(self.t.next_id, event.id + 1)
        return event

    def get(self, event_id: int) -> Event | None:
        return self.t.events.get(event_id)

    def get_many(self, event_ids: Iterable[int]) -> dict[int, Event]:
        return {i: self.t.events[i] for i in set(event_ids) if i in self.t.events}

    def upsert(self, record: EventRecord, *, now: datetime) -> tuple[int, UpsertOutcome]:
        for event in self.t.events.values():
            if (event.source, event.source_id) == (record.source, record.source_id):
                fresh = as_event(record, event.id)
                if fresh == event:
                    return event.id, "unchanged"
                self.t.events[event.id] = fresh
                return event.id, "updated"
        new_id = self.t.new_id()
        self.t.events[new_id] = as_event(record, new_id)
        return new_id, "new"

    def upsert_keeping_links(
        self, record: EventRecord, *, now: datetime
    ) -> tuple[int, UpsertOutcome]:
        return self.upsert(record, now=now)

    def dedup_views(self, *, since: date) -> list[DedupView]:
        return [
            listing_view(e, e.id)
            for e in self._canonical()
            if not e.is_demo and ((last := e.last_day()) is None or last >= since)
        ]

    def duplicate_of(self, event_id: int) -> int | None:
        return self.t.duplicate_of.get(event_id)

    def merge_duplicate(self, duplicate_id: int, canonical_id: int) -> None:
        for event_id, target in list(self.t.duplicate_of.items()):
            if target == duplicate_id:
                self.t.duplicate_of[event_id] = canonical_id
        self.t.duplicate_of[duplicate_id] = canonical_id

    def delete_demo(self) -> int:
        demo = [i for i, e in self.t.events.items() if e.is_demo]
        for event_id in demo:
            del self.t.events[event_id]
        return len(demo)

    def count(self, *, demo: bool | None = None) -> int:
        return sum(1 for e in self.t.events.values() if demo is None or e.is_demo == demo)

    def _canonical(self, include_duplicates: bool = False) -> list[Event]:
        return sorted(
            (
                e
                for e in self.t.events.values()
                if include_duplicates or e.id not in self.t.duplicate_of
            ),
            key=lambda e: e.id,
        )

    def list_overlapping(
        self,
        start: date,
        end: date,
        *,
        sources: Sequence[str] | None = None,
        include_duplicates: bool = False,
        limit: int | None = None,
    ) -> list[Event]:
        found = [
            e
            for e in self._canonical(include_duplicates)
            if (sources is None or e.source in sources)
            and (e.date_start is None or e.date_start <= end)
            and ((last := e.last_day()) is None or last >= start)
        ]
        return found[:limit]

    def list_upcoming(
        self,
        today: date,
        *,
        sources: Sequence[str] | None = None,
        include_duplicates: bool = False,
        limit: int | None = None,
    ) -> list[Event]:
        found = [
            e
            for e in self._canonical(include_duplicates)
            if (sources is None or e.source in sources)
            and ((last := e.last_day()) is None or last >= today)
        ]
        found.sort(key=lambda e: (e.date_start is None, e.date_start or date.min, e.id))
        return found[:limit]


class FakeIngestionRunRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def start(self, *, now: datetime, strict: bool, trigger: str) -> int:
        run_id = self.t.new_id()
        self.t.runs[run_id] = RunSummary(
            run_id, "running", strict, trigger, now, None, Counts(), None, []
        )
        return run_id

    def abandon_running(self, *, now: datetime, reason: str) -> list[int]:
        ids = sorted(i for i, r in self.t.runs.items() if r.status == "running")
        for run_id in ids:
            run = self.t.runs[run_id]
            run.status, run.finished_at, run.error_text = "failed", now, reason
        return ids

    def record_check(self, run_id: int, outcome: SourceOutcome) -> None:
        self.t.runs[run_id].sources.append(copy.deepcopy(outcome))

    def finish(
        self,
        run_id: int,
        *,
        now: datetime,
        status: RunStatus,
        counts: Counts,
        error_text: str | None,
    ) -> None:
        run = self.t.runs[run_id]
        self.t.runs[run_id] = replace(
            run, status=status, finished_at=now, counts=copy.deepcopy(counts), error_text=error_text
        )

    def last_success_at(self) -> datetime | None:
        done = [
            r.finished_at
            for r in self.t.runs.values()
            if r.status in ("success", "degraded") and r.finished_at is not None
        ]
        return max(done, default=None)

    def is_running(self) -> bool:
        return any(r.status == "running" for r in self.t.runs.values())

    def get(self, run_id: int) -> RunSummary | None:
        run = self.t.runs.get(run_id)
        return copy.deepcopy(run) if run else None

    def latest(self) -> RunSummary | None:
        return self.get(max(self.t.runs)) if self.t.runs else None
