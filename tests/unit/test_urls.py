"""The one link rule: only absolute http(s) URLs to real hosts leave the system."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories.events import event_record
from yescount.domain.calendar import CalendarEvent, render_calendar
from yescount.domain.events import Event
from yescount.domain.invite import invite_text
from yescount.domain.urls import MAX_URL_LENGTH, http_url, is_safe_http_url
from yescount.ingest.html import absolute
from yescount.ingest.pages import read_url

BASE = "https://example.com/articles/weekend/"
HOSTILE = (
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "mailto:someone@example.com",
    "tel:+15551234",
    "file:///etc/passwd",
    "ftp://example.com/a",
    "vbscript:msgbox(1)",
    "https:evil.example",
    "https:///evil.example",
    "http://localhost/admin",
    "http://intranet/",
    "http://a..b.com/",
    "http://-bad-.com/",
    "http://under_score.com/",
    "http://0.0.0.0/",
    "https://bank.example@evil.example/",
    "https://evil.example:99999/",
    "https://evil.example:0/",
    "https://ex ample.com/",
    "https://example.com/<script>",
    "https://example.com/\x00",
    "undefined",
    "null",
    "{{ event.url }}",
    "#",
    "",
    "https://example.com/" + "a" * MAX_URL_LENGTH,
)


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_links_are_refused(url: str) -> None:
    assert http_url(url, BASE) is None
    assert absolute(url, BASE) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.timeout.com/newyork/x?y=1", "https://www.timeout.com/newyork/x?y=1"),
        ("/e/late", "https://example.com/e/late"),
        ("late", "https://example.com/articles/weekend/late"),
        ("//cdn.example.net/i.jpg", "https://cdn.example.net/i.jpg"),
        ("http://127.0.0.1:8000/test-site/", "http://127.0.0.1:8000/test-site/"),
        ("https://münchen.de/x", "https://münchen.de/x"),
        ("https://example.com/a?f[d]=1", "https://example.com/a?f[d]=1"),
    ],
)
def test_good_links_are_kept_and_joined(url: str, expected: str) -> None:
    assert http_url(url, BASE) == expected


def test_markup_links_are_unescaped_before_the_check() -> None:
    assert absolute("&#106;avascript:alert(1)", BASE) is None
    assert absolute("/e?a=1&amp;b=2", BASE) == "https://example.com/e?a=1&b=2"


def test_relative_links_need_a_safe_base() -> None:
    assert http_url("/e/late") is None
    assert http_url("/e/late", "javascript:alert(1)") is None


@given(st.text(max_size=120))
def test_any_text_gives_none_or_a_safe_http_link(text: str) -> None:
    found = http_url(text, BASE)
    if found is not None:
        assert urlsplit(found).scheme in ("http", "https")
        assert is_safe_http_url(found)
        assert http_url(found) == found


def test_sidecar_with_a_hostile_url_falls_back(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    page = folder / "page.html"
    page.write_text("<html></html>")
    page.with_suffix(".url").write_text("javascript:alert(document.cookie)\n")
    assert read_url(page, fallback="https://secretnyc.co/page") == "https://secretnyc.co/page"
    page.with_suffix(".url").write_text("https://secretnyc.co/real-page/\n")
    assert read_url(page, fallback="https://x.example/") == "https://secretnyc.co/real-page/"


def _stored(url: str) -> Event:
    record = replace(event_record(), url=url)
    fields = {f: getattr(record, f) for f in Event.__dataclass_fields__ if hasattr(record, f)}
    return Event(id=7, **{k: v for k, v in fields.items() if k != "id"})


def test_invite_text_and_calendar_leave_unsafe_links_out() -> None:
    event = _stored("javascript:alert(1)")
    text = invite_text(
        event=event,
        day=date(2026, 12, 5),
        slot_start=time(19),
        slot_end=time(22),
        attendees=("Ema",),
        plan_link="https://yescount.example/?session=1",
    )
    assert "javascript" not in text
    assert "🔗" not in text
    entry = CalendarEvent(
        uid="u@yescount",
        title="x",
        begins=datetime(2026, 12, 5, 19),
        ends=datetime(2026, 12, 5, 22),
        url="javascript:alert(1)",
    )
    ics = render_calendar([entry], now=datetime(2026, 12, 1, tzinfo=UTC)).decode()
    assert "javascript" not in ics
    assert "\r\nURL:" not in ics
    safe = replace(entry, url="https://example.org/jazz")
    assert "URL:https://example.org/jazz" in render_calendar([safe], now=datetime.now(UTC)).decode()
