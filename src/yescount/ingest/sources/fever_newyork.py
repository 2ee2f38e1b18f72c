"""feverup.com/en/new-york — plan pages (schema.org JSON-LD) and the city listing (plan cards)."""

from __future__ import annotations

import re
from typing import ClassVar

from selectolax.lexbor import LexborHTMLParser

from yescount.ingest.cards import CardSpec, card_candidates
from yescount.ingest.models import Candidate, Page
from yescount.ingest.sources.base import SourceAdapter

PLAN_CARDS = CardSpec(
    card="a.plan-card, [data-testid='plan-card']",
    title="[data-testid='plan-card-title'], h3",
    link="a[href]",
    date="[data-testid='plan-card-dates'], .plan-card__dates",
    location="[data-testid='plan-card-venue'], .plan-card__venue",
    price="[data-testid='plan-card-price'], .plan-card__price",
    tags=".plan-card__label",
)
# Plan pages ("/m/123456") describe one plan in JSON-LD; their carousels list other plans.
_PLAN_PAGE = re.compile(r"/m/\d+")


class FeverNewYork(SourceAdapter):
    name: ClassVar[str] = "fever_newyork"

    def candidates(self, doc: LexborHTMLParser, page: Page) -> list[Candidate]:
        if _PLAN_PAGE.search(page.url):
            return []
        return card_candidates(doc, page.url, PLAN_CARDS)


ADAPTER = FeverNewYork()
