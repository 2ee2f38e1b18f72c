"""An RFC 5545 calendar file for a pick, written with the standard library.

Times are local New York wall-clock times: ``DTSTART;TZID=America/New_York``
plus a matching ``VTIMEZONE`` (the US rules in force since 2007), because the
evening slot is defined in New York time and calendar apps then show the
right hour wherever the reader is. ``DTSTAMP`` is UTC as the RFC requires.
Lines end with CRLF and are folded at 75 octets without splitting a UTF-8
character; TEXT values escape backslash, semicolon, comma and newlines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from yescount.domain.newyork import NEW_YORK
from yescount.domain.urls import http_url

TZID = NEW_YORK.key
PRODID = "-//YesCount//Group outing planner//EN"
MAX_OCTETS = 75

_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:-0500",
    "TZOFFSETTO:-0400",
    "TZNAME:EDT",
    "DTSTART:20070311T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:-0400",
    "TZOFFSETTO:-0500",
    "TZNAME:EST",
    "DTSTART:20071104T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """What goes into the VEVENT; ``begins``/``ends`` are naive New York local times."""

    uid: str
    title: str
    begins: datetime
    ends: datetime
    url: str
    description: str = ""
    location: str | None = None


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line into chunks of at most 75 octets (RFC 5545 §3.1)."""
    chunks: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            # Continuation lines start with one space, which counts towards 75.
            current, size, limit = " ", 1, MAX_OCTETS
        current += char
        size += width
    chunks.append(current)
    return "\r\n".join(chunks)


def _stamp(moment: datetime) -> str:
    # strftime("%Y") drops leading zeros before year 1000 on glibc ("10101" for 0001-01-01):
    # RFC 5545 DATE-TIME always has a four-digit year.
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    )


def _local(moment: datetime) -> str:
    return _stamp(moment)


def _utc(moment: datetime) -> str:
    return _stamp(moment.astimezone(UTC)) + "Z"


def _uri(value: str) -> str:
    # A URI value is not escaped like TEXT; keep it on one line and space-free.
    return "".join(c for c in value.strip() if c.isprintable()).replace(" ", "%20")


def _vevent(event: CalendarEvent, now: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART;TZID={TZID}:{_local(event.begins)}",
        f"DTEND;TZID={TZID}:{_local(event.ends)}",
        f"SUMMARY:{escape_text(event.title)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    link = http_url(event.url)
    if link:
        lines.append(f"URL:{_uri(link)}")
    lines.append("END:VEVENT")
    return lines


def render_calendar(events: Iterable[CalendarEvent], *, now: datetime) -> bytes:
    """A complete VCALENDAR (UTF-8, CRLF line ends) with one VEVENT per event."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *_VTIMEZONE,
    ]
    for event in events:
        lines.extend(_vevent(event, now))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")
