"""JSON as pages really ship it: strict first, then what browsers and CMSs tolerate.

Tolerated: CDATA and HTML-comment wrappers, JavaScript comments, trailing
commas, single quotes and bare keys (via ``chompjs``, a parser made for
JavaScript objects in scraped pages), HTML-escaped blocks (``&quot;``), raw
control characters inside strings, and several values in one block. Bounded:
text over ``max_chars`` is not parsed and nesting too deep for the decoder
yields nothing, so a hostile blob costs only itself.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import chompjs

MAX_CHARS = 8_000_000
_OPENING = re.compile(r"^\s*(?:/[/*]\s*)?(?:<!\[CDATA\[|<!--)(?:\s*\*/)?")
_CLOSING = re.compile(r"(?:/[/*]\s*)?(?:\]\]>|-->)(?:\s*\*/)?\s*$")
_ESCAPED = re.compile(r"&(?:quot|#34|#x22|amp|lt|gt|#39|apos);")


def loads(text: str, *, max_chars: int = MAX_CHARS) -> list[Any]:
    """Every JSON value in ``text`` (a list; empty when nothing can be read)."""
    if not text or len(text) > max_chars:
        return []
    body = _unwrap(text)
    if '"' not in body and _ESCAPED.search(body):
        body = html.unescape(body)  # the whole block went through an HTML escaper
    if not body:
        return []
    return _strict(body) or _tolerant(body) or []


def _unwrap(text: str) -> str:
    """Without CDATA / HTML-comment wrappers (looked for only at the two ends)."""
    body = text.strip()
    head = _OPENING.match(body[:64])
    if head:
        body = body[head.end() :]
    tail = _CLOSING.search(body[-64:])
    if tail:
        body = body[: len(body) - 64 + tail.start()] if len(body) > 64 else body[: tail.start()]
    return body.strip()


def _strict(body: str) -> list[Any] | None:
    try:
        return [json.loads(body, strict=False)]
    except (ValueError, RecursionError):
        return None


def _tolerant(body: str) -> list[Any] | None:
    """JavaScript-style literals, or several values one after the other."""
    try:
        values: list[Any] = list(chompjs.parse_js_objects(body, loader_kwargs={"strict": False}))
    except (ValueError, RecursionError, TypeError, IndexError):
        return None
    return [v for v in values if isinstance(v, (dict, list))] or None


def decode_js_string(literal: str) -> str | None:
    """The text of a JavaScript string literal (``"…"`` or ``'…'``), or None."""
    if len(literal) < 2 or literal[0] not in "\"'" or literal[-1] != literal[0]:
        return None
    if literal[0] == "'":
        inner = literal[1:-1].replace('\\"', '"').replace("\\'", "'").replace('"', '\\"')
        literal = f'"{inner}"'
    try:
        value = json.loads(literal, strict=False)
    except ValueError:
        return None
    return value if isinstance(value, str) else None
