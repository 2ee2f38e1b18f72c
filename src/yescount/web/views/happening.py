"""After the lock, every page leads with the decision: "It's happening" (issue 11 §5)."""

from __future__ import annotations

import streamlit as st

from yescount.domain.invite import day_label, pick_times, time_range_label
from yescount.services import results as results_service
from yescount.services.results import Recommendation
from yescount.web import ui
from yescount.web.components.safe import esc, html_block


def locked_pick(page: ui.Page, picks: list[Recommendation]) -> Recommendation | None:
    """The pick the plan was locked on (its event and evening), when it is among the picks."""
    chosen = page.preview.locked_pick
    if page.preview.status != "locked" or chosen is None:
        return None
    for pick in picks:
        if pick.event.id == chosen.event_id and pick.day == chosen.day:
            return pick
    return None


def render_happening(page: ui.Page, picks: list[Recommendation] | None = None) -> bool:
    """The "It's happening" card when the plan is locked; True when it was shown."""
    p = page.preview
    if p.status != "locked" or p.locked_pick is None:
        return False
    if picks is None:
        picks = results_service.recommend(
            page.session_id, uow=page.c.uow(write=False), policy=page.policy
        )
    pick = locked_pick(page, picks)
    chosen = p.locked_pick
    title = esc(chosen.title or "The group's pick")
    when = esc(day_label(chosen.day)) if chosen.day else "date to be confirmed"
    if pick is not None:
        begins, ends = pick_times(pick.event, pick.day, pick.slot_start, pick.slot_end)
        when = f"{when} · {esc(time_range_label(begins.time(), ends.time()))}"
        who = ", ".join(pick.attendees)
        everyone = len(pick.attendees) == p.participant_count
        who_line = f"Everyone's in: {who}" if everyone else f"In: {who}"
    else:
        who_line = "Check with the group who's coming"
    html_block(
        f'<section class="yc-happening" aria-label="It\'s happening">'
        f'<p class="yc-kicker">🎉 It\'s happening</p><h2>{title}</h2>'
        f'<p class="yc-when">📅 {when}</p><p class="yc-when">👥 {esc(who_line)}</p></section>'
    )
    if pick is not None:
        from yescount.web.views.results import render_pick_invite

        with st.expander("Invite & calendar", expanded=True):
            render_pick_invite(page, pick, key="happening")
    return True
