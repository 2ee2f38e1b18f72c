"""Pure pieces of the UI: escaping, links, heat-map tiers (AA contrast), join-link parsing."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser
from uuid import uuid4

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from yescount.web.components.cards import card_html
from yescount.web.components.safe import esc, safe_url
from yescount.web.schemas import CardOut
from yescount.web.theme import HEAT_TIERS, heat_tier
from yescount.web.views.landing import parse_join_input


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("_upper", "background", "text"), HEAT_TIERS)
def test_every_heat_tier_is_aa_readable(_upper: float, background: str, text: str) -> None:
    assert contrast(background, text) >= 4.5


@pytest.mark.parametrize(
    ("share", "tier"),
    [(0, 0), (0.01, 1), (0.25, 1), (0.26, 2), (0.5, 2), (0.51, 3), (0.75, 3), (0.76, 4), (1, 4)],
)
def test_heat_tier_boundaries_follow_the_ui_guide(share: float, tier: int) -> None:
    assert heat_tier(share)[0] == tier


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "//evil.example", "", None, "ftp://x/y"]
)
def test_only_absolute_http_links_are_kept(url: str | None) -> None:
    assert safe_url(url) is None


def test_links_are_escaped_in_attributes() -> None:
    assert safe_url("https://a.example/?q=1&r=2") == "https://a.example/?q=1&amp;r=2"
    # Quotes and angle brackets are not valid in a link: refused, not just escaped.
    assert safe_url('https://a.example/?q="><script>') is None
    assert safe_url("javascript:alert(1)") is None


def _card(text: str) -> CardOut:
    return CardOut(
        event_id=1,
        title=text,
        schedule_label=text,
        place=text,
        price=text,
        price_min=Decimal(1),
        tags=[text],
        summary=text,
        why=[],
        url="javascript:alert(1)",
        image_url=f"https://img.example/{text}",
        source="secretnyc",
        check_dates=False,
    )


class _Structure(HTMLParser):
    """The elements and attribute names of a fragment, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, tuple[str, ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append((tag, tuple(sorted(name for name, _ in attrs))))

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("/" + tag, ()))


def _structure(markup: str) -> list[tuple[str, tuple[str, ...]]]:
    parser = _Structure()
    parser.feed(markup)
    parser.close()
    return parser.items


@given(st.text(min_size=1, max_size=80))
@example("<")
@example("<img src=x onerror=alert(1)>")
@example('"><script>alert(1)</script>')
def test_card_html_never_lets_listing_text_become_markup(text: str) -> None:
    html = card_html(_card(text))
    assert esc(text) in html
    # Whatever the listing says, the card has exactly the elements of a plain one
    # (with a photo when the image link derived from the text is a valid link).
    plain = "plaintext" if safe_url(f"https://img.example/{text}") else "plain text"
    assert _structure(html) == _structure(card_html(_card(plain)))
    assert "javascript:" not in html


def test_join_input_accepts_links_and_bare_codes() -> None:
    sid = uuid4()
    assert parse_join_input(str(sid)) == (sid, None, None)
    link = f"https://yescount.example/?session={sid}&me=tok&org=org"
    assert parse_join_input(link) == (sid, "tok", "org")
    assert parse_join_input("hello") == (None, None, None)
    assert parse_join_input("") == (None, None, None)
