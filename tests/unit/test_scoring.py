"""Recommendations: hand-computed scores, hard rules and the tie-break order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

import pytest

from tests.factories.events import event
from yescount.domain.availability import Person
from yescount.domain.events import DateStatus, Event
from yescount.domain.scoring import ScoredPair, admin_score, recommend_pairs, tag_share
from yescount.domain.sessions import SessionRules

START, END = date(2026, 12, 1), date(2026, 12, 7)
A, B, C, D = 1, 2, 3, 4
PEOPLE = [Person(A, "Ana"), Person(B, "Ben"), Person(C, "Cy"), Person(D, "Dee")]


ev = partial(event, date_start=date(2026, 12, 3), price_min=Decimal("20"), vibe_tags=("music",))


JAZZ = ev(1, vibe_tags=("music", "nightlife"))
FOOD = ev(
    2,
    date_status=DateStatus.RANGE,
    date_start=date(2026, 12, 2),
    date_end=date(2026, 12, 4),
    price_min=None,
    vibe_tags=("food",),
)
VOTES = [(A, 1), (B, 1), (C, 1), (A, 2)]
FREE = [(A, date(2026, 12, 3)), (B, date(2026, 12, 3))] + [
    (p, date(2026, 12, 2)) for p in (A, B, C, D)
]


def rank(
    rules: SessionRules | None = None,
    events: list[Event] | None = None,
    votes: list[tuple[int, int]] | None = None,
    free: list[tuple[int, date]] | None = None,
    top_n: int | None = 5,
) -> list[ScoredPair]:
    return recommend_pairs(
        start=START,
        end=END,
        rules=rules or SessionRules(vibe_tags=("music", "food")),
        people=PEOPLE,
        events=events if events is not None else [JAZZ, FOOD],
        yes_votes=votes if votes is not None else VOTES,
        available=free if free is not None else FREE,
        top_n=top_n,
    )


def test_hand_computed_scores_and_overlap_tie_break() -> None:
    food, jazz = rank()
    # Food on Dec 2: 0.4·1/4 + 0.4·4/4 + 0.2·1/2 = 0.6
    assert (food.event.id, food.day) == (2, date(2026, 12, 2))
    assert (food.interest, food.overlap, food.admin) == (0.25, 1.0, 0.5)
    assert food.score == pytest.approx(0.6)
    assert food.attendees == ("Ana",)
    assert (food.yes_count, food.available_count) == (1, 4)
    # Dec 3 also has exactly one attendee (Ana); Dec 4 has none.
    assert food.other_days == (date(2026, 12, 3),)
    # Jazz on Dec 3: 0.4·3/4 + 0.4·2/4 + 0.2·1/2 = 0.6 — same score, lower overlap → second.
    assert (jazz.event.id, jazz.day) == (1, date(2026, 12, 3))
    assert (jazz.interest, jazz.overlap, jazz.admin) == (0.75, 0.5, 0.5)
    assert jazz.score == pytest.approx(0.6)
    assert jazz.attendees == ("Ana", "Ben")
    assert not jazz.check_dates
    assert jazz.other_days == ()


def test_min_attendees_scales_admin_down() -> None:
    jazz, food = rank(SessionRules(vibe_tags=("music", "food"), min_attendees=3))
    # Jazz: 2 of 3 wanted attendees → admin 1/2·2/3; score 0.3 + 0.2 + 0.2/3
    assert jazz.event.id == 1
    assert jazz.admin == pytest.approx(1 / 3)
    assert jazz.score == pytest.approx(0.5 + 0.2 / 3)
    # Food: 1 of 3 → admin 1/2·1/3; score 0.1 + 0.4 + 0.2/6
    assert food.admin == pytest.approx(1 / 6)
    assert food.score == pytest.approx(0.5 + 0.2 / 6)


def test_admin_is_one_without_preferred_tags() -> None:
    food, jazz = rank(SessionRules())
    assert food.admin == jazz.admin == 1.0
    assert tag_share(JAZZ, ()) == 1
    assert tag_share(JAZZ, ("music", "food", "artsy", "comedy")) == pytest.approx(0.25)
    assert admin_score(JAZZ, SessionRules(min_attendees=4), 4) == 1
    assert admin_score(JAZZ, SessionRules(min_attendees=4), 0) == 0


def test_budget_cap_applies_to_the_lowest_price() -> None:
    ranged = ev(3, price_min=Decimal("10"), price_max=Decimal("80"))
    votes = [*VOTES, (A, 3)]
    ids = [
        p.event.id
        for p in rank(SessionRules(budget_cap=Decimal("15")), [JAZZ, FOOD, ranged], votes)
    ]
    assert ids == [2, 3]  # jazz ($20) is over budget, unknown price stays, $10–80 stays
    at_cap = rank(SessionRules(budget_cap=Decimal("20")), votes=VOTES)
    assert {p.event.id for p in at_cap} == {1, 2}
    assert {p.event.id for p in rank(SessionRules(budget_cap=Decimal("0")))} == {2}


def test_blackout_days_and_window_are_respected() -> None:
    food, *_ = [
        p for p in rank(SessionRules(blackout_dates=(date(2026, 12, 2),))) if p.event.id == 2
    ]
    assert food.day == date(2026, 12, 3)
    assert date(2026, 12, 2) not in food.other_days
    only_blackout = rank(SessionRules(blackout_dates=(date(2026, 12, 3),)), events=[JAZZ])
    assert only_blackout == []
    early = ev(
        5, date_status=DateStatus.RANGE, date_start=date(2026, 11, 20), date_end=date(2026, 12, 1)
    )
    (pick,) = rank(events=[early], votes=[(A, 5)], free=[(A, date(2026, 11, 30))])
    assert pick.day == START
    outside = ev(6, date_start=date(2026, 12, 20))
    assert rank(events=[outside], votes=[(A, 6)]) == []


def test_unclear_dates_may_happen_any_day_and_are_flagged() -> None:
    vague = ev(7, date_status=DateStatus.UNCLEAR, date_start=None)
    (pick,) = rank(events=[vague], votes=[(B, 7)])
    assert pick.check_dates
    # Ben is free on Dec 2 and Dec 3; Dec 2 wins on overlap (everyone is free).
    assert (pick.day, pick.overlap, pick.other_days) == (
        date(2026, 12, 2),
        1.0,
        (date(2026, 12, 3),),
    )


def test_only_events_with_a_yes_vote_are_candidates() -> None:
    assert rank(votes=[]) == []
    assert rank(votes=[(99, 1)]) == []  # a vote from someone outside the plan
    assert (
        recommend_pairs(
            start=START,
            end=END,
            rules=SessionRules(),
            people=[],
            events=[JAZZ],
            yes_votes=[(A, 1)],
            available=[],
            top_n=5,
        )
        == []
    )


def test_ties_fall_back_to_price_then_date_then_id() -> None:
    base = {"vibe_tags": ()}
    events = [
        ev(14, price_min=None, **base),
        ev(12, price_min=Decimal("5"), **base),
        ev(11, price_min=Decimal("15"), **base),
        ev(13, price_min=Decimal("5"), **base),
        ev(10, price_min=Decimal("5"), date_start=date(2026, 12, 4), **base),
    ]
    votes = [(A, e.id) for e in events]
    free = [(A, date(2026, 12, 3)), (A, date(2026, 12, 4))]
    ranked = rank(SessionRules(), events, votes, free)
    assert [p.event.id for p in ranked] == [12, 13, 10, 11, 14]
    assert len({p.score for p in ranked}) == 1


def test_one_entry_per_event_and_top_n() -> None:
    many = [ev(20 + i, date_start=date(2026, 12, 1 + i)) for i in range(7)]
    votes = [(A, e.id) for e in many]
    assert len(rank(events=many, votes=votes, top_n=5)) == 5
    every = rank(events=many, votes=votes, top_n=None)
    assert len(every) == 7
    assert len({p.event.id for p in every}) == 7
    assert all(0.0 <= p.score <= 1.0 for p in every)


def test_perfect_pair_scores_exactly_one() -> None:
    votes = [(p, 1) for p in (A, B, C, D)]
    free = [(p, date(2026, 12, 3)) for p in (A, B, C, D)]
    (pick,) = rank(SessionRules(vibe_tags=("music",), min_attendees=4), [JAZZ], votes, free)
    assert pick.score == 1.0
