"""An immersive-experiences list page (blog post): one ``h3`` item per experience."""

from __future__ import annotations

from typing import ClassVar

from selectolax.lexbor import LexborHTMLParser

from yescount.ingest.listicle import listicle_candidates
from yescount.ingest.models import Candidate, Page
from yescount.ingest.sources.base import SourceAdapter


class AnisahImmersive(SourceAdapter):
    name: ClassVar[str] = "anisah_immersive"

    def candidates(self, doc: LexborHTMLParser, page: Page) -> list[Candidate]:
        return listicle_candidates(
            doc, page.url, container=".post-body, .entry-content, article", heading="h3"
        )


ADAPTER = AnisahImmersive()
