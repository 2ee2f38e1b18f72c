"""JSON as pages really ship it: strict first, then what browsers and CMSs tolerate.

Tolerated: CDATA and HTML-comment wrappers, JavaScript comments, trailing
commas, single-quoted strings, bare keys, ``undefined``, HTML-escaped blocks
(``&quot;``), raw control characters inside strings, and several values in one
block. The repair is one regular-expression pass that only rewrites tokens
outside strings, then the standard library's decoder reads the result (pure
Python: a C parser for JavaScript objects, chompjs 1.4.1, was tried and read
past the end of truncated input, returning garbage from memory). Bounded by a
per-page ``Budget`` (characters decoded, characters and pieces repaired), and
nesting too deep for the decoder yields nothing.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

MAX_CHARS = 8_000_000
MAX_VALUES = 200
_DECODER = json.JSONDecoder(strict=False)
# What the repair looks at outside strings; strings are skipped whole (possessive
# patterns: an unterminated string ends the repair instead of backtracking).
_OUTSIDE = re.compile(
    r"[\"']|//|/\*|,(?=\s*+[}\]])|(?<![\w$.])[A-Za-z_$][\w$]*+(?=\s*+:)|\bundefined\b"
)
_STRING_END = {
    '"': re.compile(r'(?:[^"\\]++|\\.)*+"', re.DOTALL),
    "'": re.compile(r"(?:[^'\\]++|\\.)*+'", re.DOTALL),
}
_BETWEEN = re.compile(r"[\s,;]*")
_OPENING = re.compile(r"^\s*(?:/[/*]\s*)?(?:<!\[CDATA\[|<!--)(?:\s*\*/)?")
_CLOSING = re.compile(r"(?:/[/*]\s*)?(?:\]\]>|-->)(?:\s*\*/)?\s*$")
_ESCAPED = re.compile(r"&(?:quot|#34|#x22|amp|lt|gt|#39|apos);")


@dataclass(slots=True)
class Budget:
    """What one page may spend on JSON: characters decoded, and characters repaired
    (the repair is Python-level work, so it gets the smaller share)."""

    parse_chars: int = 16_000_000
    repair_chars: int = 1_000_000
    repairs: int = 20_000  # rewritten pieces (strings, keys, comments) over the page


def loads(text: str, budget: Budget | None = None) -> list[Any]:
    """Every JSON value in ``text`` (a list; empty when nothing can be read)."""
    spend = budget if budget is not None else Budget()
    if not text or len(text) > min(MAX_CHARS, spend.parse_chars):
        return []
    spend.parse_chars -= len(text)
    body = _unwrap(text)
    if '"' not in body and _ESCAPED.search(body):
        body = html.unescape(body)  # the whole block went through an HTML escaper
    if not body:
        return []
    found = _strict(body)
    if found is None and len(body) <= spend.repair_chars:
        spend.repair_chars -= len(body)
        found = _tolerant(body, spend)
    return found or []


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


def _tolerant(body: str, budget: Budget) -> list[Any] | None:
    """JavaScript-style literals, or several values one after the other."""
    repaired = _repair(body, budget)
    if repaired is None:
        return None
    values: list[Any] = []
    position = _BETWEEN.match(repaired).end()  # type: ignore[union-attr]
    while position < len(repaired) and len(values) < MAX_VALUES:
        try:
            value, position = _DECODER.raw_decode(repaired, position)
        except (ValueError, RecursionError):
            break
        values.append(value)
        position = _BETWEEN.match(repaired, position).end()  # type: ignore[union-attr]
    return [v for v in values if isinstance(v, (dict, list))] or None


def _repair(body: str, budget: Budget) -> str | None:
    """JSON from a JavaScript literal: comments and trailing commas out, single-quoted
    strings and bare keys quoted, ``undefined`` → ``null``. None when a string or a
    comment never ends, or when the page's budget of pieces runs out."""
    out: list[str] = []
    position = 0
    while budget.repairs > 0:
        budget.repairs -= 1
        match = _OUTSIDE.search(body, position)
        if match is None:
            out.append(body[position:])
            return "".join(out)
        out.append(body[position : match.start()])
        piece, position = match.group(0), match.end()
        if piece in _STRING_END:
            end = _STRING_END[piece].match(body, position)
            if end is None:
                return None
            inner = body[position : end.end() - 1]
            out.append(f'"{inner}"' if piece == '"' else json.dumps(_single_quoted(inner)))
            position = end.end()
        elif piece == "//":
            line_end = body.find("\n", position)
            position = len(body) if line_end < 0 else line_end
        elif piece == "/*":
            close = body.find("*/", position)
            if close < 0:
                return None
            position = close + 2
        elif piece == "undefined":
            out.append("null")
        elif piece != ",":
            out.append(json.dumps(piece))  # a bare key
    return None


def _single_quoted(inner: str) -> str:
    """The text of a single-quoted JavaScript string (its escapes read as JSON's)."""
    as_json = inner.replace('\\"', '"').replace("\\'", "'").replace('"', '\\"')
    try:
        value = json.loads(f'"{as_json}"', strict=False)
    except ValueError:
        return inner
    return value if isinstance(value, str) else inner


def decode_js_string(literal: str) -> str | None:
    """The text of a JavaScript string literal (``"…"`` or ``'…'``), or None."""
    if len(literal) < 2 or literal[0] not in "\"'" or literal[-1] != literal[0]:
        return None
    if literal[0] == "'":
        return _single_quoted(literal[1:-1])
    try:
        value = json.loads(literal, strict=False)
    except ValueError:
        return None
    return value if isinstance(value, str) else None
