"""Reject what is not an event, with a stable reason code (SPEC §3).

Reason codes: ``missing_title``, ``roundup_title``, ``newsletter``, ``advert``,
``not_event_section``, ``news``, ``closure``, ``guide``, ``cancelled``,
``past_event``, ``duplicate``, ``excluded_type``, ``teaser``, ``no_details``,
``unsafe_url`` (no safe http(s) link for the event), and ``unreadable`` (set by the
pipeline when a candidate cannot be normalized at all).
"""

from __future__ import annotations

import re
from datetime import date

from yescount.domain.events import DateStatus
from yescount.ingest import classify
from yescount.ingest.normalize import Draft
from yescount.ingest.sources.base import PageKind

REASONS: tuple[str, ...] = (
    "missing_title",
    "roundup_title",
    "newsletter",
    "advert",
    "not_event_section",
    "news",
    "closure",
    "guide",
    "cancelled",
    "past_event",
    "duplicate",
    "excluded_type",
    "teaser",
    "no_details",
    "unsafe_url",
    "unreadable",
    *classify.REASONS,
)
# Candidates a page states as data (schema.org, microformats, JSON state, Socrata rows).
STRUCTURED_METHODS = frozenset(
    {"jsonld", "microdata", "rdfa", "microformat", "opengraph", "embedded_json", "socrata"}
)

_ROUNDUP = re.compile(
    r"^(?:the\s+)?(?:top\s+)?\d+\s+(?:of the\s+)?(?:best|great|fun|free|cheap|cool|new|epic|"
    r"fantastic|amazing|awesome|unmissable|festive|spooky|things|ways|events|places|reasons)\b"
    r"|\bthings to do\b|\bbest things\b|\bevents (?:this|in nyc this|to check out)\b"
    r"|^(?:the\s+)?(?:\d+\s+)?best\b|\bwhat'?s on\b|\bweekend guide\b"
    r"|\b(?:this|next) weekend in (?:nyc|new york)\b"
    r"|\bour (?:top )?picks\b|\bthe best of\b|\bcalendar of events\b",
    re.IGNORECASE,
)
_NEWSLETTER = re.compile(
    r"\bnewsletter\b|\bsign up\b|\bsubscribe\b|\bin your inbox\b|\bstay in the loop\b"
    r"|\bget the best of\b|\bjoin our (?:mailing )?list\b",
    re.IGNORECASE,
)
_ADVERT = re.compile(
    r"\bsponsored\b|\badvertisement\b|\bpartner content\b|\bpromoted\b|\bpaid partnership\b"
    r"|\bpresented by our partners\b",
    re.IGNORECASE,
)
_SECTION = re.compile(
    r"^(?:related(?: articles| posts| stories)?|more from\b|you (?:may|might) also like"
    r"|read (?:more|next)|trending(?: now)?|popular(?: now| posts)?|recommended(?: for you)?"
    r"|comments?|leave a (?:comment|reply)|about the author|follow us|share this|latest"
    r"|more (?:stories|things to do|events)|in this article|table of contents|faqs?"
    r"|tips\b|(?:how to )?get(?:ting)? there\b|good to know|before you go|map\b)\b"
    r"|\b(?:let us know|tell us|in the comments|share your)\b",
    re.IGNORECASE,
)
_CLOSURE = re.compile(
    r"\b(?:(?:is |are )?(?:permanently )?clos(?:ing|ed|es)(?: (?:for good|permanently|its doors"
    r"|after \d+ years|down))|shutter(?:s|ed|ing)|shut(?:s|ting)? down|final day of service"
    r"|last day (?:of|in) business|closing (?:for good|permanently))\b",
    re.IGNORECASE,
)
# In running text only explicit announcements count (a tour may visit a "shuttered" station).
_CLOSURE_TEXT = re.compile(
    r"\b(?:(?:is|are|will be) clos(?:ing|ed) (?:for good|permanently)"
    r"|will (?:close|shut) (?:its doors|for good|permanently)|final day of service"
    r"|last day (?:of|in) business)\b",
    re.IGNORECASE,
)
_NEWS_TITLE = re.compile(
    r"\b(?:announces?|announced|lawsuit|arrested|police|officials say|report(?:s|ed)? that"
    r"|according to|is leaving|rent hike|fare hike|investigation|dies at|obituary)\b",
    re.IGNORECASE,
)


def rejection_reason(draft: Draft, *, page_kind: PageKind, today: date) -> str | None:
    """The first reason this draft is not an upcoming event, or None to accept it."""
    record, candidate = draft.record, draft.candidate
    title = record.title
    structured = candidate.extraction_method in STRUCTURED_METHODS
    if len(title) < 3 or not any(ch.isalpha() for ch in title):
        return "missing_title"
    if not record.url:
        return "unsafe_url"
    if candidate.flags.get("excluded_type"):
        return "excluded_type"
    if _NEWSLETTER.search(title):
        return "newsletter"
    if _ADVERT.search(title) or candidate.flags.get("advert"):
        return "advert"
    if _SECTION.search(title):
        return "not_event_section"
    # A dated data record named "Best Buddies Ride" is an event, not a "best of" list.
    if _ROUNDUP.search(title) and not (structured and draft.dates.start is not None):
        return "roundup_title"
    if candidate.flags.get("cancelled"):
        return "cancelled"
    if _CLOSURE.search(title) or (not structured and _CLOSURE_TEXT.search(record.description)):
        return "closure"
    if _NEWS_TITLE.search(title) or (page_kind is PageKind.NEWS and not structured):
        return "news"
    if candidate.flags.get("reject"):
        return str(candidate.flags["reject"])
    # On a guide ("best bagels"), opening hours are not event dates: need a real day.
    undated = draft.dates.start is None and draft.dates.end is None
    if page_kind is PageKind.GUIDE and not structured and undated:
        return "guide"
    # An index page's heading that only links to another article of the same site.
    if candidate.flags.get("teaser") and undated:
        return "teaser"
    # A heading with nothing under it (a map, a poll): no date, place, price or text.
    if not structured and undated and draft.dates.is_unclear and _is_bare(draft):
        return "no_details"
    if is_past(draft, today=today):
        return "past_event"
    return None


def _is_bare(draft: Draft) -> bool:
    record = draft.record
    return record.location is None and record.price_min is None and len(record.description) < 40


def is_past(draft: Draft, *, today: date) -> bool:
    """Over before ``today``: single by its date, range/multiple by their end."""
    dates = draft.dates
    if dates.status is DateStatus.SINGLE:
        return dates.start is not None and dates.start < today
    return dates.end is not None and dates.end < today
