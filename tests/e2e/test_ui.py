"""Every view of the Streamlit script and its edge cases, through AppTest on a real database."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import FrozenClock
from tests.e2e.conftest import SCRIPT, WINDOW_END, WINDOW_START, XSS_TITLE, settings_for
from yescount.bootstrap import Container, build
from yescount.domain.sessions import OverBudget
from yescount.services import sessions as sessions_service
from yescount.services import voting as voting_service
from yescount.services.sessions import CreatedSession, NewSession
from yescount.web import context
from yescount.web.components import copybox
from yescount.web.components.calendar import calendar_data
from yescount.web.components.cards import VOTE_SLOT
from yescount.web.metrics import default_metrics
from yescount.web.views import vote as vote_view

MakeApp = Callable[..., AppTest]


def new_plan(c: Container, **rules: Any) -> CreatedSession:
    cmd = NewSession(
        name=rules.pop("name", "Crew Night Out"),
        organizer_name="Ema",
        date_start=rules.pop("date_start", WINDOW_START),
        date_end=rules.pop("date_end", WINDOW_END),
        **rules,
    )
    return sessions_service.create_session(cmd, uow=c.uow(), clock=c.clock)


def join(c: Container, plan: CreatedSession, name: str) -> str:
    joined = sessions_service.join_session(plan.session_id, name, uow=c.uow(), clock=c.clock)
    return joined.participant_token


def texts(app: AppTest) -> str:
    """Everything the page wrote as markdown, HTML blocks, captions, alerts and headers."""
    parts = [m.value for m in app.markdown] + [h.value for h in app.html]
    parts += [c.value for c in app.caption]
    for kind in ("info", "warning", "error", "success", "header", "subheader", "toast"):
        parts += [str(e.value) for e in app.get(kind)]  # type: ignore[union-attr]
    return "\n".join(parts)


def run(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def click(app: AppTest, key: str) -> AppTest:
    app.button(key=key).click()
    return run(app)


def member_app(make_app: MakeApp, plan: CreatedSession, token: str, **extra: str) -> AppTest:
    return run(make_app(session=str(plan.session_id), me=token, **extra))


def open_panel(app: AppTest, key: str) -> AppTest:
    """Open an expander whose widgets are only drawn while it is open (keyed state)."""
    app.session_state[key] = True
    return run(app)


def copies(app: AppTest) -> list[str]:
    """The texts of the page's copy-boxes (links, invites), in page order."""
    return [
        json.loads(e.proto.json)["text"]
        for e in app.get("bidi_component")
        if e.proto.component_name.endswith(copybox.NAME)
    ]


# --- landing -----------------------------------------------------------------


def test_landing_shows_hero_create_and_join(make_app: MakeApp) -> None:
    app = run(make_app())
    page = texts(app)
    assert "yc-hero" in page
    assert "Less texting. More going." in page
    assert [s.value for s in app.subheader] == ["Start a plan", "Join a plan"]
    assert app.button(key="create-go").disabled is False


def test_create_plan_goes_to_vote_with_share_and_private_links(
    make_app: MakeApp, ui_container: Container, event_ids: list[int]
) -> None:
    app = run(make_app())
    app.text_input(key="create-name").input("Crew Night Out")
    app.text_input(key="create-organizer").input("Ema")
    open_panel(app, "create-rules")
    app.multiselect(key="create-vibes").select("music")
    click(app, "create-go")
    params = app.query_params
    assert params["view"] == "vote"
    assert {"session", "me", "org"} <= set(params)
    codes = copies(app)
    assert codes[0] == f"http://testserver/?session={params['session']}"
    assert codes[1].endswith(f"&org={params['org']}")
    assert "What do you want to do this month?" in texts(app)
    assert "Organizer only: 0 of 1 voted" in texts(app)


def test_create_refuses_more_than_31_days_in_the_ui(make_app: MakeApp, clock: FrozenClock) -> None:
    app = run(make_app())
    today = clock().date()
    app.date_input(key="create-dates").set_value((today, today + timedelta(days=40)))
    run(app)
    assert "Pick at most 31 days" in texts(app)
    assert app.button(key="create-go").disabled is True


def test_create_with_a_blank_name_shows_the_reason(make_app: MakeApp) -> None:
    app = run(make_app())
    app.text_input(key="create-organizer").input("Ema")
    click(app, "create-go")
    assert "Please give your plan a name." in texts(app)
    assert "session" not in app.query_params


def test_join_card_accepts_a_link_and_rejects_garbage(
    make_app: MakeApp, ui_container: Container
) -> None:
    plan = new_plan(ui_container)
    app = run(make_app())
    app.text_input(key="join-link").input("not a link")
    click(app, "join-go")
    assert "doesn't look like a YesCount link" in texts(app)
    app.text_input(key="join-link").input(f"http://testserver/?session={plan.session_id}")
    app.text_input(key="join-name").input("Jake")
    click(app, "join-go")
    assert app.query_params["session"] == str(plan.session_id)
    assert "Hi Jake!" in texts(app)


# --- welcome -------------------------------------------------------------------


def test_welcome_shows_the_plan_and_joins(
    make_app: MakeApp, ui_container: Container, event_ids: list[int]
) -> None:
    plan = new_plan(ui_container, vibe_tags=("music",))
    c = ui_container
    voting_service.cast_vote(
        plan.session_id, plan.participant_token, event_ids[0], True, uow=c.uow(), clock=c.clock
    )
    app = run(make_app(session=str(plan.session_id)))
    page = texts(app)
    assert "Join Ema&#x27;s Crew Night Out!" in page
    assert "Dec 1 – Dec 14 · music" in page
    assert "1 in so far: Ema" in page
    assert "&lt;img src=x onerror=alert(1)&gt; — 1 vote" in page
    assert XSS_TITLE not in page
    app.text_input(key="welcome-name").input("Zoë")
    click(app, "welcome-join")
    assert app.query_params["view"] == "vote"
    assert "Hi Zoë!" in texts(app)


def test_welcome_name_taken_points_to_the_personal_link(
    make_app: MakeApp, ui_container: Container
) -> None:
    plan = new_plan(ui_container)
    join(ui_container, plan, "Jake")
    app = run(make_app(session=str(plan.session_id)))
    app.text_input(key="welcome-name").input("JAKE")
    click(app, "welcome-join")
    assert "already taken — use your personal link" in texts(app)
    assert "me" not in app.query_params


@pytest.mark.parametrize("state", ["full", "locked", "expired", "archived"])
def test_welcome_explains_why_joining_is_closed(
    make_app: MakeApp, ui_container: Container, clock: FrozenClock, state: str
) -> None:
    c = ui_container
    plan = new_plan(c)
    if state == "full":
        for i in range(c.settings.max_participants - 1):
            join(c, plan, f"Friend {chr(65 + i)}")
    elif state == "locked":
        sessions_service.lock_session(
            plan.session_id, plan.organizer_token, uow=c.uow(), clock=c.clock
        )
    elif state == "archived":
        sessions_service.archive_session(
            plan.session_id, plan.organizer_token, uow=c.uow(), clock=c.clock
        )
    else:
        clock.now += timedelta(days=c.settings.session_expiry_days + 1)
    app = run(make_app(session=str(plan.session_id)))
    expected = {
        "full": "This plan is full (10 of 10)",
        "locked": "The organizer locked this plan",
        "expired": "This plan has expired",
        "archived": "This plan has been archived",
    }[state]
    assert expected in texts(app)
    assert not app.text_input
    assert app.button(key="see-results")
    click(app, "own-plan")
    assert "session" not in app.query_params
    assert "Start a plan" in texts(app)


def test_a_bad_personal_link_falls_back_to_the_welcome_page(
    make_app: MakeApp, ui_container: Container
) -> None:
    plan = new_plan(ui_container)
    other = new_plan(ui_container, name="Other")
    app = member_app(make_app, plan, other.participant_token)
    assert "personal link isn't valid for this plan" in texts(app)
    assert app.button(key="welcome-join")


@pytest.mark.parametrize(
    "session", ["not-a-uuid", "00000000-0000-4000-8000-000000000000", "%3Cscript%3E"]
)
def test_unknown_or_malformed_ids_get_a_friendly_page(make_app: MakeApp, session: str) -> None:
    app = run(make_app(session=session))
    assert "We can&#x27;t find that plan" in texts(app)
    click(app, "err-own")
    assert "Start a plan" in texts(app)


# --- vote ----------------------------------------------------------------------


@pytest.fixture
def shown_cards(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the vote view hands to the card grid (the grid itself runs in the browser:
    tests/e2e/test_browser_phone.py clicks it); one entry per script run."""
    runs: list[dict[str, Any]] = []
    monkeypatch.setattr(vote_view, "render_cards", lambda data, key: runs.append(data))
    return runs


def vote_ids(runs: list[dict[str, Any]]) -> list[int]:
    return [card["id"] for card in runs[-1]["cards"]]


def test_vote_shows_escaped_cards_in_rank_order_with_saved_votes(
    make_app: MakeApp,
    ui_container: Container,
    event_ids: list[int],
    shown_cards: list[dict[str, Any]],
) -> None:
    c = ui_container
    plan = new_plan(c)
    jake = join(c, plan, "Jake")
    voting_service.cast_vote(plan.session_id, jake, event_ids[2], True, uow=c.uow(), clock=c.clock)
    app = member_app(make_app, plan, jake)
    data = shown_cards[-1]
    assert sorted(vote_ids(shown_cards)) == sorted(event_ids)
    hostile = next(card["html"] for card in data["cards"] if "onerror" in card["html"])
    assert "<h3>&lt;img src=x onerror=alert(1)&gt;</h3>" in hostile
    assert XSS_TITLE not in hostile
    assert 'target="_blank" rel="noopener noreferrer"' in hostile
    assert all(VOTE_SLOT in card["html"] for card in data["cards"])
    assert data["voted"] == [event_ids[2]]
    assert data["writable"] is True
    assert data["token"] == jake
    assert "Organizer only" not in texts(app)
    assert "Hi Jake!" in texts(app)
    assert app.button(key="to-availability").label == "Next: when are you free? →"


def test_a_locked_plan_shows_the_cards_read_only(
    make_app: MakeApp,
    ui_container: Container,
    event_ids: list[int],
    shown_cards: list[dict[str, Any]],
) -> None:
    c = ui_container
    plan = new_plan(c)
    jake = join(c, plan, "Jake")
    sessions_service.lock_session(plan.session_id, plan.organizer_token, uow=c.uow(), clock=c.clock)
    member_app(make_app, plan, jake, view="vote")
    assert shown_cards[-1]["writable"] is False


def test_organizer_sees_progress_and_a_forged_org_token_does_not(
    make_app: MakeApp, ui_container: Container, event_ids: list[int]
) -> None:
    plan = new_plan(ui_container, min_attendees=2)
    join(ui_container, plan, "Jake")
    org = member_app(make_app, plan, plan.participant_token, org=plan.organizer_token)
    assert "Organizer only: 0 of 2 voted · 0 of 2 gave availability" in texts(org)
    assert "Quorum: waiting for 2" in texts(org)
    forged = member_app(make_app, plan, plan.participant_token, org="forged")
    assert "Organizer only" not in texts(forged)


def test_vote_search_and_filters_narrow_the_cards(
    make_app: MakeApp,
    ui_container: Container,
    event_ids: list[int],
    shown_cards: list[dict[str, Any]],
) -> None:
    plan = new_plan(ui_container)
    app = member_app(make_app, plan, plan.participant_token)
    assert not app.slider, "the filter widgets are drawn only when the panel opens"
    open_panel(app, f"f-open-{plan.session_id}")
    app.slider(key=f"f-price-{plan.session_id}").set_value(0)
    run(app)
    # Only the event with an unknown price survives a $0 cap.
    assert vote_ids(shown_cards) == [event_ids[1]]


def test_the_organizer_rule_hides_or_badges_cards_over_budget(
    make_app: MakeApp,
    ui_container: Container,
    event_ids: list[int],
    shown_cards: list[dict[str, Any]],
) -> None:
    app = run(make_app())
    app.text_input(key="create-name").input("Cheap Night")
    app.text_input(key="create-organizer").input("Ema")
    open_panel(app, "create-rules")
    app.number_input(key="create-budget").set_value(20)
    app.radio(key="create-over-budget").set_value(OverBudget.HIDE)
    click(app, "create-go")
    sid = app.query_params["session"]
    assert vote_ids(shown_cards) == [event_ids[1]], "hidden with the panel closed too"
    open_panel(app, f"f-open-{sid}")
    price = app.slider(key=f"f-price-{sid}")
    assert (price.value, price.max) == (20, 20), "the slider starts and ends at the budget"
    assert vote_ids(shown_cards) == [event_ids[1]]  # $25 events hidden; unknown price kept

    badged = new_plan(ui_container, budget_cap=Decimal("20"))
    app = member_app(make_app, badged, badged.participant_token)
    open_panel(app, f"f-open-{badged.session_id}")
    price = app.slider(key=f"f-price-{badged.session_id}")
    assert price.value == vote_view.ANY_PRICE, "badged cards show until the slider moves"
    html = {card["id"]: card["html"] for card in shown_cards[-1]["cards"]}
    assert set(html) == set(event_ids)
    assert "over the $20 budget" in html[event_ids[2]]
    assert "over the $20 budget" not in html[event_ids[1]]


def test_vote_with_no_events_in_the_window_shows_upcoming_ones(
    make_app: MakeApp,
    ui_container: Container,
    event_ids: list[int],
    shown_cards: list[dict[str, Any]],
) -> None:
    far = WINDOW_START + timedelta(days=60)
    plan = new_plan(ui_container, date_start=far, date_end=far + timedelta(days=3))
    app = member_app(make_app, plan, plan.participant_token)
    assert "No events in your dates yet — showing what's coming up soon." in texts(app)
    assert vote_ids(shown_cards)


# --- availability ----------------------------------------------------------------


def test_availability_shows_the_calendar_with_saved_evenings(
    make_app: MakeApp, ui_container: Container
) -> None:
    """The calendar itself runs in the browser (tests/e2e/test_browser_phone.py); here:
    the view renders it with this person's saved evenings and the plan's blackouts."""
    blackout = WINDOW_START + timedelta(days=4)
    plan = new_plan(ui_container, blackout_dates=(blackout,))
    jake = join(ui_container, plan, "Jake")
    c = ui_container
    voting_service.save_availability(
        plan.session_id, jake, [WINDOW_START], uow=c.uow(), clock=c.clock
    )
    app = member_app(make_app, plan, jake, view="availability")
    assert "Click the evenings you're free" in texts(app)
    assert not [b for b in app.button if str(b.key) == "avail-save"]
    data = calendar_data(
        WINDOW_START,
        WINDOW_END,
        saved={WINDOW_START},
        blackout=frozenset({blackout}),
        today=WINDOW_START,
        writable=True,
        session_id=plan.session_id,
        token=jake,
        participant_id=2,
    )
    cells = {cell["iso"]: cell["kind"] for m in data["months"] for cell in m["cells"]}
    assert cells[blackout.isoformat()] == "blocked"
    assert cells[(WINDOW_END + timedelta(days=1)).isoformat()] == "out"
    assert cells[WINDOW_START.isoformat()] == "open"
    assert data["saved"] == [WINDOW_START.isoformat()]
    assert all(len(m["cells"]) % 7 == 0 for m in data["months"])


# --- results ---------------------------------------------------------------------


def plan_with_picks(c: Container, event_ids: list[int]) -> tuple[CreatedSession, str]:
    """Ema and Jake both want event #3 (Dec 3) and are free that evening; Jake also Dec 5."""
    plan = new_plan(c)
    jake = join(c, plan, "Jake")
    pick_day, other_day = WINDOW_START + timedelta(days=2), WINDOW_START + timedelta(days=4)
    for token, days in ((plan.participant_token, [pick_day]), (jake, [pick_day, other_day])):
        voting_service.cast_vote(
            plan.session_id, token, event_ids[2], True, uow=c.uow(), clock=c.clock
        )
        voting_service.save_availability(plan.session_id, token, days, uow=c.uow(), clock=c.clock)
    return plan, jake


def test_results_show_picks_heatmap_invite_and_calendar(
    make_app: MakeApp, ui_container: Container, event_ids: list[int]
) -> None:
    plan, jake = plan_with_picks(ui_container, event_ids)
    app = member_app(make_app, plan, jake, view="results")
    page = texts(app)
    assert "#1 Test Event" in page
    assert "Thu, Dec 3 · 7–10 pm" in page
    assert "All 2 free Thu · 2 of 2 said yes · $25–$40" in page
    assert "👥 Everyone&#x27;s in: Ema, Jake · meets the minimum of 2" in page
    assert "<summary>why?</summary>" in page
    assert "interest 100% · overlap 100%" in page
    assert "Quorum ✓" in page
    invite = copies(app)[0]
    assert "🎉 YesCount pick: Test Event" in invite
    assert "Ema and Jake are in!" in invite
    assert f"Plan & RSVP: http://testserver/?session={plan.session_id}" in invite
    assert app.get("download_button")
    heat = next(h.value for h in app.html if "yc-heat" in h.value and "<table" in h.value)
    assert 'background:#15803D;color:#FFFFFF" title="Thu, Dec 3: 2 of 2 free, pick #1"' in heat
    assert '<span class="day">3</span>2/2 <span class="pin">#1</span>' in heat
    assert 'background:#86EFAC;color:#111827" title="Sat, Dec 5: 1 of 2 free"' in heat
    assert 'background:#F3F4F6;color:#111827" title="Tue, Dec 1: 0 of 2 free"' in heat
    assert app.selectbox(key="day-detail").value == WINDOW_START + timedelta(days=2)
    assert "Thu, Dec 3: 2/2 free — Ema, Jake" in page
    assert not [b for b in app.button if b.key == "lock-go"]


def test_only_the_organizer_can_lock_from_results(
    make_app: MakeApp, ui_container: Container, event_ids: list[int]
) -> None:
    plan, _ = plan_with_picks(ui_container, event_ids)
    app = member_app(
        make_app, plan, plan.participant_token, view="results", org=plan.organizer_token
    )
    assert app.button(key="lock-go")
    click(app, "lock-go")
    assert "It's happening" in texts(app)
    assert "<h2>Test Event" in texts(app)
    assert not [b for b in app.button if b.key == "lock-go"]
    preview = sessions_service.get_preview(
        plan.session_id, uow=ui_container.uow(), clock=ui_container.clock
    )
    assert preview.status == "locked"
    assert preview.locked_pick is not None
    assert preview.locked_pick.event_id == event_ids[2]


def test_results_state_the_quorum_once_for_organizer_and_friends(
    make_app: MakeApp, ui_container: Container, event_ids: list[int]
) -> None:
    plan, jake = plan_with_picks(ui_container, event_ids)
    organizer = member_app(
        make_app, plan, plan.participant_token, view="results", org=plan.organizer_token
    )
    assert texts(organizer).count("Quorum") == 1, texts(organizer)
    assert "Organizer only: 2 of 2 voted" in texts(organizer)
    friend = member_app(make_app, plan, jake, view="results")
    assert texts(friend).count("Quorum") == 1, texts(friend)


def test_results_are_readable_with_just_the_share_link(
    make_app: MakeApp, ui_container: Container, event_ids: list[int]
) -> None:
    plan, _ = plan_with_picks(ui_container, event_ids)
    app = run(make_app(session=str(plan.session_id), view="results"))
    assert "#1 Test Event" in texts(app)
    assert not [b for b in app.button if str(b.key).startswith("crumb-")]
    click(app, "results-join")
    assert app.button(key="welcome-join")


def test_results_without_votes_explain_what_is_missing(
    make_app: MakeApp, ui_container: Container
) -> None:
    plan = new_plan(ui_container)
    app = member_app(make_app, plan, plan.participant_token, view="results")
    assert "No picks yet" in texts(app)
    assert "1 of 1 hasn't picked evenings yet." in texts(app)


def test_results_before_availability_show_leading_events_and_no_pick(
    make_app: MakeApp, ui_container: Container, event_ids: list[int]
) -> None:
    c = ui_container
    plan = new_plan(c)
    jake = join(c, plan, "Jake")
    for token in (plan.participant_token, jake):
        voting_service.cast_vote(
            plan.session_id, token, event_ids[2], True, uow=c.uow(), clock=c.clock
        )
    app = member_app(make_app, plan, jake, view="results")
    page = texts(app)
    assert "2 of 2 haven't picked evenings yet." in page
    assert "Leading so far" in page
    assert " — 2 yeses</li></ol>" in page
    assert "#1 " not in page
    assert not app.get("download_button")


def test_breadcrumbs_move_between_views_and_keep_identity(
    make_app: MakeApp, ui_container: Container
) -> None:
    plan = new_plan(ui_container)
    app = member_app(make_app, plan, plan.participant_token)
    assert [b.label for b in app.button if str(b.key).startswith("crumb-")] == [
        "1 · Vote",
        "2 · Availability",
        "3 · Results",
    ]
    click(app, "crumb-availability")
    assert app.query_params["view"] == "availability"
    assert app.query_params["me"] == plan.participant_token
    click(app, "crumb-results")
    assert "Top picks" in texts(app)
    UUID(app.query_params["session"])


# --- database down, metrics --------------------------------------------------------


def test_an_unreachable_database_gets_a_friendly_page(tmp_path: Path) -> None:
    settings = settings_for("postgresql://postgres@127.0.0.1:1/nothing", tmp_path)
    container = build(settings)
    context.configure(settings, container=container)
    try:
        app = AppTest.from_file(str(SCRIPT), default_timeout=30)
        app.query_params["session"] = "00000000-0000-4000-8000-000000000000"
        run(app)
        assert "We&#x27;ll be right back" in texts(app)
        assert "can't reach its database right now" in texts(app)
        assert app.button(key="err-retry")
    finally:
        st.cache_resource.clear()
        context.reset()
        container.close()


def test_page_runs_are_measured_by_view(make_app: MakeApp, ui_container: Container) -> None:
    plan = new_plan(ui_container)
    histogram = default_metrics().page_runs
    before = histogram.labels("results")._sum.get()
    member_app(make_app, plan, plan.participant_token, view="results")
    assert histogram.labels("results")._sum.get() > before
