"""Vote: up to 30 cards for the plan's dates, search and filters, yes checkboxes that save."""

from __future__ import annotations

from datetime import date

import streamlit as st

from yescount.domain.events import VIBE_TAGS
from yescount.services import voting as voting_service
from yescount.services.cards import CardsResult
from yescount.web import catalog, ui, ui_limits
from yescount.web.components.cards import render_cards
from yescount.web.metrics import default_metrics
from yescount.web.views import shell

PRICE_STEPS = 200
ANY_PRICE = PRICE_STEPS


def _filters(page: ui.Page) -> tuple[date, date, float | None, tuple[str, ...]]:
    p = page.preview
    sb = st.sidebar
    friends = f"{p.participant_count} friend{'s' if p.participant_count != 1 else ''}"
    sb.markdown(f"**Plan by {p.organizer_name}** · {friends}")
    picked = sb.date_input(
        "Dates",
        value=(p.date_start, p.date_end),
        min_value=p.date_start,
        max_value=p.date_end,
        format="MM/DD/YYYY",
        key=f"f-dates-{page.session_id}",
    )
    start, end = p.date_start, p.date_end
    if isinstance(picked, tuple) and len(picked) == 2:
        start, end = picked
    cap = sb.slider(
        "Max price ($)",
        min_value=0,
        max_value=PRICE_STEPS,
        value=ANY_PRICE,
        step=5,
        help="All the way right means any price.",
        key=f"f-price-{page.session_id}",
    )
    default_vibes = [t for t in p.vibe_tags if t in VIBE_TAGS]
    vibes = sb.multiselect(
        "Vibes", VIBE_TAGS, default=default_vibes, key=f"f-vibes-{page.session_id}"
    )
    return start, end, None if cap >= ANY_PRICE else float(cap), tuple(vibes)


def _on_vote(page: ui.Page, event_id: int, key: str) -> None:
    wanted = bool(st.session_state[key])
    c = page.c
    me = page.me or ""

    def save() -> None:
        voting_service.cast_vote(page.session_id, me, event_id, wanted, uow=c.uow(), clock=c.clock)

    if ui.attempt(save, what="save your vote") is ui.FAILED:
        st.session_state[key] = not wanted  # the box goes back to what is stored
        return
    default_metrics().votes.inc()


def _cards(page: ui.Page, query: str) -> CardsResult:
    start, end, cap, vibes = _filters(page)
    if query.strip():
        ui_limits.limit(page.c, "cards_search", once=query.strip())
    with st.spinner("Finding things to do in your dates…"):
        return catalog.window_cards(page.c, start, end, q=query, max_price=cap, vibes=vibes)


def render(page: ui.Page) -> None:
    """The vote view."""
    shell.render_header(page, "vote")
    shell.render_created_panel(page)
    shell.render_progress(page)
    st.header("What do you want to do this month?")
    query = st.text_input(
        "Search events",
        placeholder="Try: cheap immersive art …",
        max_chars=500,
        key=f"q-{page.session_id}",
    )
    found = _cards(page, query)
    if found.fallback_used:
        st.info("No events in your dates yet — showing what's coming up soon.")
    if found.degraded:
        st.caption("Showing keyword matches while smart search warms up.")
    if not found.cards:
        st.info("Nothing matches yet — try fewer filters or other words.")
    me = page.me or ""
    voted = voting_service.my_votes(page.session_id, me, uow=page.c.uow(write=False))
    writable = shell.can_write(page)
    render_cards(
        [catalog.card_out(card) for card in found.cards],
        key_prefix=f"vote-{page.session_id}",
        voted=voted,
        on_vote=lambda event_id, key: _on_vote(page, event_id, key),
        disabled=not writable,
    )
    st.button(
        "Next: when are you free? →",
        type="primary",
        key="to-availability",
        on_click=ui.go,
        args=("availability",),
    )
    shell.render_personal_link(page)
