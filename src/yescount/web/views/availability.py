"""Availability: the plan's window as a month calendar of tri-state evenings, then save."""

from __future__ import annotations

from datetime import date

import streamlit as st

from yescount.services import voting as voting_service
from yescount.web import ui
from yescount.web.components.calendar import DayState, initial_states, render_calendar
from yescount.web.metrics import default_metrics
from yescount.web.views import shell


def _state_key(page: ui.Page) -> str:
    viewer = page.viewer.participant_id if page.viewer else 0
    return f"avail-{page.session_id}-{viewer}"


def _states(page: ui.Page) -> dict[date, DayState]:
    """This person's calendar state, pre-filled from what they saved before."""
    key = _state_key(page)
    if key not in st.session_state:
        saved = voting_service.my_availability(
            page.session_id, page.me or "", uow=page.c.uow(write=False)
        )
        p = page.preview
        days = [
            date.fromordinal(n) for n in range(p.date_start.toordinal(), p.date_end.toordinal() + 1)
        ]
        st.session_state[key] = initial_states(days, saved)
    states: dict[date, DayState] = st.session_state[key]
    return states


def _cycle(key: str, day: date) -> None:
    states: dict[date, DayState] = st.session_state[key]
    states[day] = states.get(day, DayState.NO_RESPONSE).next()


def _save(page: ui.Page, states: dict[date, DayState]) -> None:
    chosen = sorted(d for d, s in states.items() if s is DayState.AVAILABLE)
    c = page.c
    me = page.me or ""

    def write() -> tuple[date, ...]:
        return voting_service.save_availability(
            page.session_id, me, chosen, uow=c.uow(), clock=c.clock, policy=page.policy
        )

    saved = ui.attempt(write, what="save your evenings")
    if saved is ui.FAILED:
        return
    default_metrics().availability_saves.inc()
    st.session_state[f"{_state_key(page)}-saved"] = True
    st.toast(f"Saved! {len(chosen)} evening{'s' if len(chosen) != 1 else ''} marked free.")


def render(page: ui.Page) -> None:
    """The availability view."""
    shell.render_header(page, "availability")
    shell.render_progress(page)
    st.header("Click the evenings you're free")
    st.caption(
        "Each click cycles No response → ✓ Available → ✗ Unavailable. "
        "Only Available evenings are saved; ⊘ means blacked out by the organizer."
    )
    states = _states(page)
    key = _state_key(page)
    p = page.preview
    writable = shell.can_write(page)
    render_calendar(
        p.date_start,
        p.date_end,
        states=states,
        blackout=frozenset(p.blackout_dates),
        key_prefix=f"day-{page.session_id}",
        on_cycle=lambda day: _cycle(key, day),
        disabled=not writable,
    )
    free = sum(1 for s in states.values() if s is DayState.AVAILABLE)
    st.markdown(f"**{free}** evening{'s' if free != 1 else ''} marked available.")
    save, back, results = st.columns([2, 1, 2], gap="small")
    save.button(
        "Save availability",
        type="primary",
        disabled=not writable,
        key="avail-save",
        on_click=_save,
        args=(page, states),
    )
    back.button("← Back", key="avail-back", on_click=ui.go, args=("vote",))
    results.button("See the results →", key="avail-results", on_click=ui.go, args=("results",))
