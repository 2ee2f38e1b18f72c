"""Escaping for the HTML the UI writes itself (scraped text is never trusted)."""

from __future__ import annotations

import html
from urllib.parse import urlsplit


def esc(text: object) -> str:
    """HTML-escape any value, quotes included (safe in text and attribute positions)."""
    return html.escape(str(text), quote=True)


def safe_url(url: str | None) -> str | None:
    """The URL, escaped, when it is an absolute http(s) link; None otherwise."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return esc(url.strip())


def html_block(markup: str) -> None:
    """Render our own HTML (built with ``esc``) as one raw block, never as markdown."""
    import streamlit as st

    # A single line starting with a block tag is passed through as raw HTML, so
    # markdown syntax inside escaped text (*, _, [, `) is shown literally.
    st.markdown(" ".join(markup.splitlines()), unsafe_allow_html=True)
