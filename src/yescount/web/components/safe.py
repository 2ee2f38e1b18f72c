"""Escaping for what the UI writes (scraped text is never trusted).

``esc`` for HTML the UI writes itself; ``md`` for text given to Streamlit widgets that
render Markdown (``help=`` tooltips, labels, captions, toasts, alerts), where a title
like ``[Win](https://evil.example/p)`` would otherwise become a link and ``![p](…)``
load an image on hover.
"""

from __future__ import annotations

import html
import re

from yescount.domain.urls import http_url


def esc(text: object) -> str:
    """HTML-escape any value, quotes included (safe in text and attribute positions)."""
    return html.escape(str(text), quote=True)


# Every ASCII punctuation mark CommonMark lets a backslash escape that Streamlit's
# Markdown gives a meaning to: emphasis, links/images, code, headings, lists, tables,
# HTML, math ($), emoji and colour directives (:red[…]) and autolinks (: and .).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&\"'])")


def md(text: object) -> str:
    """Markdown-escape a value for a widget that renders Markdown; it shows literally.

    Newlines collapse to spaces, so no text can open a block (heading, list, quote).
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def safe_url(url: str | None) -> str | None:
    """The URL, escaped, when it is an absolute http(s) link; None otherwise."""
    checked = http_url(url)
    return esc(checked) if checked else None


def html_block(markup: str) -> None:
    """Render our own HTML (built with ``esc``) as one raw block, never as markdown.

    ``st.html``, not ``st.markdown(unsafe_allow_html=True)``: the browser sanitizes it
    (DOMPurify, no scripts) and shows it as it is, where markdown first loads a 190 KB
    HTML re-parser and runs every block through it; the first visit of each view was
    ~0.1-0.3 s slower for it (benchmarks/ui_browser.py).
    """
    import streamlit as st

    st.html(markup)
