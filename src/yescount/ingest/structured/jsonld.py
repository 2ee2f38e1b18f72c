"""JSON-LD script blocks, each read on its own: a broken block costs only that block."""

from __future__ import annotations

from typing import Any

from selectolax.lexbor import LexborHTMLParser

from yescount.ingest.structured import lenient

MAX_BLOCKS = 200


def script_blocks(doc: LexborHTMLParser, *types: str) -> list[str]:
    """Raw text of the ``<script>`` elements whose ``type`` is one of ``types``."""
    found: list[str] = []
    for node in doc.css("script[type]"):
        kind = (node.attributes.get("type") or "").split(";", 1)[0].strip().lower()
        if kind in types:
            found.append(node.text(deep=True) or "")
            if len(found) >= MAX_BLOCKS:
                break
    return found


def jsonld_items(
    doc: LexborHTMLParser, budget: lenient.Budget | None = None
) -> list[dict[str, Any]]:
    """Every top-level JSON-LD object of the page, tagged ``_syntax: json-ld``."""
    items: list[dict[str, Any]] = []
    spend = budget if budget is not None else lenient.Budget()
    for block in script_blocks(doc, "application/ld+json"):
        for value in lenient.loads(block, spend):
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    items.append({**item, "_syntax": "json-ld"})
    return items
