"""Any listing page, with no site-specific code: structured data, then repeated blocks."""

from __future__ import annotations

from typing import ClassVar

from yescount.ingest.sources.base import SourceAdapter


class GenericAdapter(SourceAdapter):
    """The adapter of every configured source that has no module of its own."""

    name: ClassVar[str] = "generic"


ADAPTER = GenericAdapter()
