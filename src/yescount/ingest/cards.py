"""Card grids and listing pages: one candidate per card, read with CSS selectors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from yescount.ingest.html import absolute, image_of, lines_of, text_of
from yescount.ingest.listicle import DATE_LABEL, PRICE_LABEL, WHERE_LABEL, labelled, split_fields
from yescount.ingest.models import Candidate

EVIDENCE_MAX = 1500
_PROMOTED = re.compile(r"^\s*(?:sponsored|promoted|advertisement|partner content|ad)\s*$", re.I)


@dataclass(frozen=True, slots=True)
class CardSpec:
    """Selectors of one site's cards (relative to the card element)."""

    card: str
    title: str
    link: str | None = "a[href]"
    date: str | None = None
    summary: str | None = None
    location: str | None = None
    price: str | None = None
    image: str | None = "img, picture source"
    tags: str | None = None


def first(card: LexborNode, selector: str | None, *, with_text: bool = False) -> LexborNode | None:
    """The first match of the first comma-separated selector that matches (priority order).

    ``with_text`` skips empty elements, such as the empty ``<a>`` copies a parser
    leaves behind when a page forgets to close a link.
    """
    if not selector:
        return None
    for part in selector.split(","):
        for node in card.css(part.strip()):
            if not with_text or text_of(node):
                return node
    return None


def _first_text(card: LexborNode, selector: str | None) -> str | None:
    value = text_of(first(card, selector))
    return value or None


def _cards(doc: LexborHTMLParser, selector: str) -> list[LexborNode]:
    """Matching elements once each, in document order (a selector list repeats nodes)."""
    seen: set[int] = set()
    found = []
    for node in doc.css(selector):
        if node.mem_id not in seen:
            seen.add(node.mem_id)
            found.append(node)
    return found


def _date_fields(card: LexborNode, selector: str | None) -> tuple[str | None, str | None]:
    """Date text, plus a ``datetime`` value when the date is one ``<time>`` element."""
    if not selector:
        return None, None
    node = first(card, selector)
    if node is None:
        return None, None
    text = text_of(node) or None
    times = [node] if node.tag == "time" else node.css("time[datetime]")
    if len(times) == 1 and times[0].attributes.get("datetime"):
        return text, times[0].attributes.get("datetime")
    return text, None


def card_candidates(
    doc: LexborHTMLParser, page_url: str, spec: CardSpec, *, method: str = "cards"
) -> list[Candidate]:
    """Candidates from every card matching ``spec.card``."""
    found = []
    for card in _cards(doc, spec.card):
        title = _first_text(card, spec.title)
        if not title:
            continue
        link_node = card if card.tag == "a" else first(card, spec.link, with_text=True)
        link = absolute(link_node.attributes.get("href"), page_url) if link_node else None
        lines = split_fields(lines_of([card]))
        date_text, datetime_value = _date_fields(card, spec.date)
        image_node = first(card, spec.image)
        keywords = tuple(text_of(t) for t in card.css(spec.tags)) if spec.tags else ()
        candidate = Candidate(
            title=title,
            page_url=page_url,
            extraction_method=method,
            url=link,
            description=_first_text(card, spec.summary) or "",
            date_text=date_text or labelled(lines, DATE_LABEL),
            start_value=datetime_value,
            location=_first_text(card, spec.location) or labelled(lines, WHERE_LABEL),
            price_text=_first_text(card, spec.price) or labelled(lines, PRICE_LABEL),
            image_url=image_of(image_node, page_url) if image_node else None,
            source_id_hint=link,
            evidence="\n".join(lines)[:EVIDENCE_MAX],
            keywords=keywords,
            flags={"lines": lines},
        )
        if any(_PROMOTED.search(k) for k in keywords) or _PROMOTED.search(
            lines[0] if lines else ""
        ):
            candidate.flags["advert"] = True
        found.append(candidate)
    return found
