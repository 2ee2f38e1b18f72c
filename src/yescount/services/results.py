"""Results of a plan: progress, group availability, recommendations, invite and calendar."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import time
from uuid import UUID

from yescount.domain import availability as avail
from yescount.domain import calendar, invite
from yescount.domain.availability import GroupAvailability, Person
from yescount.domain.progress import Progress, compute_progress
from yescount.domain.scoring import ScoredPair, recommend_pairs, within_budget
from yescount.domain.sessions import DEFAULT_POLICY, PlanPolicy, PlanSession
from yescount.domain.urls import http_url
from yescount.errors import NotFoundError
from yescount.observability import log_operation
from yescount.ports import Clock, UnitOfWork, system_clock
from yescount.services.access import load_session

__all__ = [
    "GroupAvailability",
    "LeftOut",
    "Progress",
    "Recommendation",
    "Standing",
    "group_availability",
    "invite_calendar",
    "invite_text",
    "progress",
    "recommend",
    "standing",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation(ScoredPair):
    """A ranked (event, evening) pick: the scored pair plus its rank and evening slot."""

    rank: int
    slot_start: time
    slot_end: time


def progress(session_id: UUID, *, uow: UnitOfWork) -> Progress:
    """Joined / voted / gave availability / quorum, for the organizer."""
    with log_operation("progress", session_id=str(session_id)), uow:
        plan = load_session(uow, session_id)
        people = uow.participants.list_for_session(session_id)
        yes = uow.votes.yes_votes(session_id)
        slots = uow.availability.for_session(session_id)
    return compute_progress(
        (p.id for p in people),
        voters=(pid for pid, _ in yes),
        available=(pid for pid, _ in slots),
        min_attendees=plan.min_attendees,
    )


def group_availability(session_id: UUID, *, uow: UnitOfWork) -> GroupAvailability:
    """Who is free on each day of the window (heat-map data)."""
    with log_operation("group_availability", session_id=str(session_id)), uow:
        plan = load_session(uow, session_id)
        people = uow.participants.list_for_session(session_id)
        slots = uow.availability.for_session(session_id)
    return avail.group_availability(
        start=plan.date_start,
        end=plan.date_end,
        blackout=plan.blackout_dates,
        people=[Person(p.id, p.display_name) for p in people],
        available=slots,
    )


def scored_pairs(uow: UnitOfWork, plan: PlanSession, *, top_n: int | None) -> list[ScoredPair]:
    """Score the plan inside an open unit of work (four queries, independent of size)."""
    people = uow.participants.list_for_session(plan.id)
    yes = uow.votes.yes_votes(plan.id)
    slots = uow.availability.for_session(plan.id)
    found = uow.events.get_many({event_id for _, event_id in yes})
    return recommend_pairs(
        start=plan.date_start,
        end=plan.date_end,
        rules=plan.rules,
        people=[Person(p.id, p.display_name) for p in people],
        events=found.values(),
        yes_votes=yes,
        available=slots,
        top_n=top_n,
    )


def _ranked(pairs: list[ScoredPair], policy: PlanPolicy) -> list[Recommendation]:
    """Rank the pairs somebody can attend (a pick nobody can go to is no pick)."""
    attended = [p for p in pairs if p.attendees]
    return [
        Recommendation(
            rank=rank,
            slot_start=policy.slot_start,
            slot_end=policy.slot_end,
            **{f.name: getattr(p, f.name) for f in fields(ScoredPair)},
        )
        for rank, p in enumerate(attended, start=1)
    ]


def recommend(
    session_id: UUID, *, uow: UnitOfWork, policy: PlanPolicy = DEFAULT_POLICY
) -> list[Recommendation]:
    """The top ``policy.top_n`` (event, evening) picks, best first."""
    with log_operation("recommend", session_id=str(session_id)) as log, uow:
        plan = load_session(uow, session_id)
        ranked = _ranked(scored_pairs(uow, plan, top_n=policy.top_n), policy)
        log["count"] = len(ranked)
    return ranked


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A yes-voted event that is not among the picks, and why (plain words)."""

    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class Standing:
    """What results can say before (or besides) the picks."""

    leading: list[tuple[str, int]]  # (title, yes votes), most voted first, no dates
    left_out: list[LeftOut]


def standing(
    session_id: UUID, picks: list[Recommendation], *, uow: UnitOfWork, limit: int = 5
) -> Standing:
    """Leading events by votes, and why each yes-voted event is not a pick."""
    with log_operation("standing", session_id=str(session_id)), uow:
        plan = load_session(uow, session_id)
        yes = uow.votes.yes_votes(session_id)
        found = uow.events.get_many({event_id for _, event_id in yes})
    counts: dict[int, int] = {}
    for _, event_id in yes:
        counts[event_id] = counts.get(event_id, 0) + 1
    ordered = sorted(counts, key=lambda e: (-counts[e], found[e].title if e in found else ""))
    leading = [(found[e].title, counts[e]) for e in ordered[:limit] if e in found]
    picked = {p.event.id for p in picks}
    cap = plan.rules.budget_cap
    left: list[LeftOut] = []
    for event_id in ordered:
        event = found.get(event_id)
        if event is None or event_id in picked:
            continue
        if not within_budget(event, cap):
            reason = f"over the ${cap:,.0f} budget ({event.price_label()})"
        else:
            reason = "nobody who said yes is free on its evenings yet"
        left.append(LeftOut(event.title, reason))
    return Standing(leading, left)


def _pick(session_id: UUID, rank: int, *, uow: UnitOfWork, policy: PlanPolicy) -> Recommendation:
    with uow:
        plan = load_session(uow, session_id)
        ranked = _ranked(scored_pairs(uow, plan, top_n=policy.top_n), policy)
    for item in ranked:
        if item.rank == rank:
            return item
    raise NotFoundError(f"There is no pick number {rank} for this plan.", code="pick_not_found")


def invite_text(
    session_id: UUID,
    rank: int,
    *,
    uow: UnitOfWork,
    policy: PlanPolicy = DEFAULT_POLICY,
    base_url: str,
) -> str:
    """Ready-to-paste invite for the pick at ``rank`` (1-based)."""
    with log_operation("invite_text", session_id=str(session_id), rank=rank):
        pick = _pick(session_id, rank, uow=uow, policy=policy)
    return pick_invite_text(session_id, pick, base_url)


def pick_invite_text(session_id: UUID, pick: Recommendation, base_url: str) -> str:
    """The invite of an already computed recommendation (no database access)."""
    return invite.invite_text(
        event=pick.event,
        day=pick.day,
        slot_start=pick.slot_start,
        slot_end=pick.slot_end,
        attendees=pick.attendees,
        plan_link=invite.share_link(base_url, session_id),
        check_dates=pick.check_dates,
    )


def invite_calendar(
    session_id: UUID,
    rank: int,
    *,
    uow: UnitOfWork,
    policy: PlanPolicy = DEFAULT_POLICY,
    base_url: str,
    clock: Clock = system_clock,
) -> bytes:
    """An RFC 5545 ``.ics`` file for the pick at ``rank`` (1-based)."""
    with log_operation("invite_calendar", session_id=str(session_id), rank=rank):
        pick = _pick(session_id, rank, uow=uow, policy=policy)
    begins, ends = invite.pick_times(pick.event, pick.day, pick.slot_start, pick.slot_end)
    plan_link = invite.share_link(base_url, session_id)
    lines = [invite.names_sentence(pick.attendees)]
    if pick.check_dates:
        lines.append("Check the event page for dates.")
    link = http_url(pick.event.url)
    lines += [f"Event: {link}"] if link else []
    lines.append(f"Plan & RSVP: {plan_link}")
    entry = calendar.CalendarEvent(
        uid=f"{session_id}-{pick.event.id}-{pick.day:%Y%m%d}@yescount",
        title=pick.event.title,
        begins=begins,
        ends=ends,
        url=pick.event.url,
        description="\n".join(lines),
        location=pick.event.location,
    )
    return calendar.render_calendar([entry], now=clock())
