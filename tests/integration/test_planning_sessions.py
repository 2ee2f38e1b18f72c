"""Plan use cases on SQLite and PostgreSQL: create, preview, join, lock, archive, rules, expiry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from sqlalchemy import Engine, event, func, select

from tests.conftest import FrozenClock
from tests.factories.events import event_record
from tests.factories.planning import add_events, make_plan, new_session
from yescount.domain.sessions import PlanPolicy, SessionRules, hash_token
from yescount.errors import ConflictError, ForbiddenError, GoneError, NotFoundError, ValidationError
from yescount.services import sessions as svc
from yescount.services import voting
from yescount.storage.tables import participants, sessions
from yescount.storage.uow import UnitOfWork


def _uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)


def test_create_stores_hashed_tokens_and_organizer_as_first_participant(
    engine: Engine, clock: FrozenClock
) -> None:
    cmd = new_session(
        name="  Crew   Night Out ",
        organizer_name=" Dárya  Иванова ",
        budget_cap=Decimal("40"),
        vibe_tags=("music", "artsy", "music"),
        min_attendees=3,
        blackout_dates=(date(2026, 12, 5),),
    )
    created = svc.create_session(cmd, uow=_uow(engine), clock=clock)

    assert created.session_id.version == 4
    assert created.organizer_token != created.participant_token
    with engine.connect() as conn:
        row = conn.execute(select(sessions)).mappings().one()
        person = conn.execute(select(participants)).mappings().one()
    assert row["organizer_token_hash"] == hash_token(created.organizer_token)
    assert created.organizer_token not in str(dict(row))
    assert row["participant_count"] == 1
    assert person["token_hash"] == hash_token(created.participant_token)
    assert person["is_organizer"] is True
    assert person["display_name"] == "Dárya Иванова"

    preview = svc.get_preview(created.session_id, uow=_uow(engine), clock=clock)
    assert preview.name == "Crew Night Out"
    assert preview.organizer_name == "Dárya Иванова"
    assert preview.vibe_tags == ("artsy", "music")
    assert preview.budget_cap == Decimal("40.00")
    assert preview.blackout_dates == (date(2026, 12, 5),)
    assert preview.expires_at == clock.now + timedelta(days=7)
    assert (preview.status, preview.is_expired, preview.read_only) == ("open", False, False)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"date_end": date(2027, 1, 1)}, "invalid_input"),  # 32 days
        ({"date_end": date(2026, 11, 30)}, "invalid_input"),
        ({"organizer_name": "Ema!"}, "invalid_input"),
        ({"budget_cap": Decimal("-1")}, "invalid_input"),
        ({"vibe_tags": ("loud",)}, "invalid_input"),
        ({"min_attendees": 11}, "invalid_input"),
        ({"blackout_dates": (date(2026, 12, 31),)}, "date_outside_window"),
    ],
)
def test_create_rejects_broken_rules_and_stores_nothing(
    engine: Engine, clock: FrozenClock, overrides: dict[str, object], code: str
) -> None:
    with pytest.raises(ValidationError) as err:
        svc.create_session(new_session(**overrides), uow=_uow(engine), clock=clock)
    assert err.value.code == code
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(sessions)).scalar_one() == 0


def test_unknown_session_is_not_found(engine: Engine, clock: FrozenClock) -> None:
    with pytest.raises(NotFoundError) as err:
        svc.get_preview(uuid4(), uow=_uow(engine), clock=clock)
    assert err.value.code == "session_not_found"
    with pytest.raises(NotFoundError):
        svc.join_session(uuid4(), "Mia", uow=_uow(engine), clock=clock)


def test_join_rejoin_and_name_taken(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock)
    joined = svc.join_session(plan.session_id, " Zoë ", uow=_uow(engine), clock=clock)
    assert (joined.display_name, joined.rejoined) == ("Zoë", False)

    again = svc.join_session(
        plan.session_id, "ZOË", token=joined.participant_token, uow=_uow(engine), clock=clock
    )
    assert again == svc.JoinResult(joined.participant_id, joined.participant_token, "Zoë", True)

    for token in (None, "forged-token"):
        with pytest.raises(ConflictError) as err:
            svc.join_session(plan.session_id, "zoë", token=token, uow=_uow(engine), clock=clock)
        assert err.value.code == "name_taken"
        assert "personal link" in err.value.message
    preview = svc.get_preview(plan.session_id, uow=_uow(engine), clock=clock)
    assert preview.participant_names == ("Ema", "Zoë")


def test_own_token_rejoins_whatever_name_is_typed(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock)
    again = svc.join_session(
        plan.session_id, "Emma", token=plan.tokens["Ema"], uow=_uow(engine), clock=clock
    )
    assert (again.display_name, again.rejoined) == ("Ema", True)


def test_non_latin_names_join_and_collide_case_insensitively(
    engine: Engine, clock: FrozenClock
) -> None:
    plan = make_plan(engine, clock, friends=("李", "Дарья", "José"))
    with pytest.raises(ConflictError):
        svc.join_session(plan.session_id, "ДАРЬЯ", uow=_uow(engine), clock=clock)
    with pytest.raises(ConflictError):
        svc.join_session(plan.session_id, "JOSE\u0301", uow=_uow(engine), clock=clock)
    names = svc.get_preview(plan.session_id, uow=_uow(engine), clock=clock).participant_names
    assert names == ("Ema", "李", "Дарья", "José")


def test_cap_refuses_the_eleventh(engine: Engine, clock: FrozenClock) -> None:
    friends = [f"Friend {i}" for i in range(9)]
    plan = make_plan(engine, clock, friends=friends)
    with pytest.raises(ForbiddenError) as err:
        svc.join_session(plan.session_id, "Late", uow=_uow(engine), clock=clock)
    assert err.value.code == "session_full"
    preview = svc.get_preview(plan.session_id, uow=_uow(engine), clock=clock)
    assert (preview.participant_count, preview.is_full) == (10, True)
    with engine.connect() as conn:
        assert conn.execute(select(sessions.c.participant_count)).scalar_one() == 10


def test_smaller_cap_from_policy(engine: Engine, clock: FrozenClock) -> None:
    policy = PlanPolicy(max_participants=2)
    plan = make_plan(engine, clock, friends=("Jake",), policy=policy)
    with pytest.raises(ForbiddenError):
        svc.join_session(plan.session_id, "Mia", uow=_uow(engine), clock=clock)
    assert svc.get_preview(plan.session_id, uow=_uow(engine), clock=clock).max_participants == 2


def test_identify_and_organizer_checks(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock, friends=("Jake",))
    viewer = svc.identify(plan.session_id, plan.tokens["Jake"], uow=_uow(engine))
    assert viewer == svc.Viewer(plan.ids["Jake"], "Jake", False)
    assert svc.identify(plan.session_id, plan.tokens["Ema"], uow=_uow(engine)).is_organizer
    with pytest.raises(ForbiddenError) as err:
        svc.identify(plan.session_id, "nope", uow=_uow(engine))
    assert err.value.code == "invalid_token"

    other = make_plan(engine, clock)
    with pytest.raises(ForbiddenError):  # a token of another plan is not valid here
        svc.identify(plan.session_id, other.tokens["Ema"], uow=_uow(engine))

    svc.check_organizer(plan.session_id, plan.organizer_token, uow=_uow(engine))
    for wrong in (plan.tokens["Ema"], other.organizer_token, ""):
        with pytest.raises(ForbiddenError) as err:
            svc.check_organizer(plan.session_id, wrong, uow=_uow(engine))
        assert err.value.code == "not_organizer"


def test_lock_pins_top_pick_and_blocks_writes(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock, friends=("Jake",))
    (event_id,) = add_events(engine, event_record(date_start=date(2026, 12, 4)))
    voting.cast_vote(
        plan.session_id, plan.tokens["Jake"], event_id, True, uow=_uow(engine), clock=clock
    )

    with pytest.raises(ForbiddenError):
        svc.lock_session(plan.session_id, plan.tokens["Ema"], uow=_uow(engine), clock=clock)
    preview = svc.lock_session(plan.session_id, plan.organizer_token, uow=_uow(engine), clock=clock)

    assert preview.status == "locked"
    pick = preview.locked_pick
    assert pick is not None
    assert (pick.event_id, pick.day) == (event_id, date(2026, 12, 4))
    assert pick.title is not None
    assert pick.title.startswith("Test Event")
    assert preview.read_only is False
    with pytest.raises(ConflictError) as err:
        svc.lock_session(plan.session_id, plan.organizer_token, uow=_uow(engine), clock=clock)
    assert err.value.code == "session_locked"
    with pytest.raises(ConflictError) as err:
        voting.cast_vote(
            plan.session_id, plan.tokens["Jake"], event_id, False, uow=_uow(engine), clock=clock
        )
    assert err.value.code == "session_locked"
    with pytest.raises(ConflictError):
        svc.join_session(plan.session_id, "Mia", uow=_uow(engine), clock=clock)
    with pytest.raises(ConflictError):
        voting.save_availability(
            plan.session_id, plan.tokens["Jake"], [], uow=_uow(engine), clock=clock
        )
    # A personal link still gets its owner back in.
    assert svc.join_session(
        plan.session_id, "Jake", token=plan.tokens["Jake"], uow=_uow(engine), clock=clock
    ).rejoined


def test_lock_with_explicit_pick_is_validated(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock, blackout_dates=(date(2026, 12, 6),))
    (event_id,) = add_events(engine)
    org = plan.organizer_token
    cases = [
        ({"event_id": 999_999}, NotFoundError, "event_not_found"),
        (
            {"event_id": event_id, "on_date": date(2026, 12, 20)},
            ValidationError,
            "date_outside_window",
        ),
        ({"event_id": event_id, "on_date": date(2026, 12, 6)}, ValidationError, "date_blacked_out"),
        ({"on_date": date(2026, 12, 3)}, ValidationError, "invalid_input"),
    ]
    for kwargs, error, code in cases:
        with pytest.raises(error) as err:
            svc.lock_session(plan.session_id, org, uow=_uow(engine), clock=clock, **kwargs)  # type: ignore[arg-type]
        assert err.value.code == code
    preview = svc.lock_session(
        plan.session_id,
        org,
        event_id=event_id,
        on_date=date(2026, 12, 9),
        uow=_uow(engine),
        clock=clock,
    )
    assert preview.locked_pick is not None
    assert (preview.locked_pick.event_id, preview.locked_pick.day) == (event_id, date(2026, 12, 9))


def test_lock_without_votes_has_no_pick(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock)
    preview = svc.lock_session(plan.session_id, plan.organizer_token, uow=_uow(engine), clock=clock)
    assert preview.status == "locked"
    assert preview.locked_pick == svc.LockedPick(None, None, None)


def test_archive_transitions(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock, friends=("Jake",))
    svc.lock_session(plan.session_id, plan.organizer_token, uow=_uow(engine), clock=clock)
    with pytest.raises(ForbiddenError):
        svc.archive_session(plan.session_id, plan.tokens["Ema"], uow=_uow(engine), clock=clock)
    svc.archive_session(plan.session_id, plan.organizer_token, uow=_uow(engine), clock=clock)

    preview = svc.get_preview(plan.session_id, uow=_uow(engine), clock=clock)
    assert (preview.status, preview.read_only) == ("archived", True)
    with pytest.raises(GoneError) as err:
        svc.archive_session(plan.session_id, plan.organizer_token, uow=_uow(engine), clock=clock)
    assert err.value.code == "session_archived"
    with pytest.raises(GoneError) as err:
        svc.lock_session(plan.session_id, plan.organizer_token, uow=_uow(engine), clock=clock)
    assert err.value.code == "session_archived"
    with pytest.raises(GoneError):
        svc.join_session(plan.session_id, "Mia", uow=_uow(engine), clock=clock)


def test_expired_plan_is_read_only_but_viewable(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock, friends=("Jake",))
    (event_id,) = add_events(engine)
    clock.now += timedelta(days=7)

    preview = svc.get_preview(plan.session_id, uow=_uow(engine), clock=clock)
    assert (preview.status, preview.is_expired, preview.read_only) == ("open", True, True)
    writes: list[Callable[[], object]] = [
        lambda: svc.join_session(plan.session_id, "Mia", uow=_uow(engine), clock=clock),
        lambda: voting.cast_vote(
            plan.session_id, plan.tokens["Jake"], event_id, True, uow=_uow(engine), clock=clock
        ),
        lambda: voting.save_availability(
            plan.session_id, plan.tokens["Jake"], [date(2026, 12, 2)], uow=_uow(engine), clock=clock
        ),
        lambda: svc.lock_session(
            plan.session_id, plan.organizer_token, uow=_uow(engine), clock=clock
        ),
        lambda: svc.update_rules(
            plan.session_id, plan.organizer_token, SessionRules(), uow=_uow(engine), clock=clock
        ),
    ]
    for write in writes:
        with pytest.raises(GoneError) as err:
            write()
        assert err.value.code == "session_expired"
    assert (
        svc.identify(plan.session_id, plan.tokens["Jake"], uow=_uow(engine)).display_name == "Jake"
    )


def test_cleanup_archives_only_expired_plans(engine: Engine, clock: FrozenClock) -> None:
    old = make_plan(engine, clock)
    clock.now += timedelta(days=3)
    fresh = make_plan(engine, clock)
    clock.now += timedelta(days=4)  # old is exactly 7 days old now

    assert svc.archive_expired(uow=_uow(engine), clock=clock) == 1
    assert svc.archive_expired(uow=_uow(engine), clock=clock) == 0
    assert svc.get_preview(old.session_id, uow=_uow(engine), clock=clock).status == "archived"
    assert svc.get_preview(fresh.session_id, uow=_uow(engine), clock=clock).status == "open"


def test_update_rules(engine: Engine, clock: FrozenClock) -> None:
    plan = make_plan(engine, clock, friends=("Jake",))
    voting.save_availability(
        plan.session_id,
        plan.tokens["Jake"],
        [date(2026, 12, 2), date(2026, 12, 3)],
        uow=_uow(engine),
        clock=clock,
    )
    rules = SessionRules(Decimal("25.5"), ("food",), 2, (date(2026, 12, 3),))
    with pytest.raises(ForbiddenError):
        svc.update_rules(plan.session_id, plan.tokens["Jake"], rules, uow=_uow(engine), clock=clock)
    saved = svc.update_rules(
        plan.session_id, plan.organizer_token, rules, uow=_uow(engine), clock=clock
    )
    assert saved == SessionRules(Decimal("25.50"), ("food",), 2, (date(2026, 12, 3),))

    preview = svc.get_preview(plan.session_id, uow=_uow(engine), clock=clock)
    assert (preview.budget_cap, preview.vibe_tags, preview.min_attendees) == (
        Decimal("25.50"),
        ("food",),
        2,
    )
    # The new blackout day no longer counts as available.
    assert voting.my_availability(plan.session_id, plan.tokens["Jake"], uow=_uow(engine)) == (
        date(2026, 12, 2),
    )
    with pytest.raises(ValidationError):
        svc.update_rules(
            plan.session_id,
            plan.organizer_token,
            SessionRules(min_attendees=0),
            uow=_uow(engine),
            clock=clock,
        )


def test_preview_query_count_does_not_grow(engine: Engine, clock: FrozenClock) -> None:
    small = make_plan(engine, clock)
    big = make_plan(engine, clock, friends=[f"Friend {i}" for i in range(9)])
    ids = add_events(engine, *(event_record() for _ in range(6)))
    for name, token in big.tokens.items():
        for event_id in ids[: 1 + len(name) % 6]:
            voting.cast_vote(big.session_id, token, event_id, True, uow=_uow(engine), clock=clock)

    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        svc.get_preview(small.session_id, uow=UnitOfWork(engine, write=False), clock=clock)
        small_count = len(statements)
        statements.clear()
        preview = svc.get_preview(big.session_id, uow=UnitOfWork(engine, write=False), clock=clock)
        big_count = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert small_count == big_count
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 3
    assert len(preview.top_events) == 3
    assert preview.top_events[0].votes >= preview.top_events[1].votes >= preview.top_events[2].votes
