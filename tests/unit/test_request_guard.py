"""The request guard at the ASGI level: bodies are refused before they are read whole."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

import pytest

from yescount.web.intake import MAX_JSON_DEPTH, RequestGuard, json_problem, parses_as_json
from yescount.web.metrics import WebMetrics

LIMIT = 64 * 1024
CHUNK = 1024 * 1024


class Upload:
    """A client sending ``total`` bytes in 1 MB chunks; counts what the server pulled."""

    def __init__(self, total: int, body: bytes | None = None) -> None:
        self.total = total
        self.body = body
        self.pulled = 0
        self.calls = 0

    async def __call__(self) -> dict[str, Any]:
        self.calls += 1
        if self.body is not None:
            return {"type": "http.request", "body": self.body, "more_body": False}
        size = min(CHUNK, self.total - self.pulled)
        self.pulled += size
        return {"type": "http.request", "body": b"x" * size, "more_body": self.pulled < self.total}


def run(
    receive: Upload,
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    path: str = "/api/v1/sessions",
    raw_path: bytes | None = None,
    method: str = "POST",
) -> tuple[int, dict[str, str], dict[str, Any], bool]:
    reached = {"app": False}

    async def app(scope: Any, rcv: Any, send: Any) -> None:
        reached["app"] = True
        message = await rcv()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": message["body"][:10]})

    sent: list[dict[str, Any]] = []

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": raw_path if raw_path is not None else path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers or [],
        "server": ("testserver", 80),
        "scheme": "http",
    }
    guard = RequestGuard(app, max_body_bytes=LIMIT, json_prefix="/api/v1/", metrics=WebMetrics())
    asyncio.run(guard(scope, receive, send))
    start = sent[0]
    got = {k.decode(): v.decode() for k, v in start["headers"]}
    body_bytes = b"".join(m.get("body", b"") for m in sent[1:])
    body = json.loads(body_bytes) if start["status"] != 200 else {}
    return int(start["status"]), got, body, reached["app"]


def test_declared_200_mb_body_is_refused_without_reading_a_byte() -> None:
    upload = Upload(200 * 1024 * 1024)
    status, headers, body, reached = run(
        upload, headers=[(b"content-length", str(upload.total).encode())]
    )
    assert status == 413
    assert body["error_code"] == "payload_too_large"
    assert set(body) == {"error_code", "message", "retryable", "context_id"}
    assert headers["connection"] == "close"
    assert upload.pulled == 0
    assert not reached


def test_chunked_body_is_refused_as_soon_as_it_passes_the_cap() -> None:
    upload = Upload(200 * 1024 * 1024)
    status, _, body, reached = run(upload, headers=[(b"transfer-encoding", b"chunked")])
    assert status == 413
    assert body["error_code"] == "payload_too_large"
    assert upload.pulled <= LIMIT + CHUNK  # one chunk past the cap, never the whole body
    assert upload.calls == 1
    assert not reached


def test_body_under_the_cap_reaches_the_app_unchanged() -> None:
    payload = json.dumps({"name": "Jake"}).encode()
    status, _, _, reached = run(
        Upload(0, payload), headers=[(b"content-length", str(len(payload)).encode())]
    )
    assert status == 200
    assert reached


@pytest.mark.parametrize("declared", [b"abc", b"-1", b"1e9"])
def test_garbled_content_length_is_refused(declared: bytes) -> None:
    status, _, body, _ = run(Upload(0, b"{}"), headers=[(b"content-length", declared)])
    assert status == 413
    assert body["error_code"] == "payload_too_large"


@pytest.mark.parametrize(
    "payload",
    [
        b"{not json",
        b'{"name": "\xff\xfe"}',
        b"[" * 1000 + b"]" * 1000,
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b"\xef\xbb\xbf{}",
    ],
    ids=["malformed", "invalid-utf8", "1000-deep", "nan", "infinity", "bom"],
)
def test_bad_json_is_400_invalid_json_before_the_app(payload: bytes) -> None:
    headers = [(b"content-type", b"application/json")]
    status, _, body, reached = run(Upload(0, payload), headers=headers)
    assert status == 400
    assert body["error_code"] == "invalid_json"
    assert body["message"].startswith("The body is not valid JSON")
    assert not reached


def test_json_rules_apply_only_under_the_api_and_to_json_bodies() -> None:
    assert run(Upload(0, b"{bad"), path="/_stcore/x")[0] == 200
    form = [(b"content-type", b"application/x-www-form-urlencoded")]
    assert run(Upload(0, b"{bad"), headers=form)[0] == 200
    assert parses_as_json(None)
    assert parses_as_json("application/problem+json; charset=utf-8")
    assert not parses_as_json("text/plain")


@pytest.mark.parametrize("raw", [b"/api/v1/sessions/%00", b"/api/v1/a%2Fb", b"/x%2f"])
def test_encoded_nul_and_slash_are_400(raw: bytes) -> None:
    path = raw.replace(b"%00", b"\x00").replace(b"%2F", b"/").replace(b"%2f", b"/").decode()
    status, _, body, reached = run(Upload(0, b""), path=path, raw_path=raw, method="GET")
    assert status == 400
    assert body["error_code"] == "invalid_path"
    assert not reached


def test_control_character_in_path_is_json_404() -> None:
    status, _, body, _ = run(
        Upload(0, b""), path="/api/v1/sessions/\n", raw_path=b"/api/v1/sessions/%0A", method="GET"
    )
    assert status == 404
    assert body["error_code"] == "not_found"


def test_depth_limit_counts_levels() -> None:
    assert json_problem(json.dumps([[1]]).encode()) is None
    deep = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert json_problem(deep) is None
    assert json_problem(b"[" + deep + b"]") is not None
