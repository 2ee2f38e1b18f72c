"""Recommendations: rank (event, evening) pairs for a plan (SPEC §6).

Candidates are events with at least one yes vote in the plan, paired with the
days they can happen on inside the window (``Event.possible_dates``; a weekly
schedule keeps only its weekdays; events with multiple, unclear or ongoing dates
may happen on any day between their known bounds and are flagged ``check_dates``).
Hard rules drop pairs before scoring: the budget cap applies
to the *lowest* price (``price_min > cap`` is out, an unknown price stays),
blackout days are out, and only days of the window are considered.

    score    = 0.4·interest + 0.4·overlap + 0.2·admin
    interest = yes votes for the event / participants
    overlap  = participants available that day / participants
    admin    = share of the plan's preferred vibe tags the event has (1 when none
               are set), multiplied by attendees / min_attendees when fewer than
               min_attendees would come
    attendees = participants who voted yes AND are available that day

Ties are broken by higher overlap, then lower price (unknown last), then the
earlier day, then the lower event id, so the output is fully determined by the
inputs and independent of the order they are given in. The arithmetic is
exact (``fractions.Fraction``) so that equal scores really compare equal and
the tie-break rules, not float rounding, decide; floats are produced at the end.

Output choice: the list holds at most ONE entry per event — its best day —
because five variations of the same outing on different evenings are not five
choices. Days of that event with the same number of attendees as the best
day are listed in ``other_days`` so the group still sees its alternatives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from yescount.domain.availability import Person
from yescount.domain.events import Event
from yescount.domain.sessions import SessionRules

W_INTEREST = Fraction(2, 5)
W_OVERLAP = Fraction(2, 5)
W_ADMIN = Fraction(1, 5)


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """One recommended (event, evening) with its score breakdown."""

    event: Event
    day: date
    score: float
    interest: float
    overlap: float
    admin: float
    attendees: tuple[str, ...]
    yes_count: int
    available_count: int
    check_dates: bool
    other_days: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class _Candidate:
    event: Event
    day: date
    score: Fraction
    interest: Fraction
    overlap: Fraction
    admin: Fraction
    attendee_ids: frozenset[int]
    yes_count: int
    available_count: int


def within_budget(event: Event, cap: Decimal | None) -> bool:
    """Budget hard rule on the lowest price; an unknown price is kept."""
    return cap is None or event.price_min is None or event.price_min <= cap


def tag_share(event: Event, preferred: Sequence[str]) -> Fraction:
    """Share of the preferred vibe tags the event carries (1 when none are preferred)."""
    wanted = set(preferred)
    if not wanted:
        return Fraction(1)
    return Fraction(len(wanted & set(event.vibe_tags)), len(wanted))


def admin_score(event: Event, rules: SessionRules, attendees: int) -> Fraction:
    """Organizer fit: tag share, scaled down when fewer than ``min_attendees`` would come."""
    share = tag_share(event, rules.vibe_tags)
    minimum = rules.min_attendees
    if minimum and attendees < minimum:
        return share * Fraction(attendees, minimum)
    return share


def _price_key(event: Event) -> tuple[int, Decimal]:
    return (1, Decimal(0)) if event.price_min is None else (0, event.price_min)


def _rank_key(c: _Candidate) -> tuple[Fraction, Fraction, tuple[int, Decimal], date, int]:
    return (-c.score, -c.overlap, _price_key(c.event), c.day, c.event.id)


def recommend_pairs(
    *,
    start: date,
    end: date,
    rules: SessionRules,
    people: Sequence[Person],
    events: Iterable[Event],
    yes_votes: Iterable[tuple[int, int]],
    available: Iterable[tuple[int, date]],
    top_n: int | None = 5,
) -> list[ScoredPair]:
    """Best (event, day) pairs, one per event, best first; ``top_n=None`` returns all."""
    members = {p.id: p.name for p in people}
    total = len(members)
    if total == 0:
        return []
    voters: dict[int, set[int]] = {}
    for person_id, event_id in yes_votes:
        if person_id in members:
            voters.setdefault(event_id, set()).add(person_id)
    free: dict[date, set[int]] = {}
    for person_id, day in available:
        if person_id in members:
            free.setdefault(day, set()).add(person_id)
    blackout = set(rules.blackout_dates)
    best: list[tuple[_Candidate, tuple[date, ...]]] = []
    for event in {e.id: e for e in events}.values():
        yes = voters.get(event.id)
        if not yes or not within_budget(event, rules.budget_cap):
            continue
        candidates = [
            _score(event, day, yes, free.get(day, set()), total, rules)
            for day in event.possible_dates(start, end)
            if day not in blackout
        ]
        if candidates:
            best.append(_best_of(candidates))
    best.sort(key=lambda pair: _rank_key(pair[0]))
    chosen = best if top_n is None else best[:top_n]
    return [_to_pair(c, others, members) for c, others in chosen]


def _score(
    event: Event,
    day: date,
    yes: set[int],
    free: set[int],
    total: int,
    rules: SessionRules,
) -> _Candidate:
    attendees = frozenset(yes & free)
    interest = Fraction(len(yes), total)
    share = Fraction(len(free), total)
    admin = admin_score(event, rules, len(attendees))
    return _Candidate(
        event=event,
        day=day,
        score=W_INTEREST * interest + W_OVERLAP * share + W_ADMIN * admin,
        interest=interest,
        overlap=share,
        admin=admin,
        attendee_ids=attendees,
        yes_count=len(yes),
        available_count=len(free),
    )


def _best_of(candidates: list[_Candidate]) -> tuple[_Candidate, tuple[date, ...]]:
    top = min(candidates, key=_rank_key)
    others = tuple(
        sorted(
            c.day
            for c in candidates
            if c.day != top.day and len(c.attendee_ids) == len(top.attendee_ids)
        )
    )
    return top, others


def _to_pair(c: _Candidate, others: tuple[date, ...], members: dict[int, str]) -> ScoredPair:
    return ScoredPair(
        event=c.event,
        day=c.day,
        score=min(1.0, max(0.0, float(c.score))),
        interest=float(c.interest),
        overlap=float(c.overlap),
        admin=float(c.admin),
        attendees=tuple(members[i] for i in sorted(c.attendee_ids)),
        yes_count=c.yes_count,
        available_count=c.available_count,
        check_dates=not c.event.has_fixed_dates,
        other_days=others,
    )
