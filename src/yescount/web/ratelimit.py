"""Per-client rate limits for public and expensive actions, shared by the API and the UI.

The ``limits`` library keeps the counters: in memory by default (exact for one
process), or in Redis when ``RATE_LIMIT_STORAGE_URI`` says ``redis://…``, so several
replicas share one budget by configuration alone. Each action has its own budget,
so heavy searching never eats into plan previews or joins. A moving window is used:
no burst of twice the budget across a window boundary.

The client is the connection's address; ``X-Forwarded-For`` is believed only from
the proxies in ``TRUSTED_PROXIES`` (``web.server`` applies that before any route).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from yescount.config import Settings
from yescount.errors import RateLimitedError

Wallclock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Budget:
    """``per_minute`` actions of one kind per client; ``what`` names them to the user."""

    what: str
    per_minute: int

    @property
    def item(self) -> RateLimitItem:
        return RateLimitItemPerMinute(self.per_minute)


# Action name → budget setting. The names are also the keys of the counters.
ACTIONS = ("preview", "search", "cards_search", "create", "join")


def budgets_from_settings(settings: Settings) -> dict[str, Budget]:
    return {
        "preview": Budget("plan previews", settings.preview_rate_limit_per_minute),
        "search": Budget("searches", settings.search_rate_limit_per_minute),
        "cards_search": Budget("card searches", settings.search_rate_limit_per_minute),
        "create": Budget("new plans", settings.create_rate_limit_per_minute),
        "join": Budget("joins", settings.join_rate_limit_per_minute),
    }


class RateLimiter:
    """Count one hit per (action, client); refuse with RateLimitedError past the budget."""

    def __init__(
        self,
        budgets: Mapping[str, Budget],
        *,
        storage_uri: str = "memory://",
        wallclock: Wallclock = time.time,
    ) -> None:
        self.budgets = dict(budgets)
        self._storage = storage_from_string(storage_uri)
        self._strategy = MovingWindowRateLimiter(self._storage)
        self._wallclock = wallclock

    def check(self, action: str, client: str) -> None:
        """Record a hit, or raise RateLimitedError with ``retry_after`` seconds."""
        budget = self.budgets[action]
        if self._strategy.hit(budget.item, action, client):
            return
        stats = self._strategy.get_window_stats(budget.item, action, client)
        seconds = max(1, math.ceil(stats.reset_time - self._wallclock()))
        raise RateLimitedError(
            f"Too many {budget.what} from this device. Try again in {seconds} s.",
            code="rate_limited",
            details={"retry_after": seconds},
        )

    def reset(self) -> None:
        """Forget every counter (tests, or an operator clearing a false alarm)."""
        self._storage.reset()


def limiter_from_settings(settings: Settings) -> RateLimiter:
    return RateLimiter(budgets_from_settings(settings), storage_uri=settings.rate_limit_storage_uri)
