"""Streamlit's hashed JS/CSS/font files, served from memory and gzip-compressed once.

A first visit fetches ~100 of these files (3–5 MB). Streamlit serves each through its
whole middleware stack and a thread-pool file read, uncompressed: about half a second of
server CPU per visitor, competing with script runs for the GIL, and 5 MB over a phone
connection. Their names carry a content hash, so each file is read (and, for text,
compressed) once per process and then answered in one ``send`` with the same caching
contract Streamlit uses (``public, immutable``). Anything else passes through untouched.
"""

from __future__ import annotations

import gzip
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

FOLDERS = ("js", "css", "media")
CACHE_CONTROL = b"public, immutable, max-age=31536000"
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".map", ".txt", ".ttf")
GZIP_LEVEL = 6


@dataclass(frozen=True, slots=True)
class _Asset:
    body: bytes
    gzipped: bytes | None
    content_type: bytes
    etag: bytes


def streamlit_static_dir() -> Path:
    from streamlit import file_util

    return Path(file_util.get_static_dir())


class StaticAssets:
    """ASGI middleware: answer Streamlit's hashed asset requests from memory."""

    def __init__(self, app: ASGIApp, directory: Path | None = None) -> None:
        self.app = app
        root = directory or streamlit_static_dir()
        # Only the files that exist at start-up, by exact URL path: nothing a request
        # names can reach another file or grow this table.
        self._files = {
            f"/static/{folder}/{file.name}": file
            for folder in FOLDERS
            if (root / "static" / folder).is_dir()
            for file in (root / "static" / folder).iterdir()
            if file.is_file()
        }
        self._cache: dict[str, _Asset] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        file = self._files.get(path)
        if file is None or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        asset = self._cache.get(path)
        if asset is None:
            asset = await run_in_threadpool(self._load, path, file)
        await self._answer(asset, scope, send)

    def _load(self, path: str, file: Path) -> _Asset:
        """Read (and compress) one asset, once."""
        with self._lock:
            if path in self._cache:
                return self._cache[path]
            body = file.read_bytes()
            squeezed = None
            if file.suffix in COMPRESSIBLE:
                squeezed = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith("javascript"):
                kind += "; charset=utf-8"
            found = _Asset(body, squeezed, kind.encode(), f'"{file.name}"'.encode())
            self._cache[path] = found
            return found

    @staticmethod
    async def _answer(asset: _Asset, scope: Scope, send: Send) -> None:
        request = dict(scope.get("headers", []))
        headers: list[tuple[bytes, bytes]] = [
            (b"content-type", asset.content_type),
            (b"cache-control", CACHE_CONTROL),
            (b"etag", asset.etag),
            (b"vary", b"accept-encoding"),
        ]
        if request.get(b"if-none-match") == asset.etag:
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        body = asset.body
        if asset.gzipped is not None and b"gzip" in request.get(b"accept-encoding", b""):
            body = asset.gzipped
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        start: dict[str, Any] = {"type": "http.response.start", "status": 200, "headers": headers}
        await send(start)
        payload = b"" if scope["method"] == "HEAD" else body
        await send({"type": "http.response.body", "body": payload})
