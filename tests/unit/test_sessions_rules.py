"""Plan rules: window cap, budget, vibe tags, attendees, blackout, status, expiry, tokens."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from tests.factories.planning import new_session
from yescount.domain.sessions import (
    NewSession,
    OverBudget,
    PlanPolicy,
    PlanSession,
    SessionRules,
    SessionStatus,
    add_months,
    can_transition,
    card_price_cap,
    hash_token,
    new_plan_session,
    new_token,
    token_matches,
    validate_new_session,
    validate_rules,
    validate_window,
    validate_window_bounds,
)
from yescount.errors import ConflictError, GoneError, ValidationError

POLICY = PlanPolicy()
NOW = datetime(2026, 11, 25, 15, tzinfo=UTC)
START = date(2026, 12, 1)
TODAY = date(2026, 11, 25)


def _plan(**overrides: object) -> PlanSession:
    valid = validate_new_session(new_session(), POLICY, today=TODAY)
    plan = new_plan_session(
        valid, organizer_token_hash="0" * 64, now=NOW, policy=POLICY, session_id=uuid4()
    )
    return replace(plan, **overrides)  # type: ignore[arg-type]


def test_window_of_31_days_is_accepted_32_refused() -> None:
    validate_window(START, START + timedelta(days=30), POLICY)
    validate_window(START, START, POLICY)
    with pytest.raises(ValidationError, match=r"at most 31 days \(you picked 32\)"):
        validate_window(START, START + timedelta(days=31), POLICY)
    with pytest.raises(ValidationError, match="on or after"):
        validate_window(START, START - timedelta(days=1), POLICY)
    with pytest.raises(ValidationError):
        validate_window(START, START + timedelta(days=7), PlanPolicy(max_window_days=7))


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        (SessionRules(budget_cap=Decimal("-0.01")), "budget_cap"),
        (SessionRules(budget_cap=Decimal("NaN")), "budget_cap"),
        (SessionRules(budget_cap=Decimal("1e12")), "budget_cap"),
        (SessionRules(vibe_tags=("music", "loud")), "vibe_tags"),
        (SessionRules(min_attendees=0), "min_attendees"),
        (SessionRules(min_attendees=11), "min_attendees"),
        (SessionRules(blackout_dates=(date(2026, 11, 30),)), "blackout_dates"),
        (SessionRules(blackout_dates=(date(2026, 12, 15),)), "blackout_dates"),
    ],
)
def test_broken_rules_are_refused(rules: SessionRules, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        validate_rules(rules, start=START, end=date(2026, 12, 14), policy=POLICY)
    assert err.value.details["field"] == field


def test_rules_are_normalized() -> None:
    rules = SessionRules(
        budget_cap=Decimal("0"),
        vibe_tags=("music", "artsy", "music"),
        min_attendees=10,
        blackout_dates=(date(2026, 12, 9), date(2026, 12, 1), date(2026, 12, 9)),
    )
    valid = validate_rules(rules, start=START, end=date(2026, 12, 14), policy=POLICY)
    assert valid == SessionRules(
        Decimal("0.00"), ("artsy", "music"), 10, (date(2026, 12, 1), date(2026, 12, 9))
    )
    assert (
        validate_rules(
            SessionRules(min_attendees=1), start=START, end=START, policy=POLICY
        ).min_attendees
        == 1
    )


def test_new_session_is_validated_as_a_whole() -> None:
    cmd = NewSession(" Crew  Night ", " zoë ", START, date(2026, 12, 31), Decimal("12.5"))
    valid = validate_new_session(cmd, POLICY, today=TODAY)
    assert (valid.name, valid.organizer_name, valid.budget_cap) == (
        "Crew Night",
        "zoë",
        Decimal("12.50"),
    )
    with pytest.raises(ValidationError):
        validate_new_session(replace(cmd, organizer_name="Zoë :)"), POLICY, today=TODAY)
    with pytest.raises(ValidationError):
        validate_new_session(replace(cmd, name="   "), POLICY, today=TODAY)


def test_new_plan_expires_after_policy_days() -> None:
    plan = _plan()
    assert plan.expires_at == NOW + timedelta(days=7)
    assert plan.status is SessionStatus.OPEN
    assert plan.max_participants == 10
    assert len(plan.window()) == 14
    other = new_plan_session(
        validate_new_session(new_session(), POLICY, today=TODAY),
        organizer_token_hash="x",
        now=NOW,
        policy=PlanPolicy(expiry_days=2, max_participants=4),
        session_id=uuid4(),
    )
    assert (other.expires_at, other.max_participants) == (NOW + timedelta(days=2), 4)


def test_status_transitions() -> None:
    allowed = {
        (SessionStatus.OPEN, SessionStatus.LOCKED),
        (SessionStatus.OPEN, SessionStatus.ARCHIVED),
        (SessionStatus.LOCKED, SessionStatus.ARCHIVED),
    }
    for current in SessionStatus:
        for target in SessionStatus:
            assert can_transition(current, target) is ((current, target) in allowed)


def test_expiry_makes_a_plan_read_only() -> None:
    plan = _plan()
    just_before = plan.expires_at - timedelta(microseconds=1)
    assert not plan.is_expired(just_before)
    assert plan.is_expired(plan.expires_at)
    assert plan.is_read_only(plan.expires_at)
    plan.ensure_open(just_before)
    with pytest.raises(GoneError) as err:
        plan.ensure_open(plan.expires_at)
    assert err.value.code == "session_expired"


def test_locked_and_archived_refuse_writes_with_their_codes() -> None:
    locked = _plan(status=SessionStatus.LOCKED)
    assert not locked.is_read_only(NOW)
    locked.ensure_not_gone(NOW)
    with pytest.raises(ConflictError) as conflict:
        locked.ensure_open(NOW)
    assert conflict.value.code == "session_locked"
    archived = _plan(status=SessionStatus.ARCHIVED)
    assert archived.is_read_only(NOW)
    with pytest.raises(GoneError) as gone:
        archived.ensure_open(NOW)
    assert gone.value.code == "session_archived"


def test_window_helpers() -> None:
    plan = _plan(blackout_dates=(date(2026, 12, 5),))
    assert plan.in_window(START)
    assert not plan.in_window(date(2026, 12, 15))
    assert plan.is_blacked_out(date(2026, 12, 5))
    assert plan.rules.blackout_dates == (date(2026, 12, 5),)


def test_tokens_are_random_and_only_hashes_compare() -> None:
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    token = tokens.pop()
    assert len(token) >= 43
    digest = hash_token(token)
    assert len(digest) == 64
    assert int(digest, 16) >= 0
    assert token_matches(token, digest)
    assert not token_matches(token + "x", digest)
    assert not token_matches(None, digest)
    assert not token_matches("", digest)


def test_window_starts_today_or_later_and_ends_within_the_horizon() -> None:
    validate_window_bounds(TODAY, TODAY, today=TODAY, policy=POLICY)
    horizon = date(2028, 5, 25)  # 18 months after Nov 25, 2026
    validate_window_bounds(horizon, horizon, today=TODAY, policy=POLICY)
    with pytest.raises(ValidationError) as past:
        validate_window_bounds(TODAY - timedelta(days=1), TODAY, today=TODAY, policy=POLICY)
    assert past.value.code == "date_in_past"
    late = horizon + timedelta(days=1)
    with pytest.raises(ValidationError) as beyond:
        validate_window_bounds(late, late, today=TODAY, policy=POLICY)
    assert beyond.value.code == "date_beyond_horizon"
    short = PlanPolicy(horizon_months=1)
    with pytest.raises(ValidationError):
        validate_window_bounds(
            START + timedelta(days=1), date(2026, 12, 26), today=TODAY, policy=short
        )


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(9999, 12, 1), date(9999, 12, 31)), (date(1, 1, 1), date(1, 1, 7))],
)
def test_year_9999_and_year_1_plans_are_refused(start: date, end: date) -> None:
    cmd = new_session(date_start=start, date_end=end)
    with pytest.raises(ValidationError) as info:
        validate_new_session(cmd, POLICY, today=TODAY)
    assert info.value.code in {"date_in_past", "date_beyond_horizon"}


def test_add_months_keeps_the_day_or_takes_the_month_end() -> None:
    assert add_months(date(2026, 8, 31), 18) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 2), 1) == date(2027, 1, 2)


def test_cards_are_capped_at_the_budget_only_when_the_rule_hides() -> None:
    sixty, ten, ninety = Decimal("60"), Decimal("10"), Decimal("90")
    assert card_price_cap(sixty, OverBudget.HIDE, None) == sixty
    assert card_price_cap(sixty, OverBudget.HIDE, ninety) == sixty
    assert card_price_cap(sixty, OverBudget.HIDE, ten) == ten
    assert card_price_cap(sixty, OverBudget.BADGE, None) is None
    assert card_price_cap(sixty, OverBudget.BADGE, ninety) == ninety
    assert card_price_cap(None, OverBudget.HIDE, None) is None
    kept = validate_rules(
        SessionRules(budget_cap=sixty, over_budget=OverBudget.HIDE),
        start=date(2026, 12, 1), end=date(2026, 12, 7), policy=PlanPolicy(),
    )  # fmt: skip
    assert kept.over_budget is OverBudget.HIDE
