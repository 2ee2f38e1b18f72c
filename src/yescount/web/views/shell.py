"""The frame around the member views: hero, breadcrumbs, plan status and organizer progress."""

from __future__ import annotations

import streamlit as st

from yescount.domain.invite import organizer_link, personal_link, share_link
from yescount.domain.progress import Progress
from yescount.services import results as results_service
from yescount.web import ui
from yescount.web.components.breadcrumbs import render_breadcrumbs
from yescount.web.components.copybox import render_copybox
from yescount.web.components.hero import render_hero
from yescount.web.components.safe import esc, html_block
from yescount.web.views.welcome import window_text


def render_header(page: ui.Page, current: str) -> None:
    """Hero with the plan's name, greeting, breadcrumbs and any status banner."""
    p = page.preview
    who = f"Hi {page.viewer.display_name}! · " if page.viewer else ""
    friends = f"{p.participant_count} friend{'s' if p.participant_count != 1 else ''}"
    render_hero(
        p.name, f"{who}Plan by {p.organizer_name} · {friends} · {window_text(p)}", compact=True
    )
    if page.viewer is not None:
        render_breadcrumbs(current)
    if current != "results":
        from yescount.web.views.happening import render_happening

        render_happening(page)
    render_status(page)


def render_status(page: ui.Page) -> None:
    """Why this plan can no longer change, and what you can still do."""
    p = page.preview
    if p.status == "archived":
        st.info("This plan has been archived: everything stays visible, nothing can change.")
    elif p.is_expired:
        st.info("This plan has expired: you can still see the results, but not change them.")
    elif p.status == "locked" and p.locked_pick is not None:
        return  # the "It's happening" card says it, first
    elif p.status == "locked":
        pick = p.locked_pick
        what = f": {esc(pick.title)}" if pick and pick.title else ""
        when = f" on {pick.day:%a, %b} {pick.day.day}" if pick and pick.day else ""
        html_block(
            f'<div class="yc-meta" role="status">🔒 The plan is locked{what}{when}. '
            "Votes and availability are closed.</div>"
        )


def can_write(page: ui.Page) -> bool:
    p = page.preview
    return p.status == "open" and not p.read_only


def progress_text(progress: Progress) -> str:
    """ "4 of 6 voted · 2 of 6 gave availability" (UI.md)."""
    n = progress.joined
    return f"{progress.voted} of {n} voted · {progress.gave_availability} of {n} gave availability"


def quorum_badge_html(progress: Progress) -> str:
    if progress.quorum_reached:
        return f'<span class="yc-badge ok">Quorum ✓ ({progress.quorum_size} needed)</span>'
    return (
        f'<span class="yc-badge wait">Quorum: waiting for {progress.quorum_size} '
        "who voted and gave availability</span>"
    )


def render_progress(page: ui.Page) -> Progress:
    """Organizer-only progress line with the quorum badge; returns the numbers."""
    progress = results_service.progress(page.session_id, uow=page.c.uow(write=False))
    if page.is_organizer:
        html_block(
            f'<div class="yc-meta">Organizer only: {esc(progress_text(progress))} · '
            f"{quorum_badge_html(progress)}</div>"
        )
    return progress


def render_created_panel(page: ui.Page) -> None:
    """Right after creating: the share link and the private organizer link, to copy."""
    key = f"created-{page.session_id}"
    if not st.session_state.get(key) or not page.me or not page.org:
        return
    with st.container(border=True):
        st.success("Your plan is ready! Send the share link to your group chat.")
        render_copybox(
            share_link(page.base_url, page.session_id),
            key=f"{key}-share",
            name="the share link",
            label="Share link — for friends",
        )
        render_copybox(
            organizer_link(page.base_url, page.session_id, page.me, page.org),
            key=f"{key}-private",
            name="your private link",
            label="Your private link — keep this one to yourself: it lets you lock the plan",
        )
        st.button("Got it", key="created-dismiss", on_click=_dismiss, args=(key,))


def render_personal_link(page: ui.Page) -> None:
    """Every member can fetch their own link to come back on another device."""
    if not page.me:
        return
    with st.expander("Your personal link (use it on another device)"):
        if page.org:
            label = "Your private organizer link — keep it to yourself"
            link = organizer_link(page.base_url, page.session_id, page.me, page.org)
        else:
            label = "Your personal link"
            link = personal_link(page.base_url, page.session_id, page.me)
        render_copybox(link, key="my-link", name="your link", label=label)
        render_copybox(
            share_link(page.base_url, page.session_id),
            key="my-share-link",
            name="the share link",
            label="Share link for friends",
        )


def _dismiss(key: str) -> None:
    st.session_state[key] = False
