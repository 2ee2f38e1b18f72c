"""The fetcher through ``httpx.MockTransport``: retries, Retry-After, robots.txt, size caps,
charsets; plus crawling, recording and replaying pages, and Socrata paging.

What needs a real socket (read timeouts, an unreachable host, chunked streaming) is in
tests/integration/test_ingest_fetcher.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from yescount.errors import IngestError
from yescount.ingest.config import Politeness, SocrataOptions, SourceConfig
from yescount.ingest.fetcher import FetchedPage, Fetcher
from yescount.ingest.models import Page
from yescount.ingest.pages import MANIFEST, LivePages, PageFailure, PageRecorder, SavedPages
from yescount.ingest.socrata import socrata_pages

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


@dataclass
class Site:
    """Routes: path → replies served in order (the last one repeats); every request recorded."""

    routes: dict[str, list[Reply]] = field(default_factory=dict)
    requests: list[tuple[str, Mapping[str, str]]] = field(default_factory=list)
    base: str = "http://site.test"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if urlsplit(p).path == path)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._answer)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.url.raw_path.decode(), request.headers))
        replies = self.routes.get(request.url.path, [Reply(404, b"not found")])
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        return httpx.Response(reply.status, content=reply.body, headers=reply.headers)


@pytest.fixture
def site() -> Site:
    state = Site()
    state.routes["/robots.txt"] = [
        Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
    ]
    return state


class Sleeps:
    """Records the waits the fetcher asks for instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def fetcher(site: Site, sleeps: Sleeps, **policy: float | int | bool) -> Fetcher:
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
        user_agent=UA,
        politeness=Politeness(**defaults),
        transport=site.transport,
        sleep=sleeps,
        jitter=lambda: 0.0,
    )


def test_serves_a_saved_page_with_its_charset_and_user_agent(site: Site) -> None:
    body = (FIXTURES / "hiddennyc" / "events-windows-1252.html").read_bytes()
    site.routes["/events"] = [Reply(200, body, {"Content-Type": "text/html; charset=windows-1252"})]
    with fetcher(site, Sleeps()) as f:
        page = f.get(site.base + "/events")
    assert "Crème Brûlée Masterclass" in page.text
    assert page.status == 200
    assert len(page.sha256) == 64
    agents = {headers.get("User-Agent") for _, headers in site.requests}
    assert agents == {UA}


def test_429_honours_retry_after_then_succeeds(site: Site) -> None:
    site.routes["/busy"] = [
        Reply(429, b"slow down", {"Retry-After": "3", "Content-Type": "text/plain"}),
        Reply(200, b"<h1>ok</h1>"),
    ]
    sleeps = Sleeps()
    with fetcher(site, sleeps) as f:
        assert "ok" in f.get(site.base + "/busy").text
    assert site.hits("/busy") == 2
    assert sleeps.calls == [3.0]


def test_retry_after_longer_than_allowed_gives_up(site: Site) -> None:
    site.routes["/busy"] = [Reply(429, b"", {"Retry-After": "3600", "Content-Type": "text/plain"})]
    with fetcher(site, Sleeps(), max_backoff_seconds=60) as f, pytest.raises(IngestError) as caught:
        f.get(site.base + "/busy")
    assert caught.value.code == "http_429"
    assert "3600" in caught.value.message
    assert site.hits("/busy") == 1


def test_5xx_is_retried_with_exponential_backoff(site: Site) -> None:
    site.routes["/flaky"] = [Reply(500), Reply(503), Reply(200, b"<p>finally</p>")]
    sleeps = Sleeps()
    with fetcher(site, sleeps, backoff_seconds=1.0) as f:
        assert "finally" in f.get(site.base + "/flaky").text
    assert sleeps.calls == [1.0, 2.0]


def test_jitter_stretches_the_backoff(site: Site) -> None:
    site.routes["/flaky"] = [Reply(502), Reply(200, b"ok")]
    sleeps = Sleeps()
    policy = Politeness(per_host_delay_seconds=0, backoff_seconds=2.0, max_retries=1)
    with Fetcher(
        user_agent=UA, politeness=policy, transport=site.transport, sleep=sleeps, jitter=lambda: 1.0
    ) as f:
        f.get(site.base + "/flaky")
    assert sleeps.calls == [3.0]


def test_persistent_5xx_fails_after_bounded_retries(site: Site) -> None:
    site.routes["/down"] = [Reply(500)]
    with fetcher(site, Sleeps(), max_retries=2) as f, pytest.raises(IngestError) as caught:
        f.get(site.base + "/down")
    assert caught.value.code == "http_500"
    assert site.hits("/down") == 3


def test_404_is_not_retried(site: Site) -> None:
    with fetcher(site, Sleeps()) as f, pytest.raises(IngestError) as caught:
        f.get(site.base + "/missing")
    assert (caught.value.code, caught.value.retryable) == ("http_404", False)
    assert site.hits("/missing") == 1


def test_robots_txt_disallows_a_path(site: Site) -> None:
    site.routes["/private/page"] = [Reply(200, b"secret")]
    site.routes["/public"] = [Reply(200, b"hello")]
    with fetcher(site, Sleeps()) as f:
        assert f.get(site.base + "/public").text == "hello"
        with pytest.raises(IngestError) as caught:
            f.get(site.base + "/private/page")
    assert caught.value.code == "robots_disallowed"
    assert site.hits("/private/page") == 0
    assert site.hits("/robots.txt") == 1  # fetched once per host


def test_robots_crawl_delay_and_host_delay_space_requests(site: Site) -> None:
    site.routes["/robots.txt"] = [
        Reply(200, b"User-agent: *\nCrawl-delay: 4\n", {"Content-Type": "text/plain"})
    ]
    site.routes["/a"] = [Reply(200, b"a")]
    sleeps = Sleeps()
    with fetcher(site, sleeps, per_host_delay_seconds=1.0) as f:
        f.get(site.base + "/a")
        f.get(site.base + "/a")
    assert len(sleeps.calls) == 2
    assert all(3.5 < s <= 4.0 for s in sleeps.calls)


def test_missing_robots_allows_and_broken_robots_blocks(site: Site) -> None:
    site.routes["/robots.txt"] = [Reply(404, b"")]
    site.routes["/a"] = [Reply(200, b"a")]
    with fetcher(site, Sleeps()) as f:
        assert f.get(site.base + "/a").text == "a"
    site.routes["/robots.txt"] = [Reply(500, b"")]
    with fetcher(site, Sleeps()) as f, pytest.raises(IngestError) as caught:
        f.get(site.base + "/a")
    assert caught.value.code == "robots_unreachable"


def test_oversized_bodies_are_refused(site: Site) -> None:
    site.routes["/big"] = [Reply(200, b"x" * 5000)]
    with fetcher(site, Sleeps(), max_page_bytes=4096) as f, pytest.raises(IngestError) as caught:
        f.get(site.base + "/big")
    assert caught.value.code == "too_large"


def _source(site: Site, **extra: object) -> SourceConfig:
    return SourceConfig(
        name="secretnyc",
        site=site.base,
        start_urls=[site.base + "/things-to-do/"],
        follow={"pattern": r"/20\d\d-[a-z-]+/$", "selector": "a[href]", "max_pages": 2},
        politeness=Politeness(per_host_delay_seconds=0, max_retries=0),
        **extra,
    )


def test_crawl_follows_links_records_pages_and_replays_them(site: Site, tmp_path: Path) -> None:
    article = (FIXTURES / "secretnyc" / "things-to-do-this-weekend-nov-20.html").read_bytes()
    hub = (
        b'<html><body><article><h2><a href="/2026-weekend-picks/">Weekend</a></h2>'
        b'<h2><a href="/2026-markets/">Markets</a></h2><h2><a href="/2026-third/">More</a></h2>'
        b'<a href="/about/">About</a><a href="/private/2026-hidden/">x</a></article></body></html>'
    )
    site.routes["/things-to-do/"] = [Reply(200, hub)]
    site.routes["/2026-weekend-picks/"] = [Reply(200, article)]
    site.routes["/2026-markets/"] = [Reply(500)]
    recorder = PageRecorder(tmp_path)

    def make(source: SourceConfig) -> Fetcher:
        def record(page: FetchedPage) -> None:
            recorder.save(source.name, page)

        return Fetcher(
            user_agent=UA,
            politeness=source.politeness,
            transport=site.transport,
            sleep=Sleeps(),
            on_fetch=record,
        )

    items = list(LivePages(make, today=date(2026, 11, 20)).pages(_source(site)))
    pages = [i for i in items if isinstance(i, Page)]
    failures = [i for i in items if isinstance(i, PageFailure)]
    assert [urlsplit(p.url).path for p in pages] == ["/things-to-do/", "/2026-weekend-picks/"]
    assert [f.code for f in failures] == ["http_500"]  # the cap (2) stopped before /2026-third/
    assert site.hits("/about/") == site.hits("/2026-third/") == 0

    manifest = [json.loads(line) for line in (tmp_path / MANIFEST).read_text().splitlines()]
    assert [m["status"] for m in manifest] == [200, 200]
    assert {"url", "fetched_at", "content_type", "sha256", "file"} <= set(manifest[0])
    replayed = list(SavedPages(tmp_path).pages(_source(site)))
    assert sorted(p.url for p in replayed if isinstance(p, Page)) == sorted(p.url for p in pages)
    saved = next(p for p in replayed if isinstance(p, Page) and "weekend" in p.url)
    assert saved.text == article.decode("utf-8")


def test_socrata_pages_with_paging_where_and_app_token(site: Site) -> None:
    rows = json.loads((FIXTURES / "nyc_open_data" / "permitted-events-2026-11-25.json").read_text())

    def page(offset: int) -> Reply:
        body = json.dumps(rows[offset : offset + 4]).encode()
        return Reply(200, body, {"Content-Type": "application/json; charset=utf-8"})

    site.routes["/resource/tvpp-9vvx.json"] = [page(0), page(4), page(8)]
    source = SourceConfig(
        name="nyc_open_data",
        site=site.base,
        socrata=SocrataOptions(base_url=site.base, page_size=4, max_pages=5),
        politeness=Politeness(per_host_delay_seconds=0, max_retries=0),
    )
    with fetcher(site, Sleeps()) as f:
        pages = list(
            socrata_pages(
                source, f, date(2026, 11, 25), dataset_id="tvpp-9vvx", app_token="tok-123"
            )
        )
    assert len(pages) == 3
    assert sum(len(json.loads(p.text)) for p in pages if isinstance(p, Page)) == len(rows)
    api = [
        (parse_qs(urlsplit(path).query), headers)
        for path, headers in site.requests
        if "resource" in path
    ]
    assert [q["$offset"] for q, _ in api] == [["0"], ["4"], ["8"]]
    assert api[0][0]["$where"] == ["start_date_time >= '2026-11-25T00:00:00'"]
    assert api[0][0]["$order"] == ["start_date_time,event_id"]
    assert all(h.get("X-App-Token") == "tok-123" for _, h in api)
