"""A copy-box: a labelled read-only text field with a Copy button (instead of ``st.code``).

``st.code`` pulls a ~1.5 MB code highlighter into the page for what is only a link or
an invite. This Streamlit components-v2 element (no iframe) is a few hundred bytes of
JS: the text is set as the field's value and the label as text, never as markup, so a
scraped title in an invite cannot inject anything. The field is focusable and selects
itself on focus (a manual Ctrl/⌘ + C works); the button copies and says so in a live
region.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

NAME = "yc_copybox"


@cache
def _asset(name: str) -> str:
    return resources.files("yescount.web.components").joinpath(name).read_text(encoding="utf-8")


@cache
def _component() -> Any:
    import streamlit as st

    return st.components.v2.component(
        NAME, css=_asset("copybox.css"), js=_asset("copybox.js"), isolate_styles=False
    )


def copy_data(text: str, *, name: str, label: str = "") -> dict[str, str]:
    """What the browser gets: the text, a visible label (optional), the thing's name."""
    return {"text": text, "label": label, "name": name}


def render_copybox(text: str, *, key: str, name: str, label: str = "") -> None:
    """Mount a copy-box; ``name`` ("the invite", "your link") names the field and button."""
    _component()(key=key, data=copy_data(text, name=name, label=label), height="content")
