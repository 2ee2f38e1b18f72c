"""The clock port: a parameter everywhere, so tests can freeze time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Timezone-aware current time (UTC)."""
    return datetime.now(UTC)
