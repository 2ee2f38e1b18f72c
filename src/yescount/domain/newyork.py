"""New York time: every listing is a New York event, so "today" is New York's calendar day.

The one home of the zone, of "today" and of the default evening slot (7–10 pm) that
plans, invites and the recommender share.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")
EVENING_START = time(19, 0)
EVENING_END = time(22, 0)


def today(now: datetime | Callable[[], datetime]) -> date:
    """The New York calendar date at ``now`` (a moment, or a clock to read it from)."""
    moment = now() if callable(now) else now
    return moment.astimezone(NEW_YORK).date()
