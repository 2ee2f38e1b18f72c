"""The one place YesCount talks to the OpenAI HTTP API: timeouts and bounded retries.

Rate limits (429), server errors (5xx) and transport failures (timeouts,
refused connections) are retried with exponential backoff and jitter, at most
``max_attempts`` times; other client errors (bad key, bad request) fail at once.
Everything surfaces as ``SearchError`` with a stable code. After a call has
failed every attempt, calls fail fast for ``cooldown_s`` (a simple circuit
breaker) so pages that ask for 30 card summaries never wait 30 times.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from yescount.errors import SearchError

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
DEFAULT_ATTEMPTS = 3
DEFAULT_COOLDOWN_S = 60.0


class _RetryableError(Exception):
    """A failure worth another attempt (429, 5xx, transport error)."""


class OpenAIHttp:
    """POST JSON to the OpenAI API with a key, timeouts and bounded retries."""

    def __init__(
        self,
        api_key: str,
        *,
        client: httpx.Client | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_attempts: int = DEFAULT_ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
        cooldown_s: float = DEFAULT_COOLDOWN_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not api_key:
            raise SearchError("No OpenAI API key configured.", code="openai_not_configured")
        self._client = client or httpx.Client(timeout=timeout)
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._attempts = max_attempts
        self._sleep = sleep
        self._cooldown_s = cooldown_s
        self._monotonic = monotonic
        self._open_until = 0.0

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The decoded JSON answer of ``POST {base_url}{path}``."""
        if self._monotonic() < self._open_until:
            raise SearchError(
                "OpenAI failed recently; not retrying yet.", code="openai_unavailable"
            )
        retrying = Retrying(
            stop=stop_after_attempt(self._attempts),
            wait=wait_exponential_jitter(multiplier=0.5, max=8.0),
            retry=retry_if_exception(lambda e: isinstance(e, _RetryableError)),
            sleep=self._sleep,
            reraise=False,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._once(path, payload)
        except RetryError as exc:
            self._open_until = self._monotonic() + self._cooldown_s
            cause = exc.last_attempt.exception()
            raise SearchError(
                f"OpenAI did not answer after {self._attempts} attempts: {cause}",
                code="openai_unavailable",
            ) from cause
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._client.post(
                f"{self._base_url}{path}",
                json=payload,
                headers=self._headers,
                timeout=self._timeout,
            )
        except httpx.TransportError as exc:
            raise _RetryableError(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise _RetryableError(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise SearchError(
                f"OpenAI refused the request (HTTP {response.status_code}).",
                code="openai_rejected",
                retryable=False,
            )
        try:
            data = response.json()
        except ValueError as exc:
            raise _RetryableError("invalid JSON in the answer") from exc
        if not isinstance(data, dict):
            raise _RetryableError("unexpected answer shape")
        return data

    def close(self) -> None:
        self._client.close()
