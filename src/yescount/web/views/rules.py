"""The group rules: filled in when creating a plan, editable by the organizer while it is open."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import streamlit as st

from yescount.domain.events import VIBE_TAGS
from yescount.domain.sessions import OverBudget, PlanPolicy, SessionRules
from yescount.services import sessions as sessions_service
from yescount.web import ui

OVER_BUDGET_CHOICES = {
    OverBudget.BADGE: "Show them, badged “over the budget”",
    OverBudget.HIDE: "Hide them",
}


def day_text(day: date) -> str:
    return f"{day:%a, %b} {day.day}"


def rules_inputs(
    prefix: str,
    window: tuple[date, date] | None,
    policy: PlanPolicy,
    current: SessionRules | None = None,
) -> SessionRules:
    """The rule widgets (keys start with ``prefix``); unvalidated: the service checks them."""
    now = current or SessionRules()
    budget = st.number_input(
        "Budget cap per person ($)",
        min_value=0,
        value=None if now.budget_cap is None else int(now.budget_cap),
        step=5,
        placeholder="No cap",
        key=f"{prefix}-budget",
    )
    over = st.radio(
        "Events over the budget",
        list(OVER_BUDGET_CHOICES),
        index=list(OVER_BUDGET_CHOICES).index(now.over_budget),
        format_func=OVER_BUDGET_CHOICES.__getitem__,
        key=f"{prefix}-over-budget",
        help="What friends see while voting when an event costs more than the cap.",
    )
    vibes = st.multiselect(
        "Preferred vibes", VIBE_TAGS, default=list(now.vibe_tags), key=f"{prefix}-vibes"
    )
    minimum = st.number_input(
        "Minimum attendees",
        min_value=1,
        max_value=policy.max_participants,
        value=now.min_attendees,
        placeholder="No minimum",
        key=f"{prefix}-min",
    )
    days = []
    if window:
        days = [window[0] + timedelta(days=i) for i in range((window[1] - window[0]).days + 1)]
    blackout = st.multiselect(
        "Blackout dates (nobody can make it)",
        days,
        default=[d for d in now.blackout_dates if d in days],
        format_func=day_text,
        key=f"{prefix}-blackout",
    )
    return SessionRules(
        budget_cap=None if budget is None else Decimal(str(budget)),
        vibe_tags=tuple(vibes),
        min_attendees=None if minimum is None else int(minimum),
        blackout_dates=tuple(blackout),
        over_budget=OverBudget(over),
    )


def render_edit_rules(page: ui.Page) -> None:
    """Organizer only, while the plan is open: change the rules (the token is checked again)."""
    p = page.preview
    if not page.is_organizer or p.status != "open" or p.read_only:
        return
    flag = f"rules-saved-{page.session_id}"
    if st.session_state.pop(flag, False):
        st.toast("Rules saved.", icon="✅")
    current = SessionRules(
        p.budget_cap, p.vibe_tags, p.min_attendees, p.blackout_dates, p.over_budget
    )
    # The form's widgets are drawn once the panel is opened (their browser code would
    # otherwise load on every visit of the organizer's pages).
    key = f"rules-open-{page.session_id}"
    panel = st.expander("Organizer: edit the group rules", key=key, on_change="rerun")
    if not ui.opened_once(panel, key):
        return
    with panel, st.form(key=f"rules-{page.session_id}", border=False):
        rules = rules_inputs(
            f"edit-{page.session_id}", (p.date_start, p.date_end), page.policy, current
        )
        st.caption("Evenings people marked free on a new blackout day are cleared.")
        if not st.form_submit_button("Save rules", type="primary"):
            return
    saved = ui.attempt(
        lambda: sessions_service.update_rules(
            page.session_id,
            page.org or "",
            rules,
            uow=page.c.uow(),
            clock=page.c.clock,
            policy=page.policy,
        ),
        what="save the rules",
    )
    if saved:
        st.session_state[flag] = True  # the toast shows on the run that has the new rules
        st.rerun()
