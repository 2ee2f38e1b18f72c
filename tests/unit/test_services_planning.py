"""Planning services (sessions, access, voting, results) on the fake unit of work.

The same use cases run against SQLite and PostgreSQL in tests/integration; here
only the rules are exercised, fast and without a database.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.conftest import FrozenClock
from tests.factories.events import event_record
from tests.fakes import FakeStore, FakeUnitOfWork
from tests.fakes.plans import fake_events, fake_plan
from yescount.domain.sessions import OverBudget, PlanPolicy, SessionRules
from yescount.errors import (
    ConflictError,
    ForbiddenError,
    GoneError,
    NotFoundError,
    ValidationError,
)
from yescount.ports import UnitOfWork
from yescount.services import results, sessions, voting

DAY = date(2026, 12, 5)


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


def test_the_fake_is_a_unit_of_work() -> None:
    uow: UnitOfWork = FakeUnitOfWork()
    with pytest.raises(RuntimeError):
        uow.events.count()
    with uow:
        assert uow.events.count() == 0
    with pytest.raises(RuntimeError, match="single-use"), uow:
        pass


def test_create_and_join(store: FakeStore, clock: FrozenClock) -> None:
    plan = fake_plan(store, clock, friends=("Jake",))
    preview = sessions.get_preview(plan.session_id, uow=store.uow(write=False), clock=clock)
    assert preview.participant_names == ("Ema", "Jake")
    assert preview.participant_count == 2
    assert preview.organizer_name == "Ema"
    again = sessions.join_session(
        plan.session_id, "Whoever", token=plan.tokens["Jake"], uow=store.uow(), clock=clock
    )
    assert again.rejoined
    assert again.participant_id == plan.ids["Jake"]
    with pytest.raises(ConflictError) as err:
        sessions.join_session(plan.session_id, "jake", uow=store.uow(), clock=clock)
    assert err.value.code == "name_taken"


def test_a_full_plan_refuses_a_seat_and_keeps_the_count(
    store: FakeStore, clock: FrozenClock
) -> None:
    plan = fake_plan(store, clock, friends=("Jake",), policy=PlanPolicy(max_participants=2))
    with pytest.raises(ForbiddenError) as err:
        sessions.join_session(plan.session_id, "Ana", uow=store.uow(), clock=clock)
    assert err.value.code == "session_full"
    assert store.tables.sessions[plan.session_id].participant_count == 2


def test_unknown_plan_and_bad_tokens(store: FakeStore, clock: FrozenClock) -> None:
    plan = fake_plan(store, clock)
    with pytest.raises(NotFoundError) as missing:
        sessions.get_preview(plan.session_id.__class__(int=1), uow=store.uow(), clock=clock)
    assert missing.value.code == "session_not_found"
    with pytest.raises(ForbiddenError) as bad:
        sessions.identify(plan.session_id, "nope", uow=store.uow())
    assert bad.value.code == "invalid_token"
    with pytest.raises(ForbiddenError) as not_org:
        sessions.check_organizer(plan.session_id, plan.tokens["Ema"], uow=store.uow())
    assert not_org.value.code == "not_organizer"
    viewer = sessions.identify(plan.session_id, plan.tokens["Ema"], uow=store.uow())
    assert viewer.is_organizer
    assert viewer.display_name == "Ema"


def test_votes_upsert_and_a_vanished_event_is_not_found(
    store: FakeStore, clock: FrozenClock
) -> None:
    plan = fake_plan(store, clock, friends=("Jake",))
    first, second = fake_events(store, event_record(), event_record())
    token = plan.tokens["Jake"]
    for wanted in (True, False, True):
        voting.cast_vote(plan.session_id, token, first, wanted, uow=store.uow(), clock=clock)
    voting.cast_vote(plan.session_id, token, second, False, uow=store.uow(), clock=clock)
    assert voting.my_votes(plan.session_id, token, uow=store.uow()) == frozenset({first})
    with pytest.raises(NotFoundError) as err:
        voting.cast_vote(plan.session_id, token, 999, True, uow=store.uow(), clock=clock)
    assert err.value.code == "event_not_found"


def test_a_conflict_inside_the_vote_becomes_not_found_and_nothing_is_saved(
    store: FakeStore, clock: FrozenClock
) -> None:
    """The event exists when checked but the write conflicts (deleted in between)."""
    plan = fake_plan(store, clock)
    (event_id,) = fake_events(store)

    class Vanishing(FakeUnitOfWork):
        def savepoint(self) -> AbstractContextManager[None]:  # type: ignore[override]
            del self._require().events[event_id]
            return super().savepoint()

    before = store.commits
    with pytest.raises(NotFoundError):
        voting.cast_vote(
            plan.session_id, plan.tokens["Ema"], event_id, True, uow=Vanishing(store), clock=clock
        )
    assert store.commits == before
    assert event_id in store.tables.events


def test_availability_is_replaced_and_checked_against_the_window(
    store: FakeStore, clock: FrozenClock
) -> None:
    plan = fake_plan(store, clock)
    token = plan.tokens["Ema"]
    days = [DAY, DAY + timedelta(days=1), DAY]
    saved = voting.save_availability(plan.session_id, token, days, uow=store.uow(), clock=clock)
    assert saved == (DAY, DAY + timedelta(days=1))
    voting.save_availability(plan.session_id, token, [DAY], uow=store.uow(), clock=clock)
    assert voting.my_availability(plan.session_id, token, uow=store.uow()) == (DAY,)
    with pytest.raises(ValidationError):
        voting.save_availability(
            plan.session_id, token, [date(2027, 6, 1)], uow=store.uow(), clock=clock
        )
    assert voting.my_availability(plan.session_id, token, uow=store.uow()) == (DAY,)


def test_results_rank_the_voted_evening_and_lock_pins_it(
    store: FakeStore, clock: FrozenClock
) -> None:
    plan = fake_plan(store, clock, friends=("Jake",))
    (event_id,) = fake_events(store, event_record(date_start=DAY))
    for name in ("Ema", "Jake"):
        token = plan.tokens[name]
        voting.cast_vote(plan.session_id, token, event_id, True, uow=store.uow(), clock=clock)
        voting.save_availability(plan.session_id, token, [DAY], uow=store.uow(), clock=clock)
    shown = results.progress(plan.session_id, uow=store.uow())
    assert (shown.joined, shown.voted, shown.gave_availability) == (2, 2, 2)
    group = results.group_availability(plan.session_id, uow=store.uow())
    assert any(day.day == DAY and day.count == 2 for day in group.days)
    picks = results.recommend(plan.session_id, uow=store.uow(), policy=PlanPolicy())
    assert picks[0].event.id == event_id
    assert picks[0].day == DAY
    assert picks[0].rank == 1
    text = results.invite_text(plan.session_id, 1, uow=store.uow(), base_url="https://y.test")
    assert "https://y.test" in text
    ics = results.invite_calendar(plan.session_id, 1, uow=store.uow(), base_url="https://y.test")
    assert ics.startswith(b"BEGIN:VCALENDAR")
    with pytest.raises(NotFoundError):
        results.invite_text(plan.session_id, 9, uow=store.uow(), base_url="https://y.test")

    locked = sessions.lock_session(
        plan.session_id, plan.organizer_token, uow=store.uow(), clock=clock
    )
    assert locked.locked_pick is not None
    assert locked.locked_pick.event_id == event_id
    with pytest.raises(ConflictError):
        sessions.lock_session(plan.session_id, plan.organizer_token, uow=store.uow(), clock=clock)


def test_rules_archive_and_expiry(store: FakeStore, clock: FrozenClock) -> None:
    plan = fake_plan(store, clock)
    rules = SessionRules(budget_cap=None, vibe_tags=(), min_attendees=2, blackout_dates=(DAY,))
    saved = sessions.update_rules(
        plan.session_id, plan.organizer_token, rules, uow=store.uow(), clock=clock
    )
    assert saved.min_attendees == 2
    assert saved.blackout_dates == (DAY,)
    sessions.archive_session(plan.session_id, plan.organizer_token, uow=store.uow(), clock=clock)
    with pytest.raises(GoneError):
        sessions.archive_session(
            plan.session_id, plan.organizer_token, uow=store.uow(), clock=clock
        )
    other = fake_plan(store, clock)
    clock.now += timedelta(days=400)
    assert sessions.archive_expired(uow=store.uow(), clock=clock) == 1
    preview = sessions.get_preview(other.session_id, uow=store.uow(), clock=clock)
    assert preview.read_only


def test_results_say_why_a_yes_voted_event_is_not_a_pick(
    store: FakeStore, clock: FrozenClock
) -> None:
    plan = fake_plan(store, clock, friends=("Jake",), budget_cap=Decimal("60"))
    dear, cheap, elsewhere = fake_events(
        store,
        event_record(
            date_start=DAY, title="Omakase", price_min=Decimal("110"), price_max=Decimal("140")
        ),
        event_record(date_start=DAY, title="Jazz", source_id="jazz", price_min=Decimal("20")),
        event_record(date_start=DAY + timedelta(days=1), title="Late show", source_id="late"),
    )
    for name in ("Ema", "Jake"):
        token = plan.tokens[name]
        for event_id in (dear, cheap, elsewhere):
            voting.cast_vote(plan.session_id, token, event_id, True, uow=store.uow(), clock=clock)
        voting.save_availability(plan.session_id, token, [DAY], uow=store.uow(), clock=clock)
    picks = results.recommend(plan.session_id, uow=store.uow(), policy=PlanPolicy())
    assert {p.event.title for p in picks} == {"Jazz"}
    found = results.standing(plan.session_id, picks, uow=store.uow())
    reasons = {o.title: o.reason for o in found.left_out}
    assert reasons == {
        "Omakase": "over the $60 budget ($110–$140)",
        "Late show": "nobody who said yes is free on its evenings yet",
    }


def test_the_over_budget_rule_is_stored_shown_and_kept_by_rule_edits(
    store: FakeStore, clock: FrozenClock
) -> None:
    plan = fake_plan(store, clock, budget_cap=Decimal("60"), over_budget=OverBudget.HIDE)
    preview = sessions.get_preview(plan.session_id, uow=store.uow(write=False), clock=clock)
    assert preview.over_budget is OverBudget.HIDE
    badge = SessionRules(budget_cap=Decimal("60"), over_budget=OverBudget.BADGE)
    sessions.update_rules(
        plan.session_id, plan.organizer_token, badge, uow=store.uow(), clock=clock
    )
    preview = sessions.get_preview(plan.session_id, uow=store.uow(write=False), clock=clock)
    assert preview.over_budget is OverBudget.BADGE
    other = fake_plan(store, clock)  # the default rule needs nothing
    default = sessions.get_preview(other.session_id, uow=store.uow(), clock=clock)
    assert default.over_budget is OverBudget.BADGE
