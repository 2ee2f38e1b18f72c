"""Event data embedded in a page's JSON state: the blobs single-page apps render from.

Read: ``<script type="application/json">`` blocks (Next.js ``__NEXT_DATA__``
and any other), Nuxt 3 ``__NUXT_DATA__`` (devalue's flat array, hydrated),
``window.__NAME__ = {…}`` / ``JSON.parse("…")`` assignments (Apollo, Redux,
``__INITIAL_STATE__``, a Nuxt 2 ``__NUXT__`` literal — not its function form)
and Next.js App Router flight data (``self.__next_f.push``). A blob is parsed
only when a date-like key occurs in it, and the whole page parses at most
``MAX_TOTAL_CHARS`` of JSON, so a 5 MB state blob without events costs one
regular-expression scan.
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from yescount.ingest.structured import lenient
from yescount.ingest.structured.eventlike import MAX_EVENTS, MAX_NODES, find_events

MAX_TOTAL_CHARS = 16_000_000
MAX_DEPTH = 100
_JSON_TYPES = frozenset({"application/json", "text/json", "application/x-json"})
_JS_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
_KEY_WORDS = tuple(
    form for word in ("start", "begin", "date", "when", "event")
    for form in (word, word.capitalize(), word.upper())
)  # fmt: skip
_KEY_TAIL = re.compile(r"\w{0,24}[\"']?\s*:")
_MAX_HINT_PROBES = 20_000
_ASSIGNMENT = re.compile(
    r"(?:window|self|globalThis)\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*[\"']([^\"']{1,80})[\"']\s*\])"
    r"\s*=\s*(?=[{\[]|JSON\.parse\()"
)
_JSON_PARSE = re.compile(r"JSON\.parse\(\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')\s*\)")
_FLIGHT_PUSH = re.compile(r"self\.__next_f\.push\(\[\s*1\s*,\s*(\"(?:[^\"\\]|\\.)*\")\s*\]\)")
_FLIGHT_ROW = re.compile(r"^[0-9a-fA-F]{1,8}:(?=[\[{])", re.MULTILINE)
_DEVALUE_WRAPPERS = frozenset({"Reactive", "ShallowReactive", "Ref", "ShallowRef", "Object"})


def embedded_events(doc: LexborHTMLParser) -> list[dict[str, Any]]:
    """Event-like objects of every JSON state blob of the page (schema.org-shaped dicts)."""
    budget = [MAX_TOTAL_CHARS]
    events: list[dict[str, Any]] = []
    flight: list[str] = []
    for node in doc.css("script"):
        kind = (node.attributes.get("type") or "").split(";", 1)[0].strip().lower()
        body = node.text(deep=True) or ""
        if kind in _JSON_TYPES:
            for value in _parse(body, budget):
                events += find_events(_devalue(value) if _is_devalue(node, value) else value)
        elif kind in _JS_TYPES and body:
            flight += [m.group(1) for m in _FLIGHT_PUSH.finditer(body)]
            for blob in _assignments(body):
                for value in _parse(blob, budget):
                    events += find_events(value)
        if len(events) >= MAX_EVENTS:
            break
    if flight and len(events) < MAX_EVENTS:
        events += _flight_events(flight, budget)
    return events[:MAX_EVENTS]


def _parse(blob: str, budget: list[int]) -> list[Any]:
    """JSON values of a blob, when it may hold dates and the page's budget allows."""
    if not blob or len(blob) > min(budget[0], lenient.MAX_CHARS) or not has_date_key(blob):
        return []
    budget[0] -= len(blob)
    return lenient.loads(blob, max_chars=len(blob))


def has_date_key(blob: str) -> bool:
    """Whether a key like ``startDate``/``"date":``/``eventStart`` occurs (substring scans)."""
    probes = 0
    for word in _KEY_WORDS:
        position = blob.find(word)
        while position != -1:
            if _KEY_TAIL.match(blob, position + len(word)):
                return True
            probes += 1
            if probes > _MAX_HINT_PROBES:
                return True  # too many to check cheaply: let the parser decide
            position = blob.find(word, position + 1)
    return False


def _assignments(script: str) -> list[str]:
    """The JSON text of ``window.X = {…}`` / ``window.X = JSON.parse("…")`` in a script."""
    found: list[str] = []
    for match in _ASSIGNMENT.finditer(script):
        rest = script[match.end() :]
        parsed = _JSON_PARSE.match(rest)
        if parsed:
            decoded = lenient.decode_js_string(parsed.group(1))
            if decoded:
                found.append(decoded)
            continue
        end = _balanced_end(rest)
        if end:
            found.append(rest[:end])
    return found


def _balanced_end(text: str) -> int | None:
    """Length of the bracketed literal at the start of ``text`` (strings respected)."""
    depth, quote, escaped = 0, "", False
    for index, char in enumerate(text[:MAX_TOTAL_CHARS]):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _flight_events(chunks: list[str], budget: list[int]) -> list[dict[str, Any]]:
    """Next.js App Router flight rows (``1f:{…}``) that are JSON, searched for events."""
    decoded = "".join(d for d in (lenient.decode_js_string(c) for c in chunks) if d)
    events: list[dict[str, Any]] = []
    for match in _FLIGHT_ROW.finditer(decoded):
        end = decoded.find("\n", match.end())
        for value in _parse(decoded[match.end() : end if end >= 0 else None], budget):
            events += find_events(value)
    return events


def _is_devalue(node: LexborNode, value: object) -> bool:
    attrs = node.attributes
    marked = attrs.get("id") == "__NUXT_DATA__" or "data-nuxt-data" in attrs
    return marked and isinstance(value, list) and bool(value)


def _devalue(values: list[Any]) -> object:
    """Nuxt 3 payloads: a flat array whose objects point at other entries by index."""
    memo: dict[int, object] = {}
    budget = [MAX_NODES]

    def hydrate(index: object, depth: int) -> object:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(values):
            return None
        if index in memo:
            return memo[index]
        budget[0] -= 1
        if budget[0] < 0 or depth > MAX_DEPTH:
            return None
        value = values[index]
        if isinstance(value, dict):
            obj: dict[str, object] = {}
            memo[index] = obj
            obj.update((str(k), hydrate(v, depth + 1)) for k, v in value.items())
            return obj
        if not isinstance(value, list):
            return value
        if value and isinstance(value[0], str):
            tag = value[0]
            found: object = None
            if tag in _DEVALUE_WRAPPERS and len(value) > 1:
                found = hydrate(value[1], depth + 1)
            elif tag == "Date" and len(value) > 1:
                found = value[1]
            memo[index] = found
            return found
        items: list[object] = []
        memo[index] = items
        items.extend(hydrate(v, depth + 1) for v in value)
        return items

    return hydrate(0, 0)
