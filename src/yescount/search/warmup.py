"""Warm search up in the background at start-up (issue 12: fast from the first query).

Loading the embedding model, opening the vector index and reading the search
vocabularies take seconds; done on the first search they made it take 13-27 s.
``Warmup(steps).start()`` runs each step once in a daemon thread; ``status`` is
``warming`` until every step finished, then ``ready`` (or ``degraded`` when a step
failed: search then still answers, keyword-only if the model is the problem). Steps
given as ``again`` run once more every ``every_s`` seconds after that, until ``stop``
or their first failure: caches that expire are filled before a search needs them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from yescount.observability import get_logger

WarmupStatus = Literal["idle", "warming", "ready", "degraded"]
Step = tuple[str, Callable[[], object]]


@dataclass(frozen=True, slots=True)
class WarmupState:
    status: WarmupStatus
    detail: str
    seconds: float | None = None


class Warmup:
    """Runs ``steps`` (name, callable) once, in order, in a background thread; then
    ``again`` every ``every_s`` seconds until ``stop()``."""

    def __init__(
        self, steps: Sequence[Step], *, again: Sequence[Step] = (), every_s: float = 240.0
    ) -> None:
        self._steps = tuple(steps)
        self._again = tuple(again)
        self._every_s = every_s
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._state = WarmupState("idle", "not started")
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> WarmupState:
        with self._lock:
            return self._state

    @property
    def finished(self) -> bool:
        return self._done.is_set()

    def start(self) -> None:
        """Start warming (once); returns at once."""
        with self._lock:
            if self._thread is not None:
                return
            self._state = WarmupState("warming", "loading the model and opening the index")
            self._thread = threading.Thread(target=self._run, name="yescount-warmup", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until warm (for tests and the CLI); True when finished."""
        return self._done.wait(timeout)

    def stop(self) -> None:
        """End the repeated steps (at shutdown); the thread ends within one step."""
        self._stopped.set()

    def _repeat(self) -> None:
        steps = list(self._again)
        while steps and not self._stopped.wait(self._every_s):
            for name, step in list(steps):
                try:
                    step()
                except Exception as exc:  # stop that one: its cache fills on demand again
                    steps.remove((name, step))
                    error = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
                    get_logger().warning("search_refresh_stopped", step=name, error=error)

    def _run(self) -> None:
        started = time.perf_counter()
        problems: list[str] = []
        for name, step in self._steps:
            with self._lock:
                self._state = WarmupState("warming", f"warming: {name}")
            try:
                step()
            except Exception as exc:  # a failed step degrades search, never the server
                reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
                problems.append(f"{name}: {reason or type(exc).__name__}")
                get_logger().warning("search_warmup_step_failed", step=name, error=reason)
        seconds = round(time.perf_counter() - started, 2)
        status: WarmupStatus = "degraded" if problems else "ready"
        detail = "; ".join(problems) if problems else f"warm in {seconds} s"
        with self._lock:
            self._state = WarmupState(status, detail, seconds)
        self._done.set()
        get_logger().info("search_warmup", status=status, seconds=seconds)
        self._repeat()


def remember_vectors(index: object) -> threading.Thread | None:
    """Start reading the index's stored vectors into memory (``remember_vectors`` of a
    ChromaIndex: its ``similarities`` then fetch nothing) in a daemon thread; search
    answers meanwhile, fetching the vectors it needs (~2 s at 50,000 rows). None when
    the index keeps no vectors in memory (pgvector compares them in the server)."""
    remember = getattr(index, "remember_vectors", None)
    if not callable(remember):
        return None

    def run() -> None:
        started = time.perf_counter()
        try:
            count = remember()
        except Exception as exc:  # a nicety: similarities fetch what they need anyway
            get_logger().warning("search_vectors_not_remembered", error=str(exc)[:200])
            return
        seconds = round(time.perf_counter() - started, 2)
        get_logger().info("search_vectors_remembered", vectors=count, seconds=seconds)

    thread = threading.Thread(target=run, name="yescount-vectors", daemon=True)
    thread.start()
    return thread
