"""Listicle articles: one candidate per heading section; the article title is never one."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from yescount.ingest.html import absolute, image_of, lines_of, text_of
from yescount.ingest.models import Candidate
from yescount.ingest.normalize import clean_title

_LABEL = r"^\s*(?:[^\w\s]{{1,3}}\s*)?(?:{words})\s*(?:[:\uff1a]|\s[-–—]\s)\s*(?P<value>.+)$"
DATE_LABEL = re.compile(
    _LABEL.format(words=r"when|dates?|date (?:and|&) time|time|hours|on view|runs|schedule"),
    re.IGNORECASE,
)
WHERE_LABEL = re.compile(
    _LABEL.format(words=r"where|location|venue|address|place|meeting point"), re.IGNORECASE
)
PRICE_LABEL = re.compile(
    _LABEL.format(words=r"price|prices|cost|tickets?|admission|entry|fee"), re.IGNORECASE
)
_LINK_WORDS = re.compile(
    r"\b(?:tickets?|book|buy|reserve|rsvp|register|more info|info|learn more|website|details"
    r"|official site|find out more|get yours|sign up here)\b",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"^\s*(?:photo(?:graph)?s?|image|credit|courtesy)\b\s*(?:[:|]|by\b)", re.I)
_SPLIT = re.compile(r"\s+(?:\||•|·)\s+")
EVIDENCE_MAX = 1500


def slug(text: str) -> str:
    """A URL anchor from a heading ("Holiday Train Show!" → "holiday-train-show")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


def section_nodes(heading: LexborNode, tag: str) -> list[LexborNode]:
    """The siblings after a heading up to the next heading of the same level."""
    nodes = []
    sibling = heading.next
    while sibling is not None:
        if sibling.tag == tag or (sibling.tag not in ("-text", "_text") and sibling.css_first(tag)):
            break
        nodes.append(sibling)
        sibling = sibling.next
    return nodes


def split_fields(lines: list[str]) -> list[str]:
    """``When: X | Where: Y`` on one line becomes two lines."""
    out: list[str] = []
    for line in lines:
        out.extend(part.strip() for part in _SPLIT.split(line) if part.strip())
    return out


def labelled(lines: list[str], pattern: re.Pattern[str]) -> str | None:
    """The value of the first ``Label: value`` line matching ``pattern``."""
    for line in lines:
        match = pattern.match(line)
        if match:
            return match.group("value").strip()
    return None


def own_link(heading: LexborNode, nodes: list[LexborNode], page_url: str) -> str | None:
    """The event's own link: in the heading, else a "Tickets"/"More info" link in the section."""
    link = heading.css_first("a[href]")
    if link is not None:
        return absolute(link.attributes.get("href"), page_url)
    for node in nodes:
        if node.tag in ("-text", "_text"):
            continue
        anchors = [node] if node.tag == "a" else node.css("a[href]")
        for anchor in anchors:
            if _LINK_WORDS.search(text_of(anchor)):
                found = absolute(anchor.attributes.get("href"), page_url)
                if found:
                    return found
    return None


def listicle_candidates(
    doc: LexborHTMLParser, page_url: str, *, container: str, heading: str = "h2"
) -> list[Candidate]:
    """One candidate per ``heading`` section inside the article body."""
    body = doc.css_first(container) or doc.body
    if body is None:
        return []
    found = []
    for head in body.css(heading):
        title = text_of(head)
        if not title:
            continue
        nodes = section_nodes(head, heading)
        found.append(section_candidate(head, nodes, title=title, page_url=page_url))
    return found


def section_candidate(
    head: LexborNode, nodes: list[LexborNode], *, title: str, page_url: str
) -> Candidate:
    """A candidate from one heading and the nodes of its section."""
    lines = split_fields(lines_of(nodes))
    # Numbering ("3.") is left out so reordering the list keeps each id stable.
    anchor = head.attributes.get("id") or slug(clean_title(title))
    link = own_link(head, nodes, page_url)
    plain = [line for line in lines if is_prose(line)]
    return Candidate(
        title=title,
        page_url=page_url,
        extraction_method="listicle",
        url=f"{page_url.split('#', 1)[0]}#{anchor}",
        description=" ".join(plain),
        date_text=labelled(lines, DATE_LABEL),
        location=labelled(lines, WHERE_LABEL),
        price_text=labelled(lines, PRICE_LABEL),
        image_url=next(
            (
                i
                for i in (image_of(n, page_url) for n in nodes if n.tag not in ("-text", "_text"))
                if i
            ),
            None,
        ),
        source_id_hint=link,
        anchor=anchor,
        evidence="\n".join([title, *lines])[:EVIDENCE_MAX],
        flags={"lines": lines, "teaser": _is_teaser(head, link, page_url)},
    )


def is_prose(line: str) -> bool:
    """Description text: not a label line, a photo credit or a bare "Get tickets" link."""
    if DATE_LABEL.match(line) or WHERE_LABEL.match(line) or PRICE_LABEL.match(line):
        return False
    if _CREDIT.match(line):
        return False
    return not (len(line) <= 30 and _LINK_WORDS.search(line))


def _is_teaser(head: LexborNode, link: str | None, page_url: str) -> bool:
    """A heading that links to another article of the same site (an index page's teaser)."""
    if link is None or head.css_first("a[href]") is None:
        return False
    here, there = urlsplit(page_url), urlsplit(link)
    return here.hostname == there.hostname and here.path.rstrip("/") != there.path.rstrip("/")
