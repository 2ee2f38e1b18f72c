"""Invite text with a copy button and a manual-copy fallback, plus the .ics download."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def render_invite(text: str, calendar: Callable[[], bytes], *, key: str, filename: str) -> None:
    """The invite in a code block (its copy button), a select-all fallback, a calendar file."""
    st.code(text, language=None, wrap_lines=True)
    st.caption("Copy it with the button at the top right of the box.")
    with st.expander("Copy button not working? Copy it by hand"):
        st.text_area(
            "Invite text — select all (Ctrl/⌘ + A), then copy (Ctrl/⌘ + C)",
            text,
            key=f"{key}-manual",
            height=160,
        )
    # The file is only built when someone clicks (deferred download data).
    st.download_button(
        "📅 Add to calendar (.ics)",
        data=calendar,
        file_name=filename,
        mime="text/calendar",
        key=f"{key}-ics",
        on_click="ignore",
    )
