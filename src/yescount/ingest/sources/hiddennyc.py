"""hiddennyc.net — editorial picks (``h3`` sections) and an events list (cards)."""

from __future__ import annotations

from typing import ClassVar

from selectolax.lexbor import LexborHTMLParser

from yescount.ingest.cards import CardSpec, card_candidates
from yescount.ingest.listicle import listicle_candidates
from yescount.ingest.models import Candidate, Page
from yescount.ingest.sources.base import SourceAdapter

EVENT_LIST = CardSpec(
    card="li.event, .event-list .event, li.event-item",
    title=".event-title, h4",
    link=".event-title a[href], h4 a[href], a[href]",
    date=".event-date, .event-when",
    summary=".event-summary, .event-desc",
    location=".event-venue, .event-where",
    price=".event-price",
)


class HiddenNYC(SourceAdapter):
    name: ClassVar[str] = "hiddennyc"

    def candidates(self, doc: LexborHTMLParser, page: Page) -> list[Candidate]:
        cards = card_candidates(doc, page.url, EVENT_LIST)
        if cards:
            return cards
        return listicle_candidates(
            doc, page.url, container=".entry-content, .post-body", heading="h3"
        )


ADAPTER = HiddenNYC()
