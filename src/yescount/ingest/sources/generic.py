"""Any listing page, with no site-specific code: structured data first, else item blocks.

Every HTML source of ``sources.yaml`` reads its pages here; a source may give a
``hint`` (a CSS selector of its item elements) when the page's repeated structure
is ambiguous. Each block becomes one candidate: title from its heading (or the
name an article headline is about), link, image, labelled "When/Where/Price"
lines when it has them, and its prose, where ``normalize`` finds the dates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from yescount.ingest.blocks import Block, find_blocks
from yescount.ingest.html import absolute, image_of, lines_of, text_of
from yescount.ingest.listicle import (
    DATE_LABEL,
    PRICE_LABEL,
    WHERE_LABEL,
    is_prose,
    labelled,
    own_link,
    slug,
    split_fields,
)
from yescount.ingest.models import Candidate, Page
from yescount.ingest.normalize import clean_title
from yescount.ingest.sources.base import PageRead, SourceAdapter, already_found
from yescount.ingest.titles import spaced_text

EVIDENCE_MAX = 1500
_EMPHASIS = "em, i, cite, strong, b"
_TRAILING_MEDIA = re.compile(
    r"\s+(?:image|photo|picture|thumbnail)$|\s*:?\s*(?:slide|card)\s+\d+(?:\s+of\s+\d+)?$",
    re.IGNORECASE,
)
# When a post was written, not when its event happens.
_PUBLISHED = re.compile(
    r"(?:^|[-_\s])(?:meta|byline|posted|published|pubdate|post-date|entry-date|timestamp"
    r"|datepublished|datemodified)(?:$|[-_\s])",
    re.IGNORECASE,
)
_FIELD_ATTRS = ("class", "data-testid", "data-title", "itemprop", "id")
# Card fields named by their markup ("event-date", "plan-card__venue", itemprop="startDate").
_FIELDS = {
    "date": re.compile(
        r"(?:^|[-_\s/])(?:dates?|when|datetime|schedule|startdate|event-time)(?:$|[-_\s/])",
        re.I,
    ),
    "venue": re.compile(
        r"(?:^|[-_\s/])(?:venue|location|where|place|address|branch)(?:$|[-_\s/])", re.I
    ),
    "price": re.compile(r"(?:^|[-_\s])(?:price|prices|cost|admission)(?:$|[-_\s])", re.I),
}
# A tag chip or category label: a few words, no sentence ("Things to do", "The Bronx").
_CHIP = re.compile(r"[^.!?]{1,25}")
_PROMOTED = re.compile(r"^\s*(?:sponsored|promoted|advertisement|partner content|ad)\s*$", re.I)


class GenericAdapter(SourceAdapter):
    """The adapter of every configured HTML source (and of ``--source generic``)."""

    def __init__(self, name: str = "generic", *, hint: str | None = None) -> None:
        self.name = name
        self.hint = hint

    def read(self, page: Page) -> PageRead:
        """Structured events when the page has them; its item blocks otherwise."""
        parsed = self.parse(page)
        read = parsed.read
        own = self.candidates(parsed.doc, replace(page, url=read.url), read.candidates)
        return PageRead(read.candidates + own, read.page_date, read.kind, read.url)

    def candidates(
        self, doc: LexborHTMLParser, page: Page, structured: Sequence[Candidate] = ()
    ) -> list[Candidate]:
        """The page's item blocks not already among its structured events (none when
        those describe the page)."""
        titles = [c.title.casefold() for c in structured]
        named = [(b, block_title(b)) for b in find_blocks(doc, hint=self.hint)]
        extra = [(b, title) for b, title in named if not already_found(title, titles)]
        # A page that describes its events in structured data: its HTML repeats them (or
        # lists other things); only a few structured items beside many blocks add up.
        # Decided on the titles alone, before the blocks are read in full.
        if structured and 3 * len(structured) >= len(extra):
            return []
        return [block_candidate(b, page.url, title=title) for b, title in extra]


def block_title(block: Block) -> str:
    """The event's name on a block: its heading, completed, or the name a headline is about."""
    return event_name(block, full_title(block, block.title))


def block_candidate(block: Block, page_url: str, *, title: str | None = None) -> Candidate:
    """One candidate from one block of a listing page (``title``: its :func:`block_title`)."""
    lines = _body_lines(block)
    title = title if title is not None else block_title(block)
    link = _link(block, page_url)
    anchor = (block.heading.attributes.get("id") if block.heading else None) or slug(
        clean_title(title)
    )
    # A listicle section is a part of its article; a tile's link is its own page.
    own_page = link if block.root is not None else None
    date_text, start_value, end_value = _time_element(block)
    fields = fields_of(block)
    candidate = Candidate(
        title=title,
        page_url=page_url,
        extraction_method="cards" if block.root is not None else "listicle",
        url=own_page or f"{page_url.split('#', 1)[0]}#{anchor}",
        description=_description(lines, fields),
        date_text=labelled(lines, DATE_LABEL) or fields["date"] or date_text,
        start_value=start_value,
        end_value=end_value,
        location=labelled(lines, WHERE_LABEL) or fields["venue"],
        price_text=labelled(lines, PRICE_LABEL) or fields["price"],
        image_url=_image(block, page_url),
        source_id_hint=link,
        anchor=anchor,
        evidence="\n".join([title, *lines])[:EVIDENCE_MAX],
        flags={"lines": lines, "prose": True, "day": block.day, "section": block.section},
    )
    if lines and _PROMOTED.search(lines[0]):
        candidate.flags["advert"] = True
    return candidate


def _description(lines: list[str], fields: dict[str, str | None]) -> str:
    """The block's prose: no label lines, credits, buttons, tag chips or field values."""
    values = [v for v in fields.values() if v]
    kept = []
    for line in lines:
        for value in values:
            line = line.replace(value, " ")
        line = " ".join(line.split())
        if len(line) > 2 and is_prose(line) and not _CHIP.fullmatch(line):
            kept.append(line)
    return " ".join(kept)


def fields_of(block: Block) -> dict[str, str | None]:
    """The texts of the block's elements whose class, test id or itemprop name a date,
    a venue or a price (the first of each, in page order), read in one pass."""
    found: dict[str, str | None] = dict.fromkeys(_FIELDS)
    for root in block.nodes:
        if root.tag in ("-text", "_text"):
            continue
        for node in root.traverse():
            attrs = node.attributes
            if not attrs:
                continue
            names = " ".join(str(attrs.get(a) or "") for a in _FIELD_ATTRS).strip()
            if not names:
                continue
            for kind in _field_kinds(names):
                if found[kind] is None:
                    value = spaced_text(node)
                    if value and len(value) <= 200:
                        found[kind] = value
            if all(found.values()):
                return found
    return found


@lru_cache(maxsize=4096)
def _field_kinds(names: str) -> tuple[str, ...]:
    """The fields an element's class/test id/itemprop names (not a post's own date);
    memoised, as a page repeats its class strings."""
    published = _PUBLISHED.search(names) is not None
    return tuple(
        kind
        for kind, pattern in _FIELDS.items()
        if not (kind == "date" and published) and pattern.search(names)
    )


def _published(node: LexborNode, root: LexborNode) -> bool:
    """A post's own date (a byline, "Blog-meta-item--date", itemprop=datePublished)."""
    current: LexborNode | None = node
    while current is not None:
        attrs = current.attributes
        names = " ".join(str(attrs.get(a) or "") for a in ("class", "itemprop", "id"))
        if _PUBLISHED.search(names):
            return True
        if current is root:
            return False
        current = current.parent
    return False


def field(block: Block, kind: str) -> str | None:
    """One field of :func:`fields_of`."""
    return fields_of(block)[kind]


def _body_lines(block: Block) -> list[str]:
    """The block's lines without its title line."""
    lines = split_fields(lines_of(list(block.nodes)))
    if (block.root is not None or block.heading in block.nodes) and block.title in lines:
        lines.remove(block.title)
    return lines


def full_title(block: Block, title: str) -> str:
    """A title cut off on the card ("Summer at the Library: Gaming ...") completed from the
    card's own attributes (an ``aria-label``, a ``title``, an image's ``alt``)."""
    stripped = title.rstrip()
    if not stripped.endswith(("...", "\u2026")):
        return title
    prefix = stripped.rstrip(".\u2026 ")
    if len(prefix) < 8:
        return title
    best = title
    for root in (n for n in block.nodes if n.tag not in ("-text", "_text")):
        for node in root.traverse():
            for name in ("aria-label", "title", "alt"):
                value = " ".join(str(node.attributes.get(name) or "").split())
                at = value.find(prefix)
                if at < 0:
                    continue
                found = _TRAILING_MEDIA.sub("", value[at:])
                if len(found) > len(best.rstrip(".\u2026 ")) and not found.endswith(
                    ("...", "\u2026")
                ):
                    best = found
    return best


def event_name(block: Block, heading: str) -> str:
    """The heading; for a news-style headline, the emphasised name the copy repeats."""
    words = heading.split()
    lower = sum(1 for w in words if w[:1].islower())
    if len(words) < 9 or lower < 0.5 * len(words):
        return heading
    text = block.text()
    for node in (
        n for root in block.nodes if root.tag not in ("-text", "_text") for n in root.css(_EMPHASIS)
    ):
        name = text_of(node).strip(" .,:;\"'\u201c\u201d")
        short = 1 <= len(name.split()) <= 10 and name[:1].isupper()
        if short and text.count(name) >= 2 and name not in heading:
            return name
    return heading


def _link(block: Block, page_url: str) -> str | None:
    """The item's own link: around or in its heading, the tile itself, or a ticket link."""
    if block.heading is not None:
        node: LexborNode | None = block.heading
        while node is not None and node is not block.root and node.tag != "body":
            if node.tag == "a" and node.attributes.get("href"):
                return absolute(node.attributes.get("href"), page_url)
            node = node.parent
        if block.root is None:
            return own_link(block.heading, list(block.nodes), page_url)
        inner = block.heading.css_first("a[href]")
        if inner is not None:
            return absolute(inner.attributes.get("href"), page_url)
    root = block.root
    if root is not None and root.tag == "a":
        return absolute(root.attributes.get("href"), page_url)
    if root is not None:
        for anchor in root.css("a[href]"):
            if text_of(anchor) == block.title:
                return absolute(anchor.attributes.get("href"), page_url)
    return None


def _image(block: Block, page_url: str) -> str | None:
    for node in block.nodes:
        if node.tag not in ("-text", "_text"):
            found = image_of(node, page_url)
            if found:
                return found
    return None


def _time_element(block: Block) -> tuple[str | None, str | None, str | None]:
    """The block's ``<time datetime>`` elements: the first's text and value, the last's value.

    More than two times are a list of sessions, read from the text instead.
    """
    elements = [n for n in block.nodes if n.tag not in ("-text", "_text")]
    found = [
        t
        for n in elements
        for t in n.css("time[datetime]")
        if t.attributes.get("datetime") and not _published(t, n)
    ]
    if not found or len(found) > 2:
        return None, None, None
    first, last = found[0], found[-1]
    end = last.attributes.get("datetime") if last is not first else None
    return spaced_text(first) or None, first.attributes.get("datetime"), end


ADAPTER = GenericAdapter()
