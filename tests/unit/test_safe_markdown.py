"""Markdown escaping of scraped text for Streamlit widgets (issue 8 §4)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from yescount.web.components.safe import md

RENDER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
HOSTILE = [
    "[Win](https://evil.example/p)",
    "![p](http://evil.example/pixel.png)",
    "<https://evil.example>",
    "**bold** _it_ `code` ~~gone~~",
    "# Heading\n- list\n> quote",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[ref]\n\n[ref]: https://evil.example",
    "&#91;x&#93;&#40;https://evil.example&#41;",
]


def _rendered(text: str) -> str:
    return str(RENDER.render(md(text)))


def test_links_and_images_stay_text() -> None:
    for text in HOSTILE:
        html = _rendered(text)
        for tag in ("<a", "<img", "<strong", "<em", "<code", "<h1", "<li", "<table", "<del"):
            assert tag not in html, (text, html)


def test_the_visible_text_is_the_original() -> None:
    html = _rendered("[Win](https://evil.example/p) José's 50% off!")
    assert "[Win](https://evil.example/p) José's 50% off!" in html.replace("&quot;", '"').replace(
        "&#x27;", "'"
    )


def test_streamlit_directives_and_autolinks_are_broken() -> None:
    escaped = md(":red[alert] $x^2$ www.evil.example https://evil.example")
    assert escaped == (r"\:red\[alert\] \$x\^2\$ www\.evil\.example https\://evil\.example")


@given(st.text(max_size=200))
def test_any_text_renders_without_markup(text: str) -> None:
    html = _rendered(text)
    assert "<a " not in html
    assert "<img" not in html
    assert html.count("<p>") <= 1  # newlines never open new blocks
