"""Where pages come from: a live crawl (through the fetcher) or a saved-pages directory.

Saved layout (read by ``--from-dir``, written by ``--save-pages``)::

    DIR/<source>/<name>.html   (or .json for a Socrata response)
    DIR/<source>/<name>.url    the page's original URL (one line)
    DIR/manifest.jsonl         one JSON object per fetched page (URL, time, status,
                               content type, SHA-256) — written by --save-pages
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from yescount.domain.urls import http_url
from yescount.errors import IngestError
from yescount.ingest import html
from yescount.ingest.config import SourceConfig
from yescount.ingest.fetcher import FetchedPage, Fetcher
from yescount.ingest.models import Page

MANIFEST = "manifest.jsonl"
_PAGE_SUFFIXES = (".html", ".htm", ".json")
# Hand-made labels beside saved pages (reconstructed fixtures, the real corpus).
_LABEL_SUFFIXES = (".expected.json", ".gold.json")


@dataclass(frozen=True, slots=True)
class PageFailure:
    """A page that could not be fetched or read."""

    url: str
    code: str
    message: str


PageOrFailure = Page | PageFailure


class PageSource(Protocol):
    """Yields the pages of one source (and failures, which do not stop the source)."""

    mode: str

    def pages(self, source: SourceConfig) -> Iterator[PageOrFailure]: ...


def is_page_file(path: Path) -> bool:
    """HTML or JSON page files (not labels, sidecars or manifests)."""
    name = path.name
    return name.endswith(_PAGE_SUFFIXES) and not name.endswith(_LABEL_SUFFIXES)


class SavedPages:
    """``--from-dir``: every saved page of a source, in name order."""

    mode = "saved"

    def __init__(self, root: Path, *, max_bytes: int = 10_000_000) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._manifest = _read_manifest(root / MANIFEST)

    def has_source(self, name: str) -> bool:
        return (self.root / name).is_dir()

    def pages(self, source: SourceConfig) -> Iterator[PageOrFailure]:
        folder = self.root / source.name
        if not folder.is_dir():
            return
        for path in sorted(p for p in folder.iterdir() if is_page_file(p)):
            yield self._read(path, source)

    def _read(self, path: Path, source: SourceConfig) -> PageOrFailure:
        url = read_url(path, fallback=f"{source.site.rstrip('/')}/{path.stem}")
        size = path.stat().st_size
        if size > self.max_bytes:
            return PageFailure(url, "too_large", f"{path} is {size} bytes (cap {self.max_bytes})")
        entry = self._manifest.get(f"{source.name}/{path.name}", {})
        fetched = entry.get("fetched_at")
        return read_page_file(
            path,
            source=source.name,
            url=url,
            content_type=str(entry.get("content_type") or ""),
            fetched_at=datetime.fromisoformat(str(fetched)) if fetched else None,
        )


def read_page_file(
    path: Path,
    *,
    source: str,
    url: str,
    content_type: str = "",
    fetched_at: datetime | None = None,
) -> Page:
    """A saved page file as a ``Page``: ``.json`` as UTF-8, HTML by its declared charset."""
    body = path.read_bytes()
    is_json = path.suffix == ".json"
    content_type = content_type or ("application/json" if is_json else "")
    text = (
        body.decode("utf-8", errors="replace")
        if is_json
        else html.decode(body, content_type or None)
    )
    return Page(
        source=source,
        url=url,
        text=text,
        fetched_at=fetched_at,
        content_type=content_type or "text/html",
    )


def read_url(path: Path, *, fallback: str) -> str:
    """The original URL from a page's ``.url`` sidecar when it is a safe http(s) link.

    Else ``fallback``: a sidecar saying ``javascript:…`` or garbage must not become
    the link of every event on the page.
    """
    sidecar = path.with_suffix(".url")
    if sidecar.is_file():
        first = sidecar.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        declared = http_url(first[0].strip()) if first else None
        if declared is not None:
            return declared
    return fallback


def _read_manifest(path: Path) -> dict[str, dict[str, object]]:
    if not path.is_file():
        return {}
    entries: dict[str, dict[str, object]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            entries[f"{entry['source']}/{entry['file']}"] = entry
    return entries


class PageRecorder:
    """``--save-pages``: writes each fetched page in the saved layout plus a manifest line."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    def save(self, source: str, page: FetchedPage) -> Path:
        """Store the raw bytes, the URL sidecar and a manifest entry; returns the file."""
        folder = self.root / source
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".json" if "json" in page.content_type else ".html"
        path = folder / (file_stem(page.requested_url) + suffix)
        path.write_bytes(page.body)
        path.with_suffix(".url").write_text(page.url + "\n", encoding="utf-8")
        entry = {
            "source": source,
            "file": path.name,
            "url": page.url,
            "requested_url": page.requested_url,
            "fetched_at": page.fetched_at.isoformat(),
            "status": page.status,
            "content_type": page.content_type,
            "sha256": page.sha256,
            "bytes": len(page.body),
        }
        with self._lock, (self.root / MANIFEST).open("a", encoding="utf-8") as manifest:
            manifest.write(json.dumps(entry, sort_keys=True) + "\n")
        return path


def file_stem(url: str) -> str:
    """A readable, unique file name for a URL ("things-to-do-weekend-3f2a9c1b")."""
    path = re.sub(r"[^a-z0-9]+", "-", url.split("://", 1)[-1].lower()).strip("-")
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
    return f"{path[-80:].strip('-')}-{digest}"


FetcherFactory = Callable[[SourceConfig], Fetcher]
JsonPages = Callable[[SourceConfig, Fetcher, date], Iterator[PageOrFailure]]


class LivePages:
    """A live crawl: start URLs, then links matching the source's ``follow`` rule."""

    mode = "live"

    def __init__(
        self,
        fetcher_for: FetcherFactory,
        *,
        today: date,
        json_pages: JsonPages | None = None,
    ) -> None:
        self._fetcher_for = fetcher_for
        self._today = today
        self._json_pages = json_pages

    def pages(self, source: SourceConfig) -> Iterator[PageOrFailure]:
        with self._fetcher_for(source) as fetcher:
            if source.socrata is not None and self._json_pages is not None:
                yield from self._json_pages(source, fetcher, self._today)
                return
            yield from self._crawl(source, fetcher)

    def _crawl(self, source: SourceConfig, fetcher: Fetcher) -> Iterator[PageOrFailure]:
        seen: set[str] = set()
        queue = list(source.start_urls)
        follow = source.follow
        budget = len(queue) + (follow.max_pages if follow else 0)
        while queue and budget > 0:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            budget -= 1
            try:
                fetched = fetcher.get(url)
            except IngestError as exc:
                yield PageFailure(url, exc.code, exc.message)
                continue
            page = Page(
                source.name, fetched.url, fetched.text, fetched.fetched_at, fetched.content_type
            )
            yield page
            if follow is not None and url in source.start_urls:
                queue.extend(
                    u for u in follow_links(page, follow.pattern, follow.selector) if u not in seen
                )


def follow_links(page: Page, pattern: str, selector: str) -> list[str]:
    """Absolute links of a page that match the follow rule, in page order, once each."""
    doc = html.parse(page.text)
    rule = re.compile(pattern)
    found: list[str] = []
    for anchor in doc.css(selector):
        url = html.absolute(anchor.attributes.get("href"), page.url)
        if url is None:
            continue
        url = html.canonical(url)
        if rule.search(url) and url not in found and url != html.canonical(page.url):
            found.append(url)
    return found
