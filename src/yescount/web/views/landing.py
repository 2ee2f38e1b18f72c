"""Landing: the hero, a card to start a plan (rules in an expander) and a card to join one."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import streamlit as st

from yescount.bootstrap import Container
from yescount.domain import newyork
from yescount.domain.sessions import PlanPolicy, SessionRules
from yescount.errors import YesCountError
from yescount.services import sessions as sessions_service
from yescount.web import ui, ui_limits
from yescount.web.components.hero import render_hero
from yescount.web.metrics import default_metrics
from yescount.web.views.rules import rules_inputs

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def parse_join_input(text: str) -> tuple[UUID | None, str | None, str | None]:
    """(session id, personal token, organizer token) from a pasted link or a bare code."""
    text = text.strip()
    if not text:
        return None, None, None
    query = parse_qs(urlsplit(text).query) if "?" in text else {}
    raw = query.get("session", [text])[0]
    found = _UUID.search(raw)
    if found is None:
        return None, None, None
    me = query.get("me", [None])[0]
    org = query.get("org", [None])[0]
    return UUID(found.group(0)), me, org


def render(c: Container) -> None:
    """The landing page."""
    render_hero()
    st.markdown("Pick one outing and one evening that works for most of your friends.")
    left, right = st.columns(2, gap="large")
    with left, st.container(border=True):
        _create_card(c, ui.policy())
    with right, st.container(border=True):
        _join_card(c)


def _window_input(today: date, policy: PlanPolicy) -> tuple[date, date] | None:
    picked = st.date_input(
        f"Dates (up to {policy.max_window_days} days)",
        value=(today + timedelta(days=1), today + timedelta(days=7)),
        min_value=today,
        format="MM/DD/YYYY",
        key="create-dates",
    )
    if not isinstance(picked, tuple) or len(picked) != 2:
        st.caption("Pick a first and a last day.")
        return None
    start, end = picked
    days = (end - start).days + 1
    if days > policy.max_window_days:
        st.error(f"Pick at most {policy.max_window_days} days — you picked {days}.")
        return None
    return start, end


def _rules_input(window: tuple[date, date] | None, policy: PlanPolicy) -> SessionRules:
    """The optional group rules (unvalidated: the service checks them)."""
    panel = st.expander("Group rules (optional)", key="create-rules", on_change="rerun")
    if not ui.opened_once(panel, "create-rules"):
        return SessionRules()  # the defaults, without loading the widgets' browser code
    with panel:
        return rules_inputs("create", window, policy)


def _create_card(c: Container, policy: PlanPolicy) -> None:
    st.subheader("Start a plan")
    name = st.text_input("Plan name", placeholder="Crew Night Out", max_chars=80, key="create-name")
    organizer = st.text_input(
        "Your first name", placeholder="Ema", max_chars=50, key="create-organizer"
    )
    window = _window_input(newyork.today(c.clock), policy)
    rules = _rules_input(window, policy)
    if not st.button("Create plan", type="primary", disabled=window is None, key="create-go"):
        return
    assert window is not None
    cmd = sessions_service.NewSession(
        name=name,
        organizer_name=organizer,
        date_start=window[0],
        date_end=window[1],
        budget_cap=rules.budget_cap,
        vibe_tags=rules.vibe_tags,
        min_attendees=rules.min_attendees,
        blackout_dates=rules.blackout_dates,
        over_budget=rules.over_budget,
    )
    try:
        ui_limits.limit(c, "create")
        made = sessions_service.create_session(cmd, uow=c.uow(), clock=c.clock, policy=ui.policy())
    except YesCountError as exc:
        st.error(ui.friendly(exc))
        return
    default_metrics().sessions_created.inc()
    st.session_state[f"created-{made.session_id}"] = True
    ui.set_identity(made.session_id, made.participant_token, made.organizer_token)
    ui.go("vote")
    st.rerun()


def _join_card(c: Container) -> None:
    st.subheader("Join a plan")
    link = st.text_input(
        "Link or code", placeholder="Paste the link your friend sent", key="join-link"
    )
    name = st.text_input("Your first name", max_chars=50, key="join-name")
    if not st.button("Join", key="join-go"):
        return
    session_id, me, org = parse_join_input(link)
    if session_id is None:
        st.error("That doesn't look like a YesCount link or code. Check it and try again.")
        return
    if me:
        # A personal link: this is someone coming back, not a new join.
        ui.set_identity(session_id, me, org)
        st.rerun()
    if not name.strip():
        st.query_params["session"] = str(session_id)
        st.rerun()
    try:
        ui_limits.limit(c, "join")
        joined = sessions_service.join_session(session_id, name, uow=c.uow(), clock=c.clock)
    except YesCountError as exc:
        st.error(ui.friendly(exc))
        return
    if not joined.rejoined:
        default_metrics().joins.inc()
    ui.set_identity(session_id, joined.participant_token)
    ui.go("vote")
    st.rerun()
