"""The only code in YesCount that does HTTP: polite, bounded, honest.

One ``Fetcher`` per source: connect/read timeouts and an overall deadline,
bounded retries with exponential backoff and jitter on 429/5xx/timeouts
(``Retry-After`` honoured up to a cap), a delay between requests to the same
host (at least the robots.txt ``Crawl-delay``), robots.txt rules (RFC 9309:
a 4xx robots.txt allows everything, an unreachable one disallows everything),
a response size cap and charset-aware decoding.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from yescount.errors import IngestError
from yescount.ingest.config import Politeness
from yescount.ingest.html import decode

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_TEXT_TYPES = ("html", "json", "xml", "text/plain")
MAX_CRAWL_DELAY = 60.0


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A successful response: final URL, status, content type and raw bytes."""

    url: str
    requested_url: str
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def text(self) -> str:
        """The body decoded (HTTP charset, then ``<meta charset>``, then UTF-8/cp1252)."""
        if "json" in self.content_type:
            return self.body.decode("utf-8", errors="replace")
        return decode(self.body, self.content_type)


class Fetcher:
    """HTTP GET with the politeness rules of one source."""

    def __init__(
        self,
        *,
        user_agent: str,
        politeness: Politeness,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
        on_fetch: Callable[[FetchedPage], None] | None = None,
    ) -> None:
        self.user_agent = user_agent
        self.policy = politeness
        self._sleep = sleep
        self._monotonic = monotonic
        self._jitter = jitter
        self._on_fetch = on_fetch
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_errors: dict[str, IngestError] = {}
        self._client = httpx.Client(
            transport=transport,
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(
                politeness.read_timeout_seconds, connect=politeness.connect_timeout_seconds
            ),
            follow_redirects=True,
            max_redirects=5,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> FetchedPage:
        """Fetch one URL, retrying transient failures; IngestError when it cannot."""
        if self.policy.respect_robots and not self._allowed(url):
            raise IngestError(
                f"robots.txt of {_origin(url)} disallows {url}",
                code="robots_disallowed",
                retryable=False,
            )
        attempt = 0
        while True:
            try:
                page = self._attempt(url, params=params, headers=headers)
            except _RetryableError as problem:
                if attempt >= self.policy.max_retries:
                    raise problem.error from None
                self._sleep(self._backoff(attempt, problem.retry_after, problem.error))
                attempt += 1
                continue
            if self._on_fetch is not None:
                self._on_fetch(page)
            return page

    def _backoff(self, attempt: int, retry_after: float | None, error: IngestError) -> float:
        base = self.policy.backoff_seconds * float(2**attempt)
        delay = min(self.policy.max_backoff_seconds, base) * (1 + 0.5 * self._jitter())
        if retry_after is not None:
            if retry_after > self.policy.max_backoff_seconds:
                raise IngestError(
                    f"{error.message}; the server asked to wait {retry_after:.0f}s, more than "
                    f"the {self.policy.max_backoff_seconds:.0f}s allowed",
                    code=error.code,
                ) from None
            delay = max(delay, retry_after)
        return delay

    def _attempt(
        self,
        url: str,
        *,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str] | None,
    ) -> FetchedPage:
        self._wait_turn(url)
        try:
            return self._send(url, params=params, headers=headers)
        except httpx.TimeoutException as exc:
            raise _RetryableError(
                IngestError(f"timed out fetching {url}", code="fetch_timeout")
            ) from exc
        except httpx.TransportError as exc:
            raise _RetryableError(
                IngestError(f"cannot reach {_origin(url)}: {exc}", code="fetch_unreachable")
            ) from exc

    def _send(
        self,
        url: str,
        *,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str] | None,
    ) -> FetchedPage:
        started = self._monotonic()
        deadline = (
            started + self.policy.connect_timeout_seconds + 2 * self.policy.read_timeout_seconds
        )
        with self._client.stream("GET", url, params=params, headers=headers) as response:
            status = response.status_code
            if status in RETRY_STATUSES:
                error = IngestError(f"HTTP {status} from {url}", code=f"http_{status}")
                raise _RetryableError(error, _retry_after(response.headers.get("retry-after")))
            if status >= 400:
                raise IngestError(
                    f"HTTP {status} from {url}", code=f"http_{status}", retryable=False
                )
            content_type = response.headers.get("content-type", "")
            if content_type and not any(t in content_type for t in _TEXT_TYPES):
                raise IngestError(
                    f"{url} is {content_type}, not a page",
                    code="unsupported_content",
                    retryable=False,
                )
            body = self._read_capped(response, url, deadline)
            return FetchedPage(
                url=str(response.url),
                requested_url=url,
                status=status,
                content_type=content_type or "text/html",
                body=body,
                fetched_at=datetime.now(UTC),
            )

    def _read_capped(self, response: httpx.Response, url: str, deadline: float) -> bytes:
        limit = self.policy.max_page_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise _too_large(url, limit)
        chunks, total = [], 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > limit:
                raise _too_large(url, limit)
            if self._monotonic() > deadline:
                raise httpx.ReadTimeout(f"{url} took too long", request=response.request)
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc
        delay = max(self.policy.per_host_delay_seconds, self._crawl_delay(url))
        last = self._last_request.get(host)
        if last is not None:
            remaining = delay - (self._monotonic() - last)
            if remaining > 0:
                self._sleep(remaining)
        self._last_request[host] = self._monotonic()

    def _crawl_delay(self, url: str) -> float:
        parser = self._robots.get(_origin(url))
        value = parser.crawl_delay(self.user_agent) if parser is not None else None
        return min(float(value), MAX_CRAWL_DELAY) if value else 0.0

    def _allowed(self, url: str) -> bool:
        origin = _origin(url)
        if origin in self._robots_errors:
            raise self._robots_errors[origin]  # one failed robots.txt fetch per host and run
        if origin not in self._robots:
            try:
                self._robots[origin] = self._load_robots(origin)
            except IngestError as exc:
                self._robots_errors[origin] = exc
                raise
        parser = self._robots[origin]
        return parser is None or parser.can_fetch(self.user_agent, url)

    def _load_robots(self, origin: str) -> RobotFileParser | None:
        """Parsed robots.txt; None allows everything (a 4xx file, RFC 9309 §2.3.1.3)."""
        robots_url = f"{origin}/robots.txt"
        try:
            page = self._attempt(robots_url, params=None, headers=None)
        except _RetryableError as problem:
            raise IngestError(
                f"robots.txt of {origin} is unreachable ({problem.error.message}); not crawling it",
                code="robots_unreachable",
            ) from None
        except IngestError as exc:
            if exc.code.startswith("http_4"):
                return None
            raise
        parser = RobotFileParser(robots_url)
        parser.parse(page.text.splitlines())
        return parser


class _RetryableError(Exception):
    def __init__(self, error: IngestError, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry_after = retry_after


def _too_large(url: str, limit: int) -> IngestError:
    return IngestError(f"{url} is larger than {limit} bytes", code="too_large", retryable=False)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
