"""HTML helpers shared by the adapters: decoding, text, links, images, page dates."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode
from w3lib.encoding import html_to_unicode

from yescount.domain.newyork import NEW_YORK
from yescount.domain.urls import http_url

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BLOCK = re.compile(
    r"(</?(?:p|div|li|ul|ol|h[1-6]|tr|td|th|dd|dt|dl|section|article|header|footer|figure|figcaption"
    r"|blockquote|table|aside|address)\b[^>]*>)",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|_ga|ref_src|igshid)$")
_CSS_URL = re.compile(r"background-image\s*:\s*url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_IMG_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-lazy", "src")
_SRCSET_ATTRS = ("data-srcset", "data-lazy-srcset", "srcset")
_PUBLISHED_META = (
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="date"]',
    'meta[name="publish-date"]',
    'meta[name="parsely-pub-date"]',
    'meta[property="og:published_time"]',
)
_PUBLISHED_TIME = (
    "time.entry-date.published",
    "time.published",
    'time[itemprop="datePublished"]',
    "time[pubdate]",
    ".byline time",
    ".post-meta time",
    "header .entry-meta time",
    "time[class*='rticleTime'], time[class*='ublishTime'], time[class*='ublished']",
)


def decode(body: bytes, content_type: str | None = None) -> str:
    """Bytes to text: BOM, then the HTTP charset, then ``<meta charset>``, then UTF-8/cp1252."""
    _encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_guess_encoding)
    return text


def _guess_encoding(body: bytes) -> str:
    """Undeclared bytes: UTF-8 when they decode as such, else Windows-1252 (old CMS pages)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def parse(text: str) -> LexborHTMLParser:
    """Parse HTML; ``<br>`` becomes a line break so text keeps its lines."""
    return LexborHTMLParser(_BR.sub("\n", text))


def clean(text: str | None) -> str:
    """Entities decoded, tags stripped, whitespace collapsed (one line)."""
    if not text:
        return ""
    unescaped = htmllib.unescape(_TAG.sub(" ", text)) if "<" in text else htmllib.unescape(text)
    return " ".join(unescaped.split())


def text_of(node: LexborNode | None) -> str:
    """All text under a node on one line."""
    if node is None:
        return ""
    return " ".join(node.text(deep=True, separator="").split())


def lines_of(nodes: Iterable[LexborNode]) -> list[str]:
    """Text under nodes, one line per block element (paragraph, list item, heading...)."""
    fragment = "".join(n.html or "" for n in nodes)
    marked = _BLOCK.sub(r"\n\1", _BR.sub("\n", fragment))
    text = LexborHTMLParser(f"<div>{marked}</div>").css_first("div")
    raw = text.text(deep=True, separator="") if text is not None else ""
    lines = (_SPACES.sub(" ", line).strip() for line in raw.split("\n"))
    return [line for line in lines if line]


def absolute(url: str | None, base: str) -> str | None:
    """An absolute, safe http(s) URL (``domain.urls.http_url``), or None."""
    if not url:
        return None
    return http_url(htmllib.unescape(url.strip()), base)


def canonical(url: str, *, keep_fragment: bool = False) -> str:
    """Lower-case host, no default port, no tracking parameters, no trailing fragment."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80)
        or (parts.scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
    path = parts.path or "/"
    fragment = parts.fragment if keep_fragment else ""
    return urlunsplit((parts.scheme.lower(), host, path, query, fragment))


def image_of(node: LexborNode | None, base: str) -> str | None:
    """The real image URL of the first ``<img>``/``<source>`` (lazy-loading attributes first)."""
    if node is None:
        return None
    images = [node] if node.tag in ("img", "source") else node.css("img, picture source")
    if not images:
        return _background_image(node, base)
    for img in images:
        attrs = img.attributes
        for name in _SRCSET_ATTRS:
            best = _largest_from_srcset(attrs.get(name))
            if best:
                return absolute(best, base)
        for name in _IMG_ATTRS:
            found = absolute(attrs.get(name), base)
            if found:
                return found
    return None


def _background_image(node: LexborNode, base: str) -> str | None:
    """Cards that paint their picture as a CSS background (``style`` or ``data-bg``)."""
    for element in [node, *node.css("[data-bg], [style*='background-image']")]:
        attrs = element.attributes
        found = absolute(attrs.get("data-bg"), base)
        if found:
            return found
        match = _CSS_URL.search(attrs.get("style") or "")
        if match:
            return absolute(match.group(1), base)
    return None


def _largest_from_srcset(srcset: str | None) -> str | None:
    if not srcset:
        return None
    best, best_width = None, -1.0
    for item in srcset.split(","):
        bits = item.strip().split()
        if not bits or bits[0].startswith("data:"):
            continue
        width = 0.0
        if len(bits) > 1 and bits[1][:-1].replace(".", "", 1).isdigit():
            width = float(bits[1][:-1])
        if width > best_width:
            best, best_width = bits[0], width
    return best


def meta(doc: LexborHTMLParser, selector: str) -> str | None:
    """``content`` of the first matching ``<meta>`` (None when absent or empty)."""
    node = doc.css_first(selector)
    value = node.attributes.get("content") if node is not None else None
    return value.strip() if value and value.strip() else None


def page_url(doc: LexborHTMLParser, fallback: str) -> str:
    """The page's canonical URL when it declares one on the same site, else ``fallback``."""
    node = doc.css_first('link[rel="canonical"]')
    declared = absolute(node.attributes.get("href") if node else None, fallback)
    declared = declared or absolute(meta(doc, 'meta[property="og:url"]'), fallback)
    if declared and urlsplit(declared).hostname == urlsplit(fallback).hostname:
        return declared
    return fallback


def page_date(doc: LexborHTMLParser, structured: Iterable[dict[str, object]] = ()) -> date | None:
    """The date the page says it was published (meta, JSON-LD, or a byline ``<time>``)."""
    values: list[str | None] = [meta(doc, s) for s in _PUBLISHED_META]
    values += [str(i.get("datePublished")) for i in structured if i.get("datePublished")]
    for selector in _PUBLISHED_TIME:
        node = doc.css_first(selector)
        if node is not None:
            values.append(node.attributes.get("datetime") or text_of(node))
    for value in values:
        parsed = _iso_day(value)
        if parsed is not None:
            return parsed
    return None


def _iso_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(NEW_YORK).date() if moment.tzinfo else moment.date()


def remove(doc_or_node: LexborHTMLParser | LexborNode, selector: str) -> None:
    """Drop boilerplate nodes (scripts, ads, newsletter boxes) before reading text."""
    for node in doc_or_node.css(selector):
        node.decompose()
