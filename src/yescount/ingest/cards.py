"""Card grids and listing pages: one candidate per card, read with CSS selectors."""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from yescount.ingest.html import absolute, image_of, lines_of, text_of
from yescount.ingest.listicle import DATE_LABEL, PRICE_LABEL, WHERE_LABEL, labelled, split_fields
from yescount.ingest.models import Candidate

EVIDENCE_MAX = 1500


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


def _first_text(card: LexborNode, selector: str | None) -> str | None:
    if not selector:
        return None
    node = card.css_first(selector)
    value = text_of(node)
    return value or None


def _date_fields(card: LexborNode, selector: str | None) -> tuple[str | None, str | None]:
    """Date text, plus a ``datetime`` value when the date is one ``<time>`` element."""
    if not selector:
        return None, None
    node = card.css_first(selector)
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
    for card in doc.css(spec.card):
        title = _first_text(card, spec.title)
        if not title:
            continue
        link_node = card if card.tag == "a" else (card.css_first(spec.link) if spec.link else None)
        link = absolute(link_node.attributes.get("href"), page_url) if link_node else None
        lines = split_fields(lines_of([card]))
        date_text, datetime_value = _date_fields(card, spec.date)
        image_node = card.css_first(spec.image) if spec.image else None
        found.append(
            Candidate(
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
                keywords=tuple(text_of(t) for t in card.css(spec.tags)) if spec.tags else (),
                flags={"lines": lines},
            )
        )
    return found
