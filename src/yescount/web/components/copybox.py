"""A copy-box: a labelled read-only text field with a Copy button (instead of ``st.code``).

``st.code`` pulls a ~1.5 MB code highlighter into the page for what is only a link or
an invite. This Streamlit components-v2 element (no iframe) is a few hundred bytes of
JS: the text is set as the field's value and the label as text, never as markup, so a
scraped title in an invite cannot inject anything. The field is focusable and selects
itself on focus (a manual Ctrl/⌘ + C works); the button copies and says so in a live
region.
"""

from __future__ import annotations

from yescount.web.components.mounted import v2_component

NAME = "yc_copybox"


def copy_data(text: str, *, name: str, label: str = "") -> dict[str, str]:
    """What the browser gets: the text, a visible label (optional), the thing's name."""
    return {"text": text, "label": label, "name": name}


def render_copybox(text: str, *, key: str, name: str, label: str = "") -> None:
    """Mount a copy-box; ``name`` ("the invite", "your link") names the field and button."""
    v2_component(NAME, "copybox")(
        key=key, data=copy_data(text, name=name, label=label), height="content"
    )
