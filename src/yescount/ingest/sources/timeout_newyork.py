"""timeout.com/newyork — things-to-do tiles, event pages (JSON-LD) and microdata listings."""

from __future__ import annotations

from typing import ClassVar

from selectolax.lexbor import LexborHTMLParser

from yescount.ingest.cards import CardSpec, card_candidates
from yescount.ingest.models import Candidate, Page
from yescount.ingest.sources.base import SourceAdapter

TILES = CardSpec(
    card="article.tile",
    title="h3",
    link="a[href]",
    date="[data-testid='date-range'], ._date, time",
    summary="._summary",
    location="._venue, [data-testid='venue']",
    price="._price, [data-testid='price']",
    tags="._tag",
)


class TimeOutNewYork(SourceAdapter):
    name: ClassVar[str] = "timeout_newyork"

    def candidates(self, doc: LexborHTMLParser, page: Page) -> list[Candidate]:
        return card_candidates(doc, page.url, TILES)


ADAPTER = TimeOutNewYork()
