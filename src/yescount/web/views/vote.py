"""Vote: up to 30 cards for the plan's dates, search and filters, yes checkboxes that save."""

from __future__ import annotations

from datetime import date

import streamlit as st

from yescount.domain.events import VIBE_TAGS
from yescount.services import voting as voting_service
from yescount.services.cards import CardsResult
from yescount.web import catalog, shapes, ui, ui_limits
from yescount.web.components.cards import cards_data, render_cards
from yescount.web.views import shell

PRICE_STEPS = 200
ANY_PRICE = PRICE_STEPS


def _filters(page: ui.Page) -> tuple[date, date, float | None, tuple[str, ...]]:
    p = page.preview
    # Labelled, in the page (the sidebar hides behind an unlabelled icon on phones).
    sb = st.expander("Filters: dates, max price, vibes", icon="🔎")
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
    budget = int(p.budget_cap) if p.budget_cap is not None else ANY_PRICE
    cap = sb.slider(
        "Max price ($)",
        min_value=0,
        max_value=PRICE_STEPS,
        value=min(budget, ANY_PRICE),
        step=5,
        help="Starts at the plan's budget. All the way right means any price.",
        key=f"f-price-{page.session_id}",
    )
    plan_vibes = ", ".join(t for t in p.vibe_tags if t in VIBE_TAGS)
    vibes = sb.multiselect(
        "Only these vibes",
        VIBE_TAGS,
        default=[],
        placeholder="Any vibe",
        help=f"The plan's vibes: {plan_vibes}." if plan_vibes else None,
        key=f"f-vibes-{page.session_id}",
    )
    return start, end, None if cap >= ANY_PRICE else float(cap), tuple(vibes)


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
    data = cards_data(
        [shapes.card_out(card) for card in found.cards],
        voted=voted,
        budget=page.preview.budget_cap,
        writable=shell.can_write(page),
        session_id=page.session_id,
        token=me,
    )
    render_cards(data, key=f"votes-{page.session_id}")
    with st.container(key="yc-next"):
        st.button(
            "Next: when are you free? →",
            type="primary",
            key="to-availability",
            on_click=ui.go,
            args=("availability",),
        )
    shell.render_personal_link(page)
