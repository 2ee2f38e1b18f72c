"""Results on SQLite and PostgreSQL: progress, heat-map, recommendations, invite, .ics."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import Engine

from tests.conftest import FrozenClock
from tests.factories.events import event_record
from tests.factories.planning import Plan, add_events, make_plan
from yescount.domain.events import DateStatus
from yescount.domain.sessions import PlanPolicy
from yescount.errors import NotFoundError
from yescount.services import results, voting
from yescount.storage.uow import UnitOfWork

BASE_URL = "https://yescount.example"


def _uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine, write=False)


def _vote(engine: Engine, clock: FrozenClock, plan: Plan, name: str, *event_ids: int) -> None:
    for event_id in event_ids:
        voting.cast_vote(
            plan.session_id, plan.tokens[name], event_id, True, uow=UnitOfWork(engine), clock=clock
        )


def _free(engine: Engine, clock: FrozenClock, plan: Plan, name: str, *days: int) -> None:
    voting.save_availability(
        plan.session_id,
        plan.tokens[name],
        [date(2026, 12, d) for d in days],
        uow=UnitOfWork(engine),
        clock=clock,
    )


@pytest.fixture
def scene(engine: Engine, clock: FrozenClock) -> tuple[Plan, list[int]]:
    """Ema, Jake, Mia and Zoë; a $20 jazz night on Dec 4, a free food fair Dec 3–5, a $90 show."""
    plan = make_plan(
        engine,
        clock,
        friends=("Jake", "Mia", "Zoë"),
        vibe_tags=("music", "food"),
        budget_cap=Decimal("50"),
        blackout_dates=(date(2026, 12, 5),),
    )
    ids = add_events(
        engine,
        event_record(
            title="Jazz Night, Live",
            date_start=date(2026, 12, 4),
            price_min=Decimal("20"),
            vibe_tags=("music",),
            location="Blue Note; Greenwich Village",
            url="https://example.org/jazz",
        ),
        event_record(
            title="Food Fair",
            date_status=DateStatus.RANGE,
            date_start=date(2026, 12, 3),
            date_end=date(2026, 12, 5),
            price_min=Decimal("0"),
            price_max=None,
            vibe_tags=("food",),
        ),
        event_record(
            title="Pricey Show",
            date_start=date(2026, 12, 4),
            price_min=Decimal("90"),
            price_max=None,
        ),
    )
    jazz, fair, pricey = ids
    _vote(engine, clock, plan, "Ema", jazz, fair, pricey)
    _vote(engine, clock, plan, "Jake", jazz)
    _vote(engine, clock, plan, "Mia", jazz, pricey)
    _free(engine, clock, plan, "Ema", 3, 4)
    _free(engine, clock, plan, "Jake", 4)
    _free(engine, clock, plan, "Zoë", 3, 4)
    return plan, ids


def test_progress(engine: Engine, scene: tuple[Plan, list[int]]) -> None:
    plan, _ = scene
    result = results.progress(plan.session_id, uow=_uow(engine))
    assert (result.joined, result.voted, result.gave_availability) == (4, 3, 3)
    # Ema and Jake voted and gave availability; a majority of 4 is 3.
    assert (result.quorum_size, result.quorum_reached) == (3, False)


def test_group_availability(engine: Engine, scene: tuple[Plan, list[int]]) -> None:
    plan, _ = scene
    group = results.group_availability(plan.session_id, uow=_uow(engine))
    assert group.total == 4
    assert len(group.days) == 14
    by_day = {d.day: d for d in group.days}
    assert by_day[date(2026, 12, 4)].available == ("Ema", "Jake", "Zoë")
    assert by_day[date(2026, 12, 4)].overlap == 0.75
    assert by_day[date(2026, 12, 3)].available == ("Ema", "Zoë")
    assert by_day[date(2026, 12, 5)].blocked


def test_recommend(engine: Engine, scene: tuple[Plan, list[int]]) -> None:
    plan, (jazz, fair, _pricey) = scene
    picks = results.recommend(plan.session_id, uow=_uow(engine), policy=PlanPolicy(top_n=5))
    assert [(p.rank, p.event.id, p.day) for p in picks] == [
        (1, jazz, date(2026, 12, 4)),
        (2, fair, date(2026, 12, 4)),
    ]
    top = picks[0]
    # interest 3/4, overlap 3/4, admin 1/2 (music of music+food) → 0.3 + 0.3 + 0.1
    assert top.score == pytest.approx(0.7)
    assert top.attendees == ("Ema", "Jake")
    assert (top.yes_count, top.available_count) == (3, 3)
    assert (top.slot_start, top.slot_end) == (time(19), time(22))
    # Fair: interest 1/4, overlap 3/4, admin 1/2; Dec 3 has the same single attendee (Ema).
    assert picks[1].score == pytest.approx(0.5)
    assert picks[1].other_days == (date(2026, 12, 3),)
    assert results.recommend(plan.session_id, uow=_uow(engine), policy=PlanPolicy(top_n=1)) == [top]


def test_invite_text_and_calendar(engine: Engine, scene: tuple[Plan, list[int]]) -> None:
    plan, _ = scene
    text = results.invite_text(plan.session_id, 1, uow=_uow(engine), base_url=BASE_URL)
    assert text.splitlines() == [
        "🎉 YesCount pick: Jazz Night, Live",
        "📅 Fri, Dec 4 · 7–10 pm   📍 Blue Note; Greenwich Village   💰 $20–$40",
        "👥 Ema and Jake are in!",
        "🔗 https://example.org/jazz",
        f"Plan & RSVP: {BASE_URL}/?session={plan.session_id}",
    ]
    data = results.invite_calendar(
        plan.session_id, 1, uow=_uow(engine), base_url=BASE_URL, clock=FrozenClock()
    )
    (only,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    vevent: Any = only  # icalendar types each value as a union of every kind
    ny = ZoneInfo("America/New_York")
    assert str(vevent["SUMMARY"]) == "Jazz Night, Live"
    assert str(vevent["LOCATION"]) == "Blue Note; Greenwich Village"
    assert vevent["DTSTART"].dt.replace(tzinfo=ny) == vevent["DTSTART"].dt
    assert vevent["DTSTART"].dt.hour == 19
    assert vevent["DTEND"].dt.hour == 22
    assert str(vevent["URL"]) == "https://example.org/jazz"
    assert f"?session={plan.session_id}" in str(vevent["DESCRIPTION"])
    assert "Ema and Jake are in!" in str(vevent["DESCRIPTION"])


def test_unknown_rank_is_not_found(engine: Engine, scene: tuple[Plan, list[int]]) -> None:
    plan, _ = scene
    for rank in (0, 3):
        with pytest.raises(NotFoundError) as err:
            results.invite_text(plan.session_id, rank, uow=_uow(engine), base_url=BASE_URL)
        assert err.value.code == "pick_not_found"
    with pytest.raises(NotFoundError):
        results.invite_calendar(plan.session_id, 9, uow=_uow(engine), base_url=BASE_URL)


def test_empty_plan_has_no_picks(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock)
    assert results.recommend(plan.session_id, uow=_uow(engine)) == []
    progress = results.progress(plan.session_id, uow=_uow(engine))
    assert (progress.joined, progress.quorum_size, progress.quorum_reached) == (1, 1, False)
