"""What every source adapter provides, plus the page classification they share."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from rapidfuzz import fuzz, process
from selectolax.lexbor import LexborHTMLParser

from yescount.ingest import html
from yescount.ingest.html import canonical, meta, text_of
from yescount.ingest.models import Candidate, Page
from yescount.ingest.structured import event_candidates, extract_items

# Removed before any adapter reads a page: scripts, navigation, ads, newsletter boxes.
BOILERPLATE = (
    "script, style, noscript, template, iframe, svg, nav, aside, "
    "[class*='newsletter'], [id*='newsletter'], [class*='ad-slot'], [class*='advert'], .ad, .ads, "
    "[class*='related'], [data-testid*='related'], [class*='recommend'], "
    ".share, .social-share, .comments, #comments, .cookie-banner"
)

# A block titled like a structured event (token-set ratio) is that event again.
SAME_TITLE = 90
# Drupal and ASP.NET pages wrap their whole content in one <form>.
FORM_WIDGET_CHARS = 600

_NEWS = re.compile(
    r"\b(?:clos(?:es|ing|ed)\b(?!\s+(?:night|weekend|day))|shutter(?:s|ed|ing)?"
    r"|shut(?:s|ting)? down|for good|lawsuit|sued|arrest(?:ed)?|police|fire (?:at|in)"
    r"|announces?|announced|report(?:s|ed)?"
    r"|according to|officials|mayor|council|rent hike|fare hike|is leaving|abrupt(?:ly)?"
    r"|heartbreaking|rip\b|dies|died|obituary|investigation|reveals)",
    re.IGNORECASE,
)
_GUIDE = re.compile(
    r"\b(?:guide to|a guide|where to (?:eat|stay|drink|find|get)|how to|tips for|places to"
    r"|best (?:restaurants|bars|bagels|pizza|brunch|coffee|burgers|hotels|neighborhoods|dumplings)"
    r"|neighborhood guide|hidden gems of|things to know|essential)",
    re.IGNORECASE,
)
_NEWS_SECTIONS = frozenset({"news", "city news", "local news", "business", "real estate"})


class PageKind(StrEnum):
    LISTING = "listing"
    NEWS = "news"
    GUIDE = "guide"


@dataclass(frozen=True, slots=True)
class PageRead:
    """Everything an adapter read from one page."""

    candidates: list[Candidate]
    page_date: date | None
    kind: PageKind
    url: str


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """A page's document (boilerplate removed) and what its structured data says."""

    doc: LexborHTMLParser
    read: PageRead


def already_found(title: str, found: list[str]) -> bool:
    """The title is one of the (casefolded) titles already found (token-set ratio >= 90)."""
    if not found:
        return False
    best = process.extractOne(
        title.casefold(), found, scorer=fuzz.token_set_ratio, score_cutoff=SAME_TITLE
    )
    return best is not None


class SourceAdapter:
    """Base adapter: subclasses set ``name`` and read their site's HTML into candidates."""

    name: str = ""

    def read(self, page: Page) -> PageRead:
        """Structured events first, then this site's HTML candidates not already found."""
        parsed = self.parse(page)
        own = self.candidates(parsed.doc, replace(page, url=parsed.read.url))
        titles = [c.title.casefold() for c in parsed.read.candidates]
        extra = [c for c in own if not already_found(c.title, titles)]
        read = parsed.read
        return PageRead(read.candidates + extra, read.page_date, read.kind, read.url)

    def parse(self, page: Page) -> ParsedPage:
        """The page parsed, its structured events read, its boilerplate removed."""
        doc = html.parse(page.text)
        base = html.page_url(doc, page.url)
        items = extract_items(page.text, base, doc)
        structured = event_candidates(items, base)
        kind = self.page_kind(doc)
        published = html.page_date(doc, items)
        html.remove(doc, BOILERPLATE)
        _remove_widget_forms(doc)
        return ParsedPage(doc, PageRead(structured, published, kind, base))

    def candidates(self, doc: LexborHTMLParser, page: Page) -> list[Candidate]:
        """Event candidates from the page's HTML (structured data is read separately)."""
        return []

    def source_id(self, candidate: Candidate) -> str:
        """A stable id within the source: the event's own link, else page URL + anchor."""
        if candidate.source_id_hint:
            return url_key(candidate.source_id_hint)
        if candidate.anchor:
            return url_key(candidate.page_url) + f"#{candidate.anchor}"
        return url_key(candidate.url or candidate.page_url)

    def page_kind(self, doc: LexborHTMLParser) -> PageKind:
        """News and guide articles yield no events from their HTML sections."""
        title = page_title(doc)
        section = (meta(doc, 'meta[property="article:section"]') or "").lower()
        if section in _NEWS_SECTIONS or _NEWS.search(title):
            return PageKind.NEWS
        if _GUIDE.search(title):
            return PageKind.GUIDE
        return PageKind.LISTING


def _remove_widget_forms(doc: LexborHTMLParser) -> None:
    """Search boxes and sign-up forms go; a form that wraps the page's listing stays."""
    for form in doc.css("form"):
        if len(text_of(form)) < FORM_WIDGET_CHARS:
            form.decompose()


def page_title(doc: LexborHTMLParser) -> str:
    """The article's own headline (``h1``, else ``og:title``, else ``<title>``)."""
    return (
        text_of(doc.css_first("h1"))
        or meta(doc, 'meta[property="og:title"]')
        or text_of(doc.css_first("title"))
    )


def url_key(url: str) -> str:
    """A URL as a short stable id: host + path (+ query), no scheme, no tracking, max 255."""
    parts = canonical(url, keep_fragment=True).split("://", 1)[-1].rstrip("/")
    if parts.startswith("www."):
        parts = parts[4:]
    if len(parts) <= 255:
        return parts
    return parts[:230] + "~" + hashlib.sha256(parts.encode()).hexdigest()[:24]
