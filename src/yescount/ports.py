"""Protocols the services depend on; storage/search/ingest provide the implementations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

# The clock is a parameter everywhere so tests can freeze time.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Timezone-aware current time (UTC)."""
    return datetime.now(UTC)
