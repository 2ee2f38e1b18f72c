"""Hostile text through the date finders and the generic HTML path (issue 8 hardening).

Whatever the page holds, the finders never raise, never return a date outside the
years a listing can mean or an end before its start, and extraction never stores
a non-http(s) link or image.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yescount.ingest.dates import parse_when
from yescount.ingest.mentions import event_dates, sentences
from yescount.ingest.models import Page
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.sources.generic import GenericAdapter
from yescount.ingest.tags import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]
REF = date(2026, 9, 30)
CTX = ExtractContext(load_vocabulary(ROOT / "config" / "vibe_tags.yaml"), today=REF, as_of=REF)
FRAGMENTS = st.sampled_from(
    [
        "Oct 3", "October 3 and 4", "through Dec 6", "opens Feb 12", "Fridays in October",
        "Sept 31", "Feb 30, 2027", "13/45/2026", "from 1 to 7pm", "12:99", "every Friday",
        "Thursday through Saturday", "1609", "2026-02-30", "9999-12-31", "May 23 – Oct 18",
        "opened July 30", "Dec 28 – Jan 3", "–", "…", "\u200b", "\x00", "🎉", "Today",
        "javascript:alert(1)", "<script>", "&amp;", "n/a", "  ", "\n",
    ]
)  # fmt: skip
HOSTILE_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=40)), max_size=12).map(" ".join)
HOSTILE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _sane(start: date | None, end: date | None) -> None:
    for day in (start, end):
        assert day is None or 2000 <= day.year <= 2100
    if start is not None and end is not None:
        assert start <= end


@HOSTILE
@given(HOSTILE_TEXT)
def test_the_prose_finder_never_raises_and_keeps_dates_in_range(text: str) -> None:
    info = event_dates(text, ref=REF)
    _sane(info.start, info.end)
    assert all(0 <= d <= 6 for d in info.weekdays)
    assert info.evidence is None or len(info.evidence) <= 300
    assert all(part.strip() for part in sentences(text))


@HOSTILE
@given(HOSTILE_TEXT)
def test_the_date_line_parser_never_raises_and_keeps_dates_in_range(text: str) -> None:
    info = parse_when(text, ref=REF)
    _sane(info.start, info.end)


_TAGS = st.sampled_from(["div", "li", "article", "h2", "h3", "p", "a", "time", "span", "ul"])
_ATTRS = st.sampled_from(
    [
        "", ' class="card"', ' class="event-date"', ' href="javascript:alert(1)"',
        ' href="data:text/html,x"', ' href="/ok"', ' href="mailto:a@b.c"',
        ' src="javascript:x"', ' datetime="2026-13-45"', ' datetime="2026-10-03"',
        ' style="background-image:url(javascript:x)"', ' srcset="vbscript:x 2x"',
    ]
)  # fmt: skip


@st.composite
def hostile_pages(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(min_value=1, max_value=25))):
        tag, attrs = draw(_TAGS), draw(_ATTRS)
        body = draw(HOSTILE_TEXT)
        img = draw(st.sampled_from(["", '<img src="javascript:1">', '<img src="/i.jpg">']))
        closing = draw(st.sampled_from([f"</{tag}>", "", "</div></div>"]))
        parts.append(f"<{tag}{attrs}>{img}{body}{closing}")
    return "<html><body>" + "".join(parts) + "</body></html>"


@HOSTILE
@given(hostile_pages())
def test_the_generic_path_never_raises_nor_stores_non_http_links(markup: str) -> None:
    result = process_page(GenericAdapter(), Page("x", "https://example.com/list", markup), CTX)
    for record in result.accepted:
        assert urlsplit(record.url).scheme in ("http", "https")
        assert record.image_url is None or urlsplit(record.image_url).scheme in ("http", "https")
        _sane(record.date_start, record.date_end)
        assert record.title.strip()
