"""Event data embedded in a page's JSON state: the blobs single-page apps render from.

Read: ``<script type="application/json">`` blocks (Next.js ``__NEXT_DATA__``
and any other), Nuxt 3 ``__NUXT_DATA__`` (devalue's flat array, hydrated),
``window.__NAME__ = {…}`` / ``JSON.parse("…")`` assignments (Apollo, Redux,
``__INITIAL_STATE__``, a Nuxt 2 ``__NUXT__`` literal — not its function form)
and Next.js App Router flight data (``self.__next_f.push``). A blob is parsed
only when a date-like key occurs in it, within the page's ``lenient.Budget``,
so a 5 MB state blob without events costs five substring scans.
"""

from __future__ import annotations

import json
import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from yescount.ingest.structured import lenient
from yescount.ingest.structured.eventlike import MAX_EVENTS, MAX_NODES, find_events, is_chrome_key

MAX_DEPTH = 100
_JSON_TYPES = frozenset({"application/json", "text/json", "application/x-json"})
_JS_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
_KEY_WORDS = (b"start", b"date", b"event", b"begin", b"when")
_KEY_TAIL = re.compile(rb"\w{0,24}[\"']?\s*:")
_MAX_HINT_PROBES = 20_000
# An assignment is found from its "= {" / "= [" / "= JSON.parse(" (a literal first
# character keeps the scan fast), then its target is read just before it.
_ASSIGNED = re.compile(r"=\s*(?=[{\[]|JSON\.parse\()")
_TARGET = re.compile(
    r"(?:(?:window|self|globalThis)\s*(?:\.\s*(?P<prop>[A-Za-z_$][\w$]*)"
    r"|\[\s*[\"'](?P<key>[^\"']{1,80})[\"']\s*\])|\b(?:const|let|var)\s+(?P<var>[A-Za-z_$][\w$]*))"
    r"\s*$"
)
_DECODER = json.JSONDecoder(strict=False)
# Python-level scanning of JavaScript literals per page (JSON literals are parsed in C).
MAX_SCAN_CHARS = 2_000_000
_JSON_PARSE = re.compile(r"JSON\.parse\(\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')\s*\)")
_FLIGHT_PUSH = re.compile(r"self\.__next_f\.push\(\[\s*1\s*,\s*(\"(?:[^\"\\]|\\.)*\")\s*\]\)")
_FLIGHT_ROW = re.compile(r"^[0-9a-fA-F]{1,8}:(?=[\[{])", re.MULTILINE)
_DEVALUE_WRAPPERS = frozenset({"Reactive", "ShallowReactive", "Ref", "ShallowRef", "Object"})


def embedded_events(
    doc: LexborHTMLParser, budget: lenient.Budget | None = None
) -> list[dict[str, Any]]:
    """Event-like objects of every JSON state blob of the page (schema.org-shaped dicts)."""
    spend = budget if budget is not None else lenient.Budget()
    scan = [MAX_SCAN_CHARS]
    events: list[dict[str, Any]] = []
    flight: list[str] = []
    for node in doc.css("script"):
        kind = (node.attributes.get("type") or "").split(";", 1)[0].strip().lower()
        body = node.text(deep=True) or ""
        if kind in _JSON_TYPES:
            for value in _parse(body, spend):
                events += find_events(_devalue(value) if _is_devalue(node, value) else value)
        elif kind in _JS_TYPES and body:
            flight += [m.group(1) for m in _FLIGHT_PUSH.finditer(body)]
            for blob in _assignments(body, scan):
                for value in _parse(blob, spend):
                    events += find_events(value)
        if len(events) >= MAX_EVENTS:
            break
    if flight and len(events) < MAX_EVENTS:
        events += _flight_events(flight, spend)
    return events[:MAX_EVENTS]


def _parse(blob: str, budget: lenient.Budget) -> list[Any]:
    """JSON values of a blob, when it may hold dates and the page's budget allows."""
    if not blob or len(blob) > min(budget.parse_chars, lenient.MAX_CHARS):
        return []
    return lenient.loads(blob, budget) if has_date_key(blob) else []


def has_date_key(blob: str) -> bool:
    """Whether a key like ``startDate``/``"date":``/``eventStart`` occurs.

    Five substring scans of the blob lowered as bytes (ASCII-only lowering is one C
    pass): about 30 ms for 5 MB here, where one regular expression took 400 ms.
    """
    data = blob.encode("utf-8", "surrogatepass").lower()
    probes = 0
    for word in _KEY_WORDS:
        position = data.find(word)
        while position != -1:
            if _KEY_TAIL.match(data, position + len(word)):
                return True
            probes += 1
            if probes > _MAX_HINT_PROBES:
                return True  # too many to check cheaply: let the parser decide
            position = data.find(word, position + 1)
    return False


def _assignments(script: str, scan: list[int]) -> list[str]:
    """The JSON text of ``window.X = {…}``, ``const state = {…}`` or ``… = JSON.parse("…")``.

    Minified one- to three-letter variables and navigation state (``mainMenu``,
    ``footerNav``) are skipped: they hold code and menus, not listings.
    """
    found: list[str] = []
    for match in _ASSIGNED.finditer(script):
        if script[match.start() - 1 : match.start()] in ("=", "!", "<", ">"):
            continue  # "==", "!=", "<=", ">="
        target = _TARGET.search(script, max(0, match.start() - 120), match.start())
        if target is None:
            continue
        name = target.group("prop") or target.group("key") or target.group("var") or ""
        if (len(name) < 4 and not name.startswith("__")) or is_chrome_key(name):
            continue
        start = match.end()
        parsed = _JSON_PARSE.match(script, start)
        if parsed:
            decoded = lenient.decode_js_string(parsed.group(1))
            found += [decoded] if decoded else []
            continue
        try:
            _value, end = _DECODER.raw_decode(script, start)
        except (ValueError, RecursionError):
            end = _balanced_end(script, start, scan) or start
        if end > start:
            found.append(script[start:end])
    return found


def _balanced_end(text: str, start: int, scan: list[int]) -> int | None:
    """End of the bracketed literal at ``start`` (strings respected), within the scan budget."""
    depth, quote, escaped = 0, "", False
    stop = min(len(text), start + max(scan[0], 0))
    for index in range(start, stop):
        char = text[index]
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
                scan[0] -= index + 1 - start
                return index + 1
    scan[0] -= stop - start
    return None


def _flight_events(chunks: list[str], budget: lenient.Budget) -> list[dict[str, Any]]:
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
