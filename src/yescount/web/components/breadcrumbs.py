"""Breadcrumbs: Vote, Availability, Results — each step a keyboard-reachable button."""

from __future__ import annotations

import streamlit as st

from yescount.web.ui import VIEWS, go

LABELS = {"vote": "1 · Vote", "availability": "2 · Availability", "results": "3 · Results"}


def render_breadcrumbs(current: str, *, allowed: tuple[str, ...] = VIEWS) -> None:
    """One button per step; the current step is highlighted."""
    with st.container(key="yc-crumbs", horizontal=True, gap="small", vertical_alignment="center"):
        for index, view in enumerate(VIEWS):
            if view not in allowed:
                continue
            st.button(
                LABELS[view],
                key=f"crumb-{view}",
                type="primary" if view == current else "tertiary",
                on_click=go,
                args=(view,),
                help="You are here" if view == current else f"Go to {view}",
            )
            if index < len(VIEWS) - 1 and VIEWS[index + 1] in allowed:
                st.markdown("›")  # noqa: RUF001
