"""untappedcities.com — tours and events as cards (dates, Insider prices, waitlists)."""

from __future__ import annotations

from typing import ClassVar

from selectolax.lexbor import LexborHTMLParser

from yescount.ingest.cards import CardSpec, card_candidates
from yescount.ingest.models import Candidate, Page
from yescount.ingest.sources.base import SourceAdapter

EVENT_CARDS = CardSpec(
    card=".event-card",
    title=".event-card__title",
    link="a[href]",
    date=".event-card__date",
    summary=".event-card__excerpt",
    location=".event-card__location",
    price=".event-card__price",
    image=".event-card__image",
)


class UntappedCities(SourceAdapter):
    name: ClassVar[str] = "untappedcities"

    def candidates(self, doc: LexborHTMLParser, page: Page) -> list[Candidate]:
        return card_candidates(doc, page.url, EVENT_CARDS)


ADAPTER = UntappedCities()
