"""Invite text in a copy-box (a Copy button; the text selects itself), plus the .ics download."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from yescount.web.components.copybox import render_copybox


def render_invite(text: str, calendar: Callable[[], bytes], *, key: str, filename: str) -> None:
    """The invite to copy (button, or select and copy by hand) and a calendar file."""
    render_copybox(text, key=f"{key}-text", name="the invite text", label="Invite text")
    # The file is only built when someone clicks (deferred download data).
    st.download_button(
        "📅 Add to calendar (.ics)",
        data=calendar,
        file_name=filename,
        mime="text/calendar",
        key=f"{key}-ics",
        on_click="ignore",
    )
