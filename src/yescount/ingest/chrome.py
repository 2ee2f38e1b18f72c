"""Page furniture: is an element inside navigation, a footer, a sidebar or a related rail?

Judged by tag (``nav``, ``footer``, ``header``, ``aside``), ARIA role and the words of
its class and id ("site-nav", "newsletter-signup", "related-stories"); the page's
``main`` area stops the search, as its classes describe the layout, not furniture.
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborNode

_CHROME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|footer|breadcrumbs?|pagination|pager|share|sharing|social"
    r"|newsletter|subscribe|signup|cookie|sidebar|widget|promo|sponsor(?:ed)?|advert|ads?"
    r"|related|recommend(?:ed|ations)?|popular|trending|more-stories|comments?)(?:$|[-_\s])",
    re.IGNORECASE,
)


NAMED = 1  # inside an element whose class or id names furniture ("site-nav", "menu")
STRUCTURAL = 2  # inside a nav/footer/header/aside element or a navigation/banner role


def in_chrome(node: LexborNode, memo: dict[int, int] | None = None) -> bool:
    """Inside navigation, a footer, a sidebar, a related rail (by tag, role, class or id)."""
    return chrome_level(node, memo) > 0


def chrome_level(node: LexborNode, memo: dict[int, int] | None = None) -> int:
    """0 (content), ``NAMED`` or ``STRUCTURAL``: the strongest furniture sign between the
    element and the page's ``main`` area (the top of the page when it has none).

    A class name is weaker evidence than a tag: layout wrappers are often named
    "internal_nav_outer" or "elementor-widget" around a page's real listing.
    ``memo`` (one per document) keeps each element's answer, as siblings share ancestors.
    """
    chain: list[tuple[int, int | None]] = []
    above = 0
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        if memo is not None and current.mem_id in memo:
            above = memo[current.mem_id]
            break
        own = _own_chrome(current)
        chain.append((current.mem_id, own))
        if own is not None and own != NAMED:
            above = 0
            break
        current = current.parent
    for mem_id, own in reversed(chain):
        if own == STRUCTURAL:
            above = STRUCTURAL
        elif own == 0:
            above = 0
        elif own == NAMED:
            above = max(above, NAMED)
        if memo is not None:
            memo[mem_id] = above
    return above


def _own_chrome(node: LexborNode) -> int | None:
    """The element's own sign: ``STRUCTURAL``, ``NAMED``, 0 for the content area (``main``),
    None for nothing."""
    if node.tag in ("nav", "footer", "header", "aside"):
        return STRUCTURAL
    attrs = node.attributes
    if node.tag == "main" or attrs.get("role") == "main":
        return 0  # the page's content area: its classes describe the layout
    if (attrs.get("role") or "") in ("navigation", "contentinfo", "banner", "complementary"):
        return STRUCTURAL
    if _chrome_name(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
        return NAMED
    return None


@lru_cache(maxsize=4096)
def _chrome_name(names: str) -> bool:
    return _CHROME.search(names) is not None
