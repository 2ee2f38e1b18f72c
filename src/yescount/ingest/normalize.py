"""Candidates become event records: clean text, dates, prices, tags, canonical URLs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from yescount.domain.events import DateStatus, EventRecord, Recurrence, SourceLink
from yescount.domain.urls import http_url
from yescount.ingest import classify, mentions, prices
from yescount.ingest.bounds import bound_record
from yescount.ingest.dates import DateInfo, parse_structured, parse_when
from yescount.ingest.html import canonical, clean
from yescount.ingest.models import Candidate
from yescount.ingest.tags import TagVocabulary

DESCRIPTION_MAX = 2000
TITLE_MAX = 300
LOCATION_MAX = 300
_NUMBERING = re.compile(
    r"^\s*(?:#\s*\d{1,3}\s*[.):\]\u2013\u2014-]?\s+|(?:no\.\s*)?\d{1,3}\s*(?:[.):\]]|\s[-\u2013\u2014])\s*)",
    re.IGNORECASE,
)
_SITE_SUFFIX = re.compile(
    r"\s*[|–—-]\s*(?:time ?out(?: new york)?|secret ?nyc|fever|untapped (?:new york|cities)"
    r"|hidden ?nyc)\s*$",
    re.IGNORECASE,
)
# Lines that mention dates that are not the event's ("tickets go on sale Dec 1").
_NOT_EVENT_DATE = re.compile(
    r"\b(?:on sale|presale|pre-sale|deadline|posted|updated|published|announced|last year"
    r"|in 19\d\d|since|founded|opened in)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Draft:
    """A normalized candidate before validation: the record plus what validation needs."""

    record: EventRecord
    dates: DateInfo
    candidate: Candidate
    # Values dropped or cut to keep the event (reason codes of ``ingest.bounds``).
    dropped: tuple[str, ...] = ()


def clean_title(raw: str) -> str:
    """Entities decoded, tags stripped, no list numbering, no site suffix, no edge emoji."""
    title = clean(raw)
    title = _NUMBERING.sub("", title, count=1)
    title = _SITE_SUFFIX.sub("", title)
    title = _strip_quotes(_strip_symbols(title).strip(" :\u2013\u2014-"))
    return title[:TITLE_MAX].strip()


_QUOTES = "\"'\u201c\u201d\u2018\u2019"


def _strip_quotes(title: str) -> str:
    """Quotes around the whole title go; a quoted name inside it keeps both marks."""
    inner = title.strip(_QUOTES)
    if not any(q in inner for q in _QUOTES):
        return inner.strip(" :\u2013\u2014-")
    if title[:1] in _QUOTES and title[-1:] in _QUOTES and inner.count(title[0]) == 0:
        return inner
    return title


def _strip_symbols(text: str) -> str:
    chars = list(text.strip())
    while chars and unicodedata.category(chars[0]) in ("So", "Sk", "Cf", "Zs"):
        chars.pop(0)
    while chars and unicodedata.category(chars[-1]) in ("So", "Sk", "Cf", "Zs"):
        chars.pop()
    return "".join(chars)


def cap(text: str, limit: int) -> str:
    """Cut at a word boundary below ``limit`` characters, marking the cut with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def event_dates(candidate: Candidate, *, ref: date) -> DateInfo:
    """Structured values first, then the labelled date text, then the section's lines."""
    from_text = _date_text(candidate, ref=ref)
    if candidate.start_value:
        structured = parse_structured(
            candidate.start_value, candidate.end_value, ref=ref, more_starts=candidate.extra_dates
        )
        richer = from_text.status in (DateStatus.RANGE, DateStatus.MULTIPLE)
        info = from_text if richer and structured.status is DateStatus.SINGLE else structured
        if info.time_start is None and info.start is not None:
            info = _hours_from_text(info, from_text, candidate, ref=ref)
    elif not from_text.is_unclear:
        info = from_text
    elif candidate.flags.get("prose"):
        info = mentions.event_dates(prose(candidate), ref=ref)
    else:
        info = _from_lines(candidate, ref=ref)
    day = mentions.day_heading(candidate.flags.get("day"), ref=ref)
    if day is not None:
        # Listed under a day heading: this entry is that day's occurrence.
        info = DateInfo(
            DateStatus.SINGLE, day, None, info.time_start, info.time_end, 0.9, info.evidence
        )
    if candidate.flags.get("recurring") and info.status is not DateStatus.UNCLEAR:
        info = replace(info, status=DateStatus.MULTIPLE)
    return info


def _hours_from_text(
    info: DateInfo, from_text: DateInfo, candidate: Candidate, *, ref: date
) -> DateInfo:
    """A structured day without hours (``<time datetime="2026-07-14">July 14 @ 7:00 pm -
    9:00 pm</time>``) takes the hours its text gives for the same day."""
    found = from_text
    if found.time_start is None and candidate.flags.get("prose"):
        found = mentions.event_dates(prose(candidate), ref=ref)
    if found.time_start is None or found.start not in (None, info.start):
        return info
    return replace(info, time_start=found.time_start, time_end=found.time_end)


def _date_text(candidate: Candidate, *, ref: date) -> DateInfo:
    """A block's date field read like prose ("Sundays in December"), else as a date line."""
    if candidate.flags.get("prose") and candidate.date_text:
        found = mentions.event_dates(candidate.date_text, ref=ref)
        relative = mentions.relative_day(candidate.date_text, ref=ref)
        if relative is not None and found.is_unclear:
            return replace(found, status=DateStatus.SINGLE, start=relative, confidence=0.8)
        if not found.is_unclear:
            return found
    return parse_when(candidate.date_text, ref=ref)


def prose(candidate: Candidate) -> str:
    """A block's title and lines, one per line, as the date finder reads them."""
    lines: list[str] = candidate.flags.get("lines") or [candidate.description]
    return "\n".join([candidate.title, *lines])


def _from_lines(candidate: Candidate, *, ref: date) -> DateInfo:
    lines: list[str] = candidate.flags.get("lines") or [candidate.description]
    for line in lines:
        if len(line) > 400 or _NOT_EVENT_DATE.search(line):
            continue
        info = parse_when(line, ref=ref)
        if not info.is_unclear:
            return replace(info, confidence=round(info.confidence * 0.9, 3))
    return parse_when(None, ref=ref)


def event_price(candidate: Candidate) -> prices.PriceRange:
    """Structured offers, else the price field, else a price sentence in the description."""
    if candidate.price_range is not None:
        return candidate.price_range
    found = prices.parse_price(candidate.price_text)
    if found == prices.UNKNOWN:
        found = prices.price_from_description(candidate.description)
    if found == prices.UNKNOWN:
        # Short info lines ("Open through March 28 · $39.90+") carry prices without a label.
        for line in candidate.flags.get("lines") or ():
            if len(line) <= 80 and "$" in line:
                found = prices.parse_price(line)
                if found != prices.UNKNOWN:
                    break
    return found


def normalize(
    candidate: Candidate,
    *,
    source: str,
    source_id: str,
    ref: date,
    vocabulary: TagVocabulary,
) -> Draft:
    """One candidate as an event record (not yet validated)."""
    title = clean_title(candidate.title)
    description = cap(clean(candidate.description), DESCRIPTION_MAX)
    location = cap(clean(candidate.location), LOCATION_MAX) or None
    dates = event_dates(candidate, ref=ref)
    if candidate.flags.get("prose"):
        dates, reason = classify.verdict(
            title,
            prose(candidate),
            dates,
            ref=ref,
            location=location,
            section=candidate.flags.get("section"),
        )
        if reason is not None:
            candidate.flags["reject"] = reason
    price_min, price_max = event_price(candidate)
    link = http_url(candidate.url) or http_url(candidate.page_url)
    url = canonical(link, keep_fragment=True) if link else ""
    text = " ".join([title, description, location or "", " ".join(candidate.keywords)])
    record = EventRecord(
        source=source,
        source_id=source_id,
        title=title,
        url=url,
        date_status=dates.status,
        extraction_method=candidate.extraction_method,
        description=description,
        date_start=dates.start,
        date_end=dates.end,
        time_start=dates.time_start,
        time_end=dates.time_end,
        date_confidence=dates.confidence,
        date_evidence=dates.evidence,
        recurrence=Recurrence(dates.weekdays) if dates.weekdays else None,
        location=location,
        price_min=price_min,
        price_max=price_max,
        image_url=canonical(candidate.image_url) if candidate.image_url else None,
        vibe_tags=vocabulary.tag(text, price_min=price_min, price_max=price_max),
        raw_payload=_payload(candidate),
        source_links=(SourceLink(source, url),),
    )
    bounded, dropped = bound_record(record)
    dropped = tuple(candidate.flags.get("dropped", ())) + dropped
    return Draft(record=bounded, dates=dates, candidate=candidate, dropped=dropped)


def _payload(candidate: Candidate) -> dict[str, Any]:
    """Where the event came from, for debugging a bad card later."""
    return {
        "page_url": candidate.page_url,
        "link": candidate.source_id_hint,
        "date_text": candidate.date_text,
        "price_text": candidate.price_text,
        "evidence": candidate.evidence,
    }
