"""Friendly pages for links that lead nowhere and for problems on our side."""

from __future__ import annotations

import streamlit as st

from yescount.errors import YesCountError
from yescount.web import ui
from yescount.web.components.hero import render_hero


def _to_landing() -> None:
    st.query_params.clear()


def _create_own() -> None:
    st.button("Create your own plan", type="primary", key="err-own", on_click=_to_landing)


def render_not_found() -> None:
    """Unknown or malformed plan id."""
    render_hero("We can't find that plan", "Less texting. More going.", compact=True)
    st.markdown(
        "The link may be incomplete or mistyped. Ask the friend who sent it for the full link "
        "— or start a plan of your own in a minute."
    )
    _create_own()


def render_unavailable(exc: YesCountError) -> None:
    """The database is unreachable: nothing is lost, try again shortly."""
    render_hero("We'll be right back", "Less texting. More going.", compact=True)
    st.warning(f"YesCount can't reach its database right now. {ui.friendly(exc)}")
    st.button("Try again", key="err-retry")


def render_problem(exc: YesCountError) -> None:
    """Any other known error while showing a page."""
    render_hero("Something went wrong", "Less texting. More going.", compact=True)
    st.warning(ui.friendly(exc))
    _create_own()


def render_crash(context_id: str) -> None:
    """An unexpected failure: a friendly page with the id to quote (the traceback is logged)."""
    render_hero("Something went wrong", "Less texting. More going.", compact=True)
    st.warning(
        "Something went wrong on our side. Please try again in a moment; if it keeps "
        f"happening, quote this reference: {context_id}"
    )
    _create_own()
