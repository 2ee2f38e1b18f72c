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


def in_chrome(node: LexborNode, memo: dict[int, bool] | None = None) -> bool:
    """Inside navigation, a footer, a sidebar, a related rail (by tag, role, class or id).

    ``memo`` (one per document) keeps each element's answer, as siblings share ancestors.
    """
    walked: list[int] = []
    found = False
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        if memo is not None and current.mem_id in memo:
            found = memo[current.mem_id]
            break
        walked.append(current.mem_id)
        verdict = _own_chrome(current)
        if verdict is not None:
            found = verdict
            break
        current = current.parent
    if memo is not None:
        memo.update(dict.fromkeys(walked, found))
    return found


def _own_chrome(node: LexborNode) -> bool | None:
    """True for page furniture, False for the content area, None to ask the parent."""
    if node.tag in ("nav", "footer", "header", "aside"):
        return True
    attrs = node.attributes
    if node.tag == "main" or attrs.get("role") == "main":
        return False  # the page's content area: its classes describe the layout
    if (attrs.get("role") or "") in ("navigation", "contentinfo", "banner", "complementary"):
        return True
    if _chrome_name(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
        return True
    return None


@lru_cache(maxsize=4096)
def _chrome_name(names: str) -> bool:
    return _CHROME.search(names) is not None
