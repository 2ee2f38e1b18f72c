"""Streamlit's hashed JS/CSS/font files, served from memory and gzip-compressed once.

A first visit fetches ~100 of these files (3–5 MB). Streamlit serves each through its
whole middleware stack and a thread-pool file read, uncompressed: about half a second of
server CPU per visitor, competing with script runs for the GIL, and 5 MB over a phone
connection. Their names carry a content hash, so each file is read (and, for text,
compressed) once per process and then answered in one ``send`` with the same caching
contract Streamlit uses (``public, immutable``).

The page itself (``/``) gets ``modulepreload`` links for the chunks every view loads
lazily (the ``st.html`` block, text inputs, buttons, our components...) and their
static imports: without them the browser asks for those only once the script run's
first elements arrive, while the server is busy running the script, and a first visit
waits ~0.3-0.6 s more for them. Anything else passes through untouched.
"""

from __future__ import annotations

import gzip
import mimetypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FOLDERS = ("js", "css", "media")
CACHE_CONTROL = b"public, immutable, max-age=31536000"
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".map", ".txt", ".ttf")
GZIP_LEVEL = 6
# Streamlit's lazily loaded chunks every view (but the landing) draws on a first visit,
# by the name before the content hash (benchmarks/ui_browser.py): our HTML blocks
# (``st.html``), buttons, text inputs and custom components. The landing's date picker
# and the results' select box stay lazy: only those pages pay for them.
LAZY_CHUNKS = ("Html", "Button", "TextInput", "BidiComponent")
_IMPORT = re.compile(rb'(?:from|import)\s*"\./([\w.-]+\.js)"')
_MODULE_TAG = re.compile(rb'<script type="module"[^>]*src="\./static/js/index\.[\w-]+\.js"')


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
        self._preloads = preload_links(root / "static" / "js", LAZY_CHUNKS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        file = self._files.get(path)
        if scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if file is None:
            if path == "/" and self._preloads:
                await self._page(scope, receive, send)
            else:
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

    async def _page(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Streamlit's own answer for the page, with the preload links in its head."""
        plain = {  # uncompressed and whole (a HEAD is answered from the GET)
            **scope,
            "method": "GET",
            "headers": [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"],
        }
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(plain, receive, keep)
        headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
        body = b"".join(chunks)
        kind = dict(headers).get(b"content-type", b"")
        if start.get("status") == 200 and kind.startswith(b"text/html"):
            body = add_preloads(body, self._preloads)
            if b"gzip" in dict(scope.get("headers", [])).get(b"accept-encoding", b""):
                body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
                headers.append((b"content-encoding", b"gzip"))
                headers.append((b"vary", b"accept-encoding"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )

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


def preload_links(js_dir: Path, stems: tuple[str, ...]) -> bytes:
    """``<link rel="modulepreload">`` tags for the chunks named ``stems`` and their imports.

    A stem Streamlit no longer ships is skipped (an upgrade may rename chunks); the
    index bundle's own preloads are left to its page.
    """
    if not js_dir.is_dir():
        return b""
    names = {file.name for file in js_dir.glob("*.js")}
    todo = [n for stem in stems for n in sorted(names) if n.startswith(f"{stem}.")]
    todo = [n for n in todo if n.count(".") == 2]  # "<stem>.<hash>.js", not "a.b.<hash>.js"
    found: list[str] = []
    while todo:
        name = todo.pop(0)
        if name in found or name not in names:
            continue
        found.append(name)
        todo.extend(m.decode() for m in _IMPORT.findall((js_dir / name).read_bytes()))
    return b"".join(
        b'<link rel="modulepreload" crossorigin href="./static/js/' + n.encode() + b'">'
        for n in found
    )


def add_preloads(page: bytes, links: bytes) -> bytes:
    """The page with ``links`` last in its head, after its own (critical) preloads.

    Unchanged when it is not Streamlit's page (no index module script); links the page
    already has are not repeated.
    """
    end = page.find(b"</head>")
    if not links or end < 0 or _MODULE_TAG.search(page) is None:
        return page
    links = b"".join(
        tag + b">" for tag in links.split(b">") if tag and tag.split(b'href="')[-1] not in page
    )
    return page[:end] + links + page[end:]
