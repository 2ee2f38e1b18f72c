"""Welcome (``?session=<id>``): what the plan is, who is in, what's hot, and joining it.

Every state of SPEC §2 has its own friendly explanation: open, full, locked,
expired, archived, and a personal link that is not valid for this plan.
"""

from __future__ import annotations

import streamlit as st

from yescount.errors import YesCountError
from yescount.services import sessions as sessions_service
from yescount.services.sessions import SessionPreview
from yescount.web import ui, ui_limits
from yescount.web.components.hero import render_hero
from yescount.web.components.safe import esc, html_block
from yescount.web.metrics import default_metrics


def window_text(p: SessionPreview) -> str:
    """ "Dec 1 – Dec 14" (one day: "Tue, Dec 1")."""
    if p.date_start == p.date_end:
        return f"{p.date_start:%a, %b} {p.date_start.day}"
    return f"{p.date_start:%b} {p.date_start.day} – {p.date_end:%b} {p.date_end.day}"


def people_text(p: SessionPreview) -> str:
    names = ", ".join(p.participant_names)
    return f"{p.participant_count} in so far: {names}" if names else "Nobody has joined yet"


def render_summary(p: SessionPreview) -> None:
    """Dates, vibes, who is in and the three most-voted events (all escaped)."""
    vibes = f" · {esc(', '.join(p.vibe_tags))}" if p.vibe_tags else ""
    html_block(
        f'<div><p class="yc-meta">📅 {esc(window_text(p))}{vibes}</p>'
        f'<p class="yc-meta">👥 {esc(people_text(p))}</p></div>'
    )
    if p.top_events:
        rows = "".join(
            f"<li>{esc(t.title)} — {t.votes} vote{'s' if t.votes != 1 else ''}</li>"
            for t in p.top_events
        )
        html_block(f'<div><p class="yc-meta"><strong>What\'s hot</strong></p><ul>{rows}</ul></div>')


def _to_landing() -> None:
    st.query_params.clear()


def own_plan_button(key: str = "own-plan") -> None:
    st.button("Create your own plan →", key=key, on_click=_to_landing, type="tertiary")


def results_button() -> None:
    st.button("See the results", key="see-results", on_click=ui.go, args=("results",))


def _closed_state(p: SessionPreview) -> bool:
    """Explain why joining is not possible; True when the join form must not show."""
    if p.status == "archived":
        st.info("This plan has been archived. You can still look at the results.")
    elif p.is_expired:
        st.info("This plan has expired, so it can't change any more — the results stay here.")
    elif p.status == "locked":
        html_block(
            '<div class="yc-meta">🔒 The organizer locked this plan on the pick above. '
            "It's not taking new people.</div>"
        )
    elif p.is_full:
        st.warning(
            f"This plan is full ({p.participant_count} of {p.max_participants}). "
            "Ask the organizer, or start your own plan."
        )
    else:
        return False
    results_button()
    own_plan_button()
    return True


def render(page: ui.Page, *, bad_link: bool = False) -> None:
    """The welcome page for someone who is not (yet) in this plan."""
    p = page.preview
    if p.status == "locked" and p.locked_pick is not None:
        render_hero(
            f"{p.organizer_name}'s {p.name}: it's decided!",
            "Less texting. More going.",
            compact=True,
        )
        from yescount.web.views.happening import render_happening

        render_happening(page)
    else:
        render_hero(
            f"Join {p.organizer_name}'s {p.name}!", "Less texting. More going.", compact=True
        )
    if bad_link:
        st.warning(
            "That personal link isn't valid for this plan. Join below, or ask the organizer "
            "to resend your link."
        )
    render_summary(p)
    if _closed_state(p):
        return
    with st.container(border=True):
        name = st.text_input("Your first name", max_chars=50, key="welcome-name")
        clicked = st.button("Join the crew", type="primary", key="welcome-join")
    own_plan_button()
    if clicked:
        _join(page, name)


def _join(page: ui.Page, name: str) -> None:
    c = page.c
    try:
        ui_limits.limit(c, "join")
        joined = sessions_service.join_session(page.session_id, name, uow=c.uow(), clock=c.clock)
    except YesCountError as exc:
        st.error(ui.friendly(exc))
        return
    if not joined.rejoined:
        default_metrics().joins.inc()
    ui.set_identity(page.session_id, joined.participant_token)
    ui.go("vote")
    st.rerun()
