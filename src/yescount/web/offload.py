"""Run blocking service calls (database work) off the event loop on a few worker threads.

FastAPI runs plain ``def`` endpoints on AnyIO's shared pool (Streamlit sizes it
to 28 threads for static files) and validates their responses there too. Under
50 concurrent clients that means two thread hand-offs per request and dozens of
threads fighting for the GIL; async endpoints that send only the service call
to a small, bounded pool answer the same load with far less waiting.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter

P = ParamSpec("P")
T = TypeVar("T")

DEFAULT_THREADS = 8


class Offload:
    """``await off(func, *args, **kwargs)`` runs ``func`` on one of ``threads`` workers."""

    def __init__(self, threads: int = DEFAULT_THREADS) -> None:
        self.threads = threads
        self._limiter: CapacityLimiter | None = None

    async def __call__(self, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._limiter is None:  # created lazily, inside the running event loop
            self._limiter = CapacityLimiter(self.threads)
        call = functools.partial(func, *args, **kwargs)
        return await anyio.to_thread.run_sync(call, limiter=self._limiter)
