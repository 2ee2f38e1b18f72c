"""The fetcher against a real HTTP server on 127.0.0.1: what needs a real socket.

Read timeouts, an unreachable host, chunked streaming over the cap and one page over
the wire. Retries, robots.txt, caps, crawling and Socrata paging run through
``httpx.MockTransport`` in tests/unit/test_ingest_fetcher_transport.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from yescount.errors import IngestError
from yescount.ingest.config import Politeness
from yescount.ingest.fetcher import Fetcher

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "pages"
UA = "YesCountBot/0.1 (+https://example.test/bot; tests)"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(
        default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"}
    )
    delay: float = 0.0


@dataclass
class Site:
    """Routes: path → replies served in order (the last one repeats); every request recorded."""

    routes: dict[str, list[Reply]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if urlsplit(p).path == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append((self.path, dict(self.headers)))
            replies = site.routes.get(urlsplit(self.path).path, [Reply(404, b"not found")])
            reply = replies.pop(0) if len(replies) > 1 else replies[0]
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if (
                    "Content-Length" not in reply.headers
                    and "Transfer-Encoding" not in reply.headers
                ):
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    state.routes["/robots.txt"] = [
        Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
    ]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


class Sleeps:
    """Records the waits the fetcher asks for instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def fetcher(sleeps: Sleeps, **policy: float | int | bool) -> Fetcher:
    defaults: dict[str, float | int | bool] = {
        "per_host_delay_seconds": 0.0,
        "connect_timeout_seconds": 2.0,
        "read_timeout_seconds": 2.0,
        "max_retries": 2,
        "backoff_seconds": 0.01,
        "max_backoff_seconds": 5.0,
    }
    defaults.update(policy)
    return Fetcher(
        user_agent=UA, politeness=Politeness(**defaults), sleep=sleeps, jitter=lambda: 0.0
    )


def test_serves_a_saved_page_with_its_charset_and_user_agent(site: Site) -> None:
    body = (FIXTURES / "hiddennyc" / "events-windows-1252.html").read_bytes()
    site.routes["/events"] = [Reply(200, body, {"Content-Type": "text/html; charset=windows-1252"})]
    with fetcher(Sleeps()) as f:
        page = f.get(site.base + "/events")
    assert "Crème Brûlée Masterclass" in page.text
    assert page.status == 200
    assert len(page.sha256) == 64
    agents = {headers.get("User-Agent") for _, headers in site.requests}
    assert agents == {UA}


def test_slow_response_times_out(site: Site) -> None:
    site.routes["/slow"] = [Reply(200, b"late", delay=1.5)]
    with (
        fetcher(Sleeps(), read_timeout_seconds=0.3, max_retries=1) as f,
        pytest.raises(IngestError) as caught,
    ):
        f.get(site.base + "/slow")
    assert caught.value.code == "fetch_timeout"
    assert site.hits("/slow") == 2


def test_oversized_bodies_are_refused(site: Site) -> None:
    site.routes["/big"] = [Reply(200, b"x" * 5000)]
    chunked = b"".join(b"%x\r\n%s\r\n" % (1000, b"y" * 1000) for _ in range(6)) + b"0\r\n\r\n"
    site.routes["/stream"] = [
        Reply(200, chunked, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"})
    ]
    with fetcher(Sleeps(), max_page_bytes=4096) as f:
        for path in ("/big", "/stream"):
            with pytest.raises(IngestError) as caught:
                f.get(site.base + path)
            assert caught.value.code == "too_large"


def test_unreachable_host_fails_fast_with_a_clear_code() -> None:
    with fetcher(Sleeps(), max_retries=1) as f, pytest.raises(IngestError) as caught:
        f.get("http://127.0.0.1:9/nothing-listens-here")
    assert caught.value.code == "robots_unreachable"
