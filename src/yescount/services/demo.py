"""Use cases: load the demo event set (dated relative to today) and remove it again."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from yescount.demo.catalogue import build_records
from yescount.domain import newyork
from yescount.observability import log_operation
from yescount.ports import Clock, UnitOfWork


@dataclass(frozen=True, slots=True)
class DemoLoadResult:
    """How many demo events were written, or why loading was skipped."""

    loaded: int
    skipped_reason: str | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0


def load_demo(*, uow: UnitOfWork, clock: Clock, only_if_empty: bool) -> DemoLoadResult:
    """Upsert every demo event in one transaction (``only_if_empty``: skip if any event exists)."""
    now = clock()
    # Built (and validated) before the transaction opens: a bad catalogue touches nothing.
    records = build_records(newyork.today(now))
    with log_operation("demo.load", only_if_empty=only_if_empty) as log, uow:
        if only_if_empty:
            existing = uow.events.count()
            if existing:
                log["skipped"] = True
                return DemoLoadResult(
                    loaded=0,
                    skipped_reason=f"the events table already has {existing} events "
                    f"({uow.events.count(demo=True)} demo)",
                )
        outcomes = Counter(uow.events.upsert(record, now=now)[1] for record in records)
        uow.commit()
        result = DemoLoadResult(
            loaded=len(records),
            new=outcomes["new"],
            updated=outcomes["updated"],
            unchanged=outcomes["unchanged"],
        )
        log.update(loaded=result.loaded, new=result.new, updated=result.updated)
    return result


def remove_demo(*, uow: UnitOfWork) -> int:
    """Delete every demo event (real events stay); returns how many were removed."""
    with log_operation("demo.remove") as log, uow:
        removed = uow.events.delete_demo()
        uow.commit()
        log["removed"] = removed
    return removed
