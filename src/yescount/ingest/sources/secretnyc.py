"""secretnyc.co — listicle articles: each ``h2`` section is one event, the headline is not."""

from __future__ import annotations

from typing import ClassVar

from selectolax.lexbor import LexborHTMLParser

from yescount.ingest.listicle import listicle_candidates
from yescount.ingest.models import Candidate, Page
from yescount.ingest.sources.base import SourceAdapter


class SecretNYC(SourceAdapter):
    name: ClassVar[str] = "secretnyc"

    def candidates(self, doc: LexborHTMLParser, page: Page) -> list[Candidate]:
        return listicle_candidates(
            doc,
            page.url,
            container="div.entry-content, article .post-content, article",
            heading="h2",
        )


ADAPTER = SecretNYC()
