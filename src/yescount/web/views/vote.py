"""Vote: up to 30 cards for the plan's dates, search and filters, yes checkboxes that save."""

from __future__ import annotations

from datetime import date

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from yescount.domain.events import VIBE_TAGS
from yescount.domain.sessions import OverBudget
from yescount.services import voting as voting_service
from yescount.services.cards import CardsResult
from yescount.web import catalog, shapes, ui, ui_limits
from yescount.web.components.cards import cards_data, render_cards
from yescount.web.views import shell
from yescount.web.views.rules import render_edit_rules

PRICE_STEPS = 200
ANY_PRICE = PRICE_STEPS


def _filters(page: ui.Page) -> tuple[date, date, float | None, tuple[str, ...]]:
    p = page.preview
    # Labelled, in the page (the sidebar hides behind an unlabelled icon on phones).
    sb = st.expander(
        "Filters: dates, max price, vibes",
        icon="🔎",
        key=f"f-open-{page.session_id}",
        on_change="rerun",
    )
    if not ui.opened_once(sb, f"f-open-{page.session_id}"):
        # Not opened yet: the plan's defaults, and none of the widgets' browser code.
        return p.date_start, p.date_end, _default_cap(page), ()
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
    cap = _max_price(sb, page)
    plan_vibes = ", ".join(t for t in p.vibe_tags if t in VIBE_TAGS)
    vibes = sb.multiselect(
        "Only these vibes",
        VIBE_TAGS,
        default=[],
        placeholder="Any vibe",
        help=f"The plan's vibes: {plan_vibes}." if plan_vibes else None,
        key=f"f-vibes-{page.session_id}",
    )
    return start, end, cap, tuple(vibes)


def _default_cap(page: ui.Page) -> float | None:
    """The price slider's start: the budget when the rule hides cards over it, else any."""
    p = page.preview
    if p.over_budget is OverBudget.HIDE and p.budget_cap is not None:
        return float(p.budget_cap)
    return None


def _max_price(sb: DeltaGenerator, page: ui.Page) -> float | None:
    """The price slider: at and ending at the budget when the rule hides, else at any price."""
    p = page.preview
    key = f"f-price-{page.session_id}"
    if p.over_budget is OverBudget.HIDE and p.budget_cap is not None:
        top = int(p.budget_cap)
        if top < 1:
            sb.caption("Free events only: the organizer hides anything over the budget.")
            return float(p.budget_cap)
        cap = sb.slider(
            "Max price ($)", min_value=0, max_value=top, value=top, step=1 if top % 5 else 5,
            help=f"Up to the plan's ${top} budget: the organizer hides anything over it.",
            key=key,
        )  # fmt: skip
        return float(p.budget_cap) if cap >= top else float(cap)
    # The rule is "badge": cards over the budget are shown, badged, until you slide left.
    hint = (
        f"Cards over the plan's ${p.budget_cap:,.0f} budget are badged; slide left to drop them."
        if p.budget_cap is not None
        else "All the way right means any price."
    )
    cap = sb.slider(
        "Max price ($)", min_value=0, max_value=PRICE_STEPS, value=ANY_PRICE, step=5, help=hint,
        key=key,
    )  # fmt: skip
    return None if cap >= ANY_PRICE else float(cap)


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
    render_edit_rules(page)
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
