"""The branded hero: a violet → magenta → sky gradient drawn in CSS with an SVG mark."""

from __future__ import annotations

from urllib.parse import quote

import streamlit as st

from yescount.web.components.safe import esc

TAGLINE = "Less texting. More going."

# Decorative only: a speech bubble with a tick, in white. Drawn by the stylesheet
# (MARK_CSS) as a background: ``st.html`` keeps HTML only, never inline SVG.
_MARK = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
    '<circle cx="48" cy="44" r="34" fill="rgba(255,255,255,.18)"/>'
    '<path d="M30 74 L36 60 A30 30 0 1 1 52 73 Z" fill="rgba(255,255,255,.28)"/>'
    '<path d="M33 45 L44 56 L64 33" stroke="#FFFFFF" stroke-width="7" fill="none" '
    'stroke-linecap="round" stroke-linejoin="round"/></svg>'
)


MARK_CSS = f'url("data:image/svg+xml,{quote(_MARK)}")'


def hero_html(title: str = "YesCount", subtitle: str = TAGLINE, *, compact: bool = False) -> str:
    """The hero block as HTML (title and subtitle escaped); the full one shows the mark."""
    size = " compact" if compact else " marked"
    return f'<header class="yc-hero{size}"><h1>{esc(title)}</h1><p>{esc(subtitle)}</p></header>'


def render_hero(title: str = "YesCount", subtitle: str = TAGLINE, *, compact: bool = False) -> None:
    st.html(hero_html(title, subtitle, compact=compact))
