"""Links of a plan and the ready-to-paste invite text for a pick (SPEC §1 step 6, UI.md).

Example::

    🎉 YesCount pick: Jazz in the Park
    📅 Fri, Mar 13 · 7–10 pm   📍 Naumburg Bandshell, Central Park   💰 Free
    👥 Ema, Jake and Mia are in!
    🔗 https://example.org/jazz
    Plan & RSVP: https://yescount.example/?session=…
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from uuid import UUID

from yescount.domain.events import Event
from yescount.domain.urls import http_url

# --- links -----------------------------------------------------------------------


def share_link(base_url: str, session_id: UUID) -> str:
    """The public link friends join with: ``{BASE_URL}/?session=<uuid>``."""
    return f"{base_url.rstrip('/')}/?{urlencode({'session': str(session_id)})}"


def personal_link(base_url: str, session_id: UUID, participant_token: str) -> str:
    """Share link plus the participant's token: resume on any device."""
    return f"{share_link(base_url, session_id)}&{urlencode({'me': participant_token})}"


def organizer_link(
    base_url: str, session_id: UUID, participant_token: str, organizer_token: str
) -> str:
    """Personal link plus the organizer token (lock, archive, edit rules)."""
    own = personal_link(base_url, session_id, participant_token)
    return f"{own}&{urlencode({'org': organizer_token})}"


# --- times -----------------------------------------------------------------------


def pick_times(
    event: Event, day: date, slot_start: time, slot_end: time
) -> tuple[datetime, datetime]:
    """Naive local (New York) start and end: the event's own time when known, else the slot."""
    slot_length = datetime.combine(day, slot_end) - datetime.combine(day, slot_start)
    if event.time_start is None:
        return datetime.combine(day, slot_start), datetime.combine(day, slot_end)
    begins = datetime.combine(day, event.time_start)
    if event.time_end is not None:
        ends = datetime.combine(day, event.time_end)
        if ends <= begins:  # runs past midnight
            ends += timedelta(days=1)
        return begins, ends
    return begins, begins + max(slot_length, timedelta(hours=1))


def _clock(moment: time, *, with_suffix: bool) -> str:
    hour = moment.hour % 12 or 12
    text = f"{hour}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}"
    if with_suffix:
        text += " am" if moment.hour < 12 else " pm"
    return text


def time_range_label(begins: time, ends: time) -> str:
    """ "7–10 pm", "11:30 am–1 pm", "9 pm–1 am"."""
    same_half = (begins.hour < 12) == (ends.hour < 12)
    first = _clock(begins, with_suffix=not same_half)
    return f"{first}–{_clock(ends, with_suffix=True)}"


def day_label(day: date) -> str:
    """ "Fri, Mar 13"."""
    return f"{day:%a}, {day:%b} {day.day}"


def names_sentence(names: Sequence[str]) -> str:
    """ "Ema is in!", "Ema and Jake are in!", "Ema, Jake and Mia are in!"."""
    if not names:
        return "Who's in? Say yes on the plan page!"
    if len(names) == 1:
        return f"{names[0]} is in!"
    return f"{', '.join(names[:-1])} and {names[-1]} are in!"


# --- invite text --------------------------------------------------------------------


def invite_text(
    *,
    event: Event,
    day: date,
    slot_start: time,
    slot_end: time,
    attendees: Sequence[str],
    plan_link: str,
    check_dates: bool = False,
) -> str:
    """The invite for one pick: what, when, where, price, who, event link, plan link."""
    begins, ends = pick_times(event, day, slot_start, slot_end)
    when = f"📅 {day_label(day)} · {time_range_label(begins.time(), ends.time())}"
    if check_dates:
        when += " (check the event page for dates)"
    details = [when]
    if event.location:
        details.append(f"📍 {event.location}")
    price = event.price_label()
    if price:
        details.append(f"💰 {price}")
    lines = [
        f"🎉 YesCount pick: {event.title}",
        "   ".join(details),
        f"👥 {names_sentence(attendees)}",
    ]
    link = http_url(event.url)
    if link:
        lines.append(f"🔗 {link}")
    lines.append(f"Plan & RSVP: {plan_link}")
    return "\n".join(lines)
