"""The organizer edits the group rules in the UI (SPEC §2: organizer token, open plans only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from streamlit.testing.v1 import AppTest

from tests.conftest import FrozenClock
from tests.e2e.conftest import WINDOW_START
from tests.e2e.test_ui import (
    join,
    member_app,
    new_plan,
    open_panel,
    run,
    shown_cards,
    texts,
    vote_ids,
)
from yescount.bootstrap import Container
from yescount.domain.sessions import OverBudget
from yescount.services import sessions as sessions_service
from yescount.services import voting as voting_service

MakeApp = Callable[..., AppTest]
__all__ = ["shown_cards"]  # the fixture, imported for pytest


def _editor(app: AppTest, sid: str) -> bool:
    """The rules editor shows (its panel, opened: the widgets are drawn only when open)."""
    if not any(e.label == "Organizer: edit the group rules" for e in app.expander):
        return False
    open_panel(app, f"rules-open-{sid}")
    return f"edit-{sid}-budget" in {n.key for n in app.number_input}


def test_the_organizer_edits_the_rules_and_friends_cannot(
    make_app: MakeApp,
    ui_container: Container,
    clock: FrozenClock,
    event_ids: list[int],
    shown_cards: list[dict[str, Any]],
) -> None:
    c = ui_container
    plan = new_plan(c, budget_cap=Decimal("100"))
    sid = str(plan.session_id)
    jake = join(c, plan, "Jake")
    blackout = WINDOW_START + timedelta(days=1)
    voting_service.save_availability(
        plan.session_id, jake, [WINDOW_START, blackout], uow=c.uow(), clock=c.clock
    )
    friend = member_app(make_app, plan, jake, view="results")
    assert not _editor(friend, sid), "only the organizer sees the rules editor"
    # A made-up organizer token is not the organizer either.
    forged = member_app(make_app, plan, jake, view="results", org="forged-token")
    assert not _editor(forged, sid)

    app = member_app(
        make_app, plan, plan.participant_token, org=plan.organizer_token, view="results"
    )
    assert _editor(app, sid)
    assert app.number_input(key=f"edit-{sid}-budget").value == 100
    app.number_input(key=f"edit-{sid}-budget").set_value(20)
    app.radio(key=f"edit-{sid}-over-budget").set_value(OverBudget.HIDE)
    app.number_input(key=f"edit-{sid}-min").set_value(2)
    app.multiselect(key=f"edit-{sid}-blackout").set_value([blackout])
    next(b for b in app.button if b.label == "Save rules").click()
    run(app)
    assert "Rules saved." in texts(app)
    saved = sessions_service.get_preview(plan.session_id, uow=c.uow(write=False), clock=clock)
    assert (saved.budget_cap, saved.over_budget, saved.min_attendees) == (
        Decimal("20.00"),
        OverBudget.HIDE,
        2,
    )
    assert saved.blackout_dates == (blackout,)
    assert voting_service.my_availability(plan.session_id, jake, uow=c.uow(write=False)) == (
        WINDOW_START,
    )
    # Friends' cards follow at once: over $20 is now hidden (only the unknown price stays).
    member_app(make_app, plan, jake, view="vote")
    assert vote_ids(shown_cards) == [event_ids[1]]
