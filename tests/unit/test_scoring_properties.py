"""Property tests for recommendations: bounds, order independence, monotonicity, hard rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from random import Random
from typing import TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from yescount.domain.availability import Person
from yescount.domain.events import VIBE_TAGS, DateStatus, Event
from yescount.domain.scoring import ScoredPair, recommend_pairs
from yescount.domain.sessions import SessionRules

T = TypeVar("T")
START = date(2026, 12, 1)
END = date(2026, 12, 10)
DAYS = [START + timedelta(days=i) for i in range(14)]  # a few days beyond the window too


@dataclass(frozen=True)
class Scenario:
    rules: SessionRules
    people: list[Person]
    events: list[Event]
    votes: list[tuple[int, int]]
    free: list[tuple[int, date]]


@st.composite
def events(draw: st.DrawFn, event_id: int) -> Event:
    status = draw(st.sampled_from(list(DateStatus)))
    first = draw(st.one_of(st.none(), st.sampled_from(DAYS)))
    if status in (DateStatus.SINGLE, DateStatus.RANGE) and first is None:
        first = DAYS[0]
    last = None
    if first is not None and status is not DateStatus.SINGLE:
        last = draw(st.one_of(st.none(), st.sampled_from([d for d in DAYS if d >= first])))
    low = draw(st.one_of(st.none(), st.integers(0, 60).map(Decimal)))
    return Event(
        id=event_id,
        source="secretnyc",
        source_id=str(event_id),
        title=f"E{event_id}",
        url="https://example.org",
        date_status=status,
        date_start=first,
        date_end=last,
        price_min=low,
        vibe_tags=tuple(draw(st.sets(st.sampled_from(VIBE_TAGS), max_size=3))),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n_people = draw(st.integers(1, 6))
    people = [Person(i + 1, f"P{i + 1}") for i in range(n_people)]
    ids = draw(st.lists(st.integers(1, 40), min_size=1, max_size=6, unique=True))
    evs = [draw(events(i)) for i in ids]
    window = [d for d in DAYS if d <= END]
    rules = SessionRules(
        budget_cap=draw(st.one_of(st.none(), st.integers(0, 60).map(Decimal))),
        vibe_tags=tuple(draw(st.sets(st.sampled_from(VIBE_TAGS), max_size=3))),
        min_attendees=draw(st.one_of(st.none(), st.integers(1, 10))),
        blackout_dates=tuple(sorted(draw(st.sets(st.sampled_from(window), max_size=4)))),
    )
    pairs = [(p.id, e) for p in people for e in ids]
    votes = draw(st.lists(st.sampled_from(pairs), max_size=20, unique=True)) if pairs else []
    slots = [(p.id, d) for p in people for d in window]
    free = draw(st.lists(st.sampled_from(slots), max_size=30, unique=True))
    return Scenario(rules, people, evs, votes, free)


def run(s: Scenario, *, top_n: int | None = None) -> list[ScoredPair]:
    return recommend_pairs(
        start=START,
        end=END,
        rules=s.rules,
        people=s.people,
        events=s.events,
        yes_votes=s.votes,
        available=s.free,
        top_n=top_n,
    )


@settings(deadline=None)
@given(scenarios())
def test_scores_are_bounded_and_hard_rules_hold(s: Scenario) -> None:
    result = run(s)
    assert len({p.event.id for p in result}) == len(result)
    voted = {e for _, e in s.votes}
    for pick in result:
        for value in (pick.score, pick.interest, pick.overlap, pick.admin):
            assert 0.0 <= value <= 1.0
        assert START <= pick.day <= END
        assert pick.day not in s.rules.blackout_dates
        assert pick.day in set(pick.event.possible_dates(START, END))
        cap = s.rules.budget_cap
        assert cap is None or pick.event.price_min is None or pick.event.price_min <= cap
        assert pick.event.id in voted
        assert set(pick.other_days).isdisjoint({pick.day, *s.rules.blackout_dates})
    assert result[:3] == run(s, top_n=3)


@settings(deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_result_ignores_input_order_and_is_deterministic(s: Scenario, rnd: Random) -> None:
    shuffled = Scenario(
        s.rules,
        _shuffled(s.people, rnd),
        _shuffled(s.events, rnd),
        _shuffled(s.votes, rnd),
        _shuffled(s.free, rnd),
    )
    assert run(s) == run(shuffled) == run(s)


@settings(deadline=None)
@given(scenarios(), st.data())
def test_another_yes_vote_never_lowers_the_events_best_score(
    s: Scenario, data: st.DataObject
) -> None:
    missing = [(p.id, e.id) for p in s.people for e in s.events if (p.id, e.id) not in s.votes]
    if not missing:
        return
    person, event_id = data.draw(st.sampled_from(missing))
    before = {p.event.id: p.score for p in run(s)}
    after = {
        p.event.id: p.score
        for p in run(Scenario(s.rules, s.people, s.events, [*s.votes, (person, event_id)], s.free))
    }
    if event_id in before:
        assert after[event_id] >= before[event_id]


def _shuffled(items: list[T], rnd: Random) -> list[T]:
    copy = list(items)
    rnd.shuffle(copy)
    return copy
