"""Titles of listing blocks: a heading's visible words, or the element a card marks as its title.

A heading loses text only screen readers get ("Read more about ...") and a date line set
apart by a line break ("MADE IN AMERICA<br>On view through Sept. 27"); a card without a
heading is titled by a class ("card__title", "event-name", "h6"), a bold name that opens
its text, or its first link that is not a button ("Learn more", "Tickets").
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborNode

from yescount.ingest.html import text_of

# Matched against lower-cased text (several times faster than IGNORECASE).
_DATEISH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days\b|\bevery\s+\w+day\b|\b20\d\d-\d\d-\d\d\b"
    r"|\bon view\b|\bongoing\b|\bopens\b|\btoday\b"
)


def mentions_date(text: str) -> bool:
    """The text names a day, a weekly schedule or a run ("Oct 4", "Fridays", "On view")."""
    return _DATEISH.search(text.lower()) is not None


# Class tokens that end in a title word ("card__title", "event-name"; not "field--name-x").
_TITLE_CLASS = re.compile(r"(?:^|[-_\s])(?:title|name|heading|headline)(?:\s|$)", re.IGNORECASE)
_HEADING_CLASS = re.compile(r"(?:^|\s)h[1-6](?:\s|$)", re.IGNORECASE)
_HIDDEN = re.compile(r"visually-hidden|sr-only|screen-reader|offscreen|hidden", re.IGNORECASE)
# Text only screen readers get ("Read more about ...", "." after a title link).
_HIDDEN_TEXT = re.compile(
    r"(?:^|\s)(?:[a-z-]*visually-hidden|(?:is-)?sr-only|screen-reader-text|hidden-link)(?:\s|$)",
    re.IGNORECASE,
)
# A heading's second line that is a run's date wording ("On view through ...", "Opens ...").
_RUN_LINE = re.compile(r"\s*(?:on view|now on view|opens|opening|through|until|closes)\b", re.I)
MAX_LINK_TITLE = 150
_CTA = re.compile(
    r"\s*(?:read|learn|see|view|find out) more|more info|details|(?:buy|get|book) (?:tickets?|now)"
    r"|register|rsvp|sign up|book now|tickets?\b",
    re.IGNORECASE,
)


def heading_title(node: LexborNode) -> str:
    """A heading's visible words: no screen-reader-only or ``aria-hidden`` text ("Read more
    about ..."), and when a line break sets a date line apart ("MADE IN AMERICA<br>On view
    through Sept. 27"), only the lines before it (the date stays in the block's text)."""
    words: list[str] = []
    for part in node.traverse(include_text=True):
        if part.tag == "-text" and not _hidden_within(part, node):
            words.append(part.text_content or "")
        elif part.tag == "br":
            words.append("\n")
    lines = [" ".join(line.split()) for line in "".join(words).split("\n")]
    lines = [line for line in lines if line]
    for index, line in enumerate(lines[1:], start=1):
        if mentions_date(line) or _RUN_LINE.match(line):
            lines = lines[:index]
            break
    return " ".join(lines)


def _hidden_within(part: LexborNode, top: LexborNode) -> bool:
    current = part.parent
    while current is not None:
        attrs = current.attributes
        if attrs.get("aria-hidden") == "true" or _hidden_class(attrs.get("class") or ""):
            return True
        if current is top:
            return False
        current = current.parent
    return False


@lru_cache(maxsize=4096)
def _hidden_class(classes: str) -> bool:
    return bool(classes) and _HIDDEN_TEXT.search(classes) is not None


def spaced_text(node: LexborNode) -> str:
    """A node's text with its elements' words kept apart ("19 June 2026", not "19June2026")."""
    return " ".join(node.text(deep=True, separator=" ").split())


def titled(node: LexborNode) -> LexborNode | None:
    """The element a card marks as its title by class ("card__title", "event-name", "h6").

    A heading class ("h3") wins, then a short title that is a link's text ("event-name"
    over a "channel-title" label); hidden labels ("visually-hidden") never count.
    """
    ranked: list[tuple[int, int, LexborNode]] = []
    for order, element in enumerate(node.traverse()):
        classes = element.attributes.get("class") or ""
        if element is node or not classes:
            continue
        kind = _class_kind(classes)
        if kind is None:
            continue
        text = spaced_text(element)
        if not text or len(text) > MAX_LINK_TITLE:
            continue
        if kind and any(text_of(a) == text_of(element) for a in element.css("a[href]")):
            kind = 1
        ranked.append((kind, order, element))
    return min(ranked, key=lambda r: (r[0], r[1]))[2] if ranked else None


@lru_cache(maxsize=4096)
def _class_kind(classes: str) -> int | None:
    """0 for a heading class ("h3"), 2 for a title class ("card__title"), None otherwise
    (and for hidden labels); memoised, as a page repeats its class strings."""
    if _HIDDEN.search(classes):
        return None
    if _HEADING_CLASS.search(classes):
        return 0
    return 2 if _TITLE_CLASS.search(classes) else None


def leading_emphasis(node: LexborNode) -> LexborNode | None:
    """A bold name that opens the card's text ("<p><strong>Siena: ...</strong><br>Oct 15...")."""
    for element in node.css("strong, b"):
        text = spaced_text(element)
        if not text or len(text) > MAX_LINK_TITLE:
            continue
        before = spaced_text(node).split(text, 1)[0]
        return element if len(before.strip()) <= 2 else None
    return None


def title_link(node: LexborNode) -> LexborNode | None:
    for anchor in node.css("a[href]"):
        label = text_of(anchor)
        if len(label) >= 3 and any(ch.isalpha() for ch in label) and not _CTA.match(label):
            return anchor
    return None
