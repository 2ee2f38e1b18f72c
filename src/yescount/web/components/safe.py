"""Escaping for the HTML the UI writes itself (scraped text is never trusted)."""

from __future__ import annotations

import html

from yescount.domain.urls import http_url


def esc(text: object) -> str:
    """HTML-escape any value, quotes included (safe in text and attribute positions)."""
    return html.escape(str(text), quote=True)


def safe_url(url: str | None) -> str | None:
    """The URL, escaped, when it is an absolute http(s) link; None otherwise."""
    checked = http_url(url)
    return esc(checked) if checked else None


def html_block(markup: str) -> None:
    """Render our own HTML (built with ``esc``) as one raw block, never as markdown."""
    import streamlit as st

    # A single line starting with a block tag is passed through as raw HTML, so
    # markdown syntax inside escaped text (*, _, [, `) is shown literally.
    st.markdown(" ".join(markup.splitlines()), unsafe_allow_html=True)
