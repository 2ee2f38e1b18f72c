"""Availability: the plan's window as a 7-column month calendar; every tap saves itself."""

from __future__ import annotations

import streamlit as st

from yescount.domain import newyork
from yescount.services import voting as voting_service
from yescount.web import ui
from yescount.web.components.calendar import calendar_data, render_calendar
from yescount.web.views import shell


def render(page: ui.Page) -> None:
    """The availability view."""
    shell.render_header(page, "availability")
    shell.render_progress(page)
    st.header("Click the evenings you're free")
    writable = shell.can_write(page)
    st.caption(
        "Each tap cycles Not set → Free → Busy and saves right away — no Save button."
        if writable
        else "This plan no longer takes changes: your evenings are shown as saved."
    )
    p = page.preview
    saved = voting_service.my_availability(
        page.session_id, page.me or "", uow=page.c.uow(write=False)
    )
    data = calendar_data(
        p.date_start,
        p.date_end,
        saved=set(saved),
        blackout=frozenset(p.blackout_dates),
        today=newyork.today(page.c.clock),
        writable=writable,
        session_id=page.session_id,
        token=page.me or "",
        participant_id=page.viewer.participant_id if page.viewer else 0,
    )
    render_calendar(data, key=f"cal-{page.session_id}")
    back, results = st.columns([1, 2], gap="small")
    back.button("← Back to voting", key="avail-back", on_click=ui.go, args=("vote",))
    results.button(
        "See the results →", type="primary", key="avail-results", on_click=ui.go, args=("results",)
    )
