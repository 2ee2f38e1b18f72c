"""What a request may bring, checked before any route sees it (pure ASGI middleware).

- The body is capped: a declared ``Content-Length`` over the cap is answered 413 before
  one byte of the body is read; a body without one (chunked) is read incrementally and
  refused as soon as it passes the cap. At most ``max_body_bytes`` are ever held.
- A JSON body (``application/json``, ``application/*+json`` or no content type, exactly
  the bodies FastAPI would parse) must be strict UTF-8 JSON, without ``NaN``/``Infinity``
  and nested at most ``MAX_JSON_DEPTH`` levels: otherwise 400 ``invalid_json``.
- A path with an encoded NUL or slash (``%00``, ``%2F``) is 400; one with a control
  character (``%0A``) names nothing we serve: 404.

Every refusal has the API's one error shape and ``Connection: close`` for a body left
unread, so the server does not keep reading a 200 MB upload.
"""

from __future__ import annotations

import email.message
import json
import re
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yescount.errors import NotFoundError, YesCountError
from yescount.web.errors import (
    BadPathError,
    InvalidJsonError,
    PayloadTooLargeError,
    error_response,
)
from yescount.web.metrics import WebMetrics, default_metrics

MAX_JSON_DEPTH = 32
_ENCODED_FORBIDDEN = re.compile(rb"%(00|2f)", re.IGNORECASE)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def parses_as_json(content_type: str | None) -> bool:
    """True for the bodies FastAPI reads as JSON (no content type, or a JSON media type)."""
    if not content_type:
        return True
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def json_depth(value: Any) -> int:
    """Nesting depth of parsed JSON (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in item)
    return deepest


def json_problem(body: bytes) -> str | None:
    """Why ``body`` is not acceptable JSON, or None when it is."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "The body is not valid JSON: it is not UTF-8 text."
    try:
        parsed = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        return f"The body is not valid JSON: nested deeper than {MAX_JSON_DEPTH} levels."
    except json.JSONDecodeError as exc:
        return f"The body is not valid JSON (line {exc.lineno}, column {exc.colno})."
    except ValueError:  # NaN / Infinity
        return "The body is not valid JSON: NaN and Infinity are not numbers in JSON."
    if json_depth(parsed) > MAX_JSON_DEPTH:
        return f"The body is not valid JSON: nested deeper than {MAX_JSON_DEPTH} levels."
    return None


def path_problem(scope: Scope) -> YesCountError | None:
    """A 400 for encoded NUL/slash, a 404 for control characters in the path."""
    raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    if _ENCODED_FORBIDDEN.search(raw) or "\x00" in scope.get("path", ""):
        return BadPathError("The address contains a character that is not allowed (%00, %2F).")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in scope.get("path", "")):
        return NotFoundError("No such route.", code="not_found")
    return None


class RequestGuard:
    """Bound every request body and refuse malformed JSON and paths (see module doc)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        json_prefix: str = "/api/",
        metrics: WebMetrics | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.json_prefix = json_prefix
        self.metrics = metrics or default_metrics()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = path_problem(scope)
        if problem is not None:
            await self._refuse(scope, receive, send, problem, close=False)
            return
        if self._declared_too_large(scope):
            await self._refuse(scope, receive, send, self._too_large(), close=True)
            return
        if not _may_have_body(scope):
            await self.app(scope, receive, send)
            return
        body = await self._read_body(receive)
        if body is None:
            await self._refuse(scope, receive, send, self._too_large(), close=True)
            return
        failed = self._json_problem(scope, body)
        if failed is not None:
            await self._refuse(scope, receive, send, InvalidJsonError(failed), close=False)
            return
        await self.app(scope, _replay(body, receive), send)

    def _declared_too_large(self, scope: Scope) -> bool:
        declared = _header(scope, b"content-length")
        if declared is None:
            return False
        declared = declared.strip()
        return not declared.isdigit() or int(declared) > self.max_body_bytes

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it passes the cap (the rest is never read)."""
        chunks = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return bytes(chunks)  # client gone: let the app see an empty body
            chunks += message.get("body", b"")
            if len(chunks) > self.max_body_bytes:
                return None
            if not message.get("more_body", False):
                return bytes(chunks)

    def _json_problem(self, scope: Scope, body: bytes) -> str | None:
        if not body or not str(scope.get("path", "")).startswith(self.json_prefix):
            return None
        if not parses_as_json(_header(scope, b"content-type")):
            return None
        return json_problem(body)

    def _too_large(self) -> YesCountError:
        kib = self.max_body_bytes // 1024
        return PayloadTooLargeError(f"The request body is larger than {kib} KB.")

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, exc: YesCountError, *, close: bool
    ) -> None:
        response = error_response(Request(scope), exc, self.metrics)
        if close:
            response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _may_have_body(scope: Scope) -> bool:
    if _header(scope, b"transfer-encoding") is not None:
        return True
    declared = _header(scope, b"content-length")
    if declared is not None:
        return declared.strip() != "0"
    return scope.get("method") in _BODY_METHODS


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the buffered body over once, then listens to the client."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
