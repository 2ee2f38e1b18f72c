"""Per-client rate limiting for public reads (a sliding window in memory).

One process serves the app, so an in-memory window per client key is exact;
several replicas would each enforce the limit on their own share of traffic.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from yescount.errors import RateLimitedError

Monotonic = Callable[[], float]


class SlidingWindowLimiter:
    """Allow at most ``limit`` hits per ``window_s`` seconds for each key."""

    def __init__(
        self,
        limit: int,
        window_s: float = 60.0,
        *,
        clock: Monotonic = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> float:
        """Record one hit for ``key``; 0 when allowed, else seconds until a slot frees."""
        now = self._clock()
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                self._evict_if_full(now)
                hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(hits[0] + self.window_s - now, 0.001)
            hits.append(now)
            return 0.0

    def check(self, key: str, *, what: str = "requests") -> None:
        """Record a hit or raise RateLimitedError with the wait in its details."""
        wait = self.retry_after(key)
        if wait:
            seconds = max(1, math.ceil(wait))
            raise RateLimitedError(
                f"Too many {what} from this device. Try again in {seconds} s.",
                code="rate_limited",
                details={"retry_after": seconds},
            )

    def _evict_if_full(self, now: float) -> None:
        # Bound memory against many distinct clients: drop keys whose window is over.
        if len(self._hits) < self._max_keys:
            return
        stale = [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window_s]
        for key in stale:
            del self._hits[key]
        if len(self._hits) >= self._max_keys:
            oldest = min(self._hits, key=lambda k: self._hits[k][-1])
            del self._hits[oldest]
