"""The adapter ports: vector index, embedder (and its ``Vectors``), page source, copywriter.

They are defined next to their implementations' shared code (``search.index``,
``search.embedder``, ``ingest.pages``, ``llm.copy``: pure modules, no driver or model
import at load time) and named here so services depend on ``ports`` only.
"""

from __future__ import annotations

from yescount.ingest.pages import PageSource
from yescount.llm.copy import Copywriter
from yescount.search.embedder import Embedder, Vectors
from yescount.search.index import VectorIndex

__all__ = ["Copywriter", "Embedder", "PageSource", "VectorIndex", "Vectors"]
