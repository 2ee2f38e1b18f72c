"""Streamlit components-v2 elements (no iframe) built from this package's JS and CSS."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any


def _asset(name: str) -> str:
    return resources.files("yescount.web.components").joinpath(name).read_text(encoding="utf-8")


@cache
def v2_component(name: str, stem: str) -> Any:
    """The element ``name`` with ``<stem>.css`` and ``<stem>.js``, registered once per process."""
    import streamlit as st

    return st.components.v2.component(
        name, css=_asset(f"{stem}.css"), js=_asset(f"{stem}.js"), isolate_styles=False
    )
