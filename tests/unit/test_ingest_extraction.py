"""Structured data, the generic block path and HTML helpers on small hand-written snippets."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from pathlib import Path

from yescount.domain.events import DateStatus
from yescount.ingest import html
from yescount.ingest.listicle import slug
from yescount.ingest.models import Page
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.registry import adapter_for
from yescount.ingest.sources.generic import GenericAdapter
from yescount.ingest.structured import event_candidates, extract_items
from yescount.ingest.tags import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://example.com/articles/weekend/"
CTX = ExtractContext(
    load_vocabulary(ROOT / "config" / "vibe_tags.yaml"),
    today=date(2026, 11, 20),
    as_of=date(2026, 11, 20),
)


def test_jsonld_events_are_found_in_graphs_lists_and_arrays() -> None:
    page = """<script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"x"},
    {"@type":"ItemList","itemListElement":[{"@type":"ListItem","item":
      {"@type":"ComedyEvent","name":"Late Laughs","startDate":"2026-12-04T21:00",
       "location":{"@type":"Place","name":"The Cellar","address":{"addressLocality":"Manhattan"}},
       "offers":[{"price":"15"},{"price":"25"}],"image":{"url":"/img/a.jpg"},"url":"/e/late"}}]}]}
    </script>"""
    found = event_candidates(extract_items(page, BASE), BASE)
    assert len(found) == 1
    event = found[0]
    assert (event.title, event.start_value, event.location) == (
        "Late Laughs",
        "2026-12-04T21:00",
        "The Cellar, Manhattan",
    )
    assert event.price_range == (Decimal("15.00"), Decimal("25.00"))
    assert event.image_url == "https://example.com/img/a.jpg"
    assert event.url == "https://example.com/e/late"


def test_non_event_jsonld_and_broken_json_are_ignored() -> None:
    page = """<script type="application/ld+json">{"@type":"NewsArticle","headline":"x"}</script>
    <script type="application/ld+json">{not json at all</script>"""
    assert event_candidates(extract_items(page, BASE), BASE) == []
    assert extract_items("<p>no structured data</p>", BASE) == []


def test_free_virtual_and_cancelled_events() -> None:
    page = """<script type="application/ld+json">[
      {"@type":"Event","name":"Online Talk","startDate":"2026-12-02","isAccessibleForFree":true,
       "location":{"@type":"VirtualLocation","url":"https://zoom.example"}},
      {"@type":"Event","name":"Gone","startDate":"2026-12-03","eventStatus":"https://schema.org/EventCancelled"}]
    </script>"""
    talk, gone = event_candidates(extract_items(page, BASE), BASE)
    assert talk.location == "Online"
    assert talk.price_range == (Decimal("0.00"), Decimal("0.00"))
    assert gone.flags["cancelled"] is True


def test_heading_sections_split_a_listicle_and_read_labels() -> None:
    doc = html.parse(
        """<h1>10 Things To Do</h1><div class="body"><p>Intro.</p>
        <h2 id="one">1. First &amp; Best</h2><p>Great fun.</p>
        <p><b>When:</b> Dec 5 | <b>Where:</b> Pier 17 | <b>Price:</b> $10</p>
        <p><a href="https://tickets.example/one">Get tickets</a></p>
        <section><h2>2. Second</h2><p>Opens Dec 9 at the pier.</p></section></div>"""
    )
    first, second = GenericAdapter().candidates(doc, Page("x", BASE, ""))
    assert first.title == "1. First & Best"
    assert (first.date_text, first.location, first.price_text) == ("Dec 5", "Pier 17", "$10")
    assert first.description == "Great fun."
    assert first.source_id_hint == "https://tickets.example/one"
    assert first.url == BASE + "#one"
    assert second.anchor == "second"
    assert second.date_text is None
    assert slug("Café & Bar!") == "cafe-bar"


def test_repeated_cards_are_items_and_their_fields_are_read_by_markup_names() -> None:
    doc = html.parse(
        """<nav><ul><li class="m"><a href="/a">Home page link</a> more</li>
        <li class="m"><a href="/b">Other link</a> more text</li></ul></nav>
        <ul><li class="c"><a href="/old"></a><h4><a href="/e/1">One</a></h4>
        <span class="event-date"><time datetime="2026-12-05">Sat</time></span>
        <span class="card__price">Free</span>
        <div class="img" style="background-image: url('/i/1.jpg')"></div></li>
        <li class="c"><h4>Two</h4><span class="event-date">Dec 6 – 8</span>
        <span class="venue-name">Pier 17</span></li>
        <li class="c"><p>Sponsored</p><h4>Three</h4><p>A partner's great offer.</p></li></ul>"""
    )
    one, two, three = GenericAdapter().candidates(doc, Page("x", BASE, ""))
    assert (one.url, one.start_value, one.price_text) == (
        "https://example.com/e/1",
        "2026-12-05",
        "Free",
    )
    assert one.image_url == "https://example.com/i/1.jpg"
    assert two.url == BASE + "#two"
    assert (two.date_text, two.location) == ("Dec 6 – 8", "Pier 17")
    assert three.flags.get("advert") is True


def test_prose_dates_and_what_counts_as_an_event() -> None:
    body = """<div class="grid">
      <article class="tile"><h3>Harvest Fair</h3><p>The fair returns on Sunday, October 4.
        From 1 to 7pm, forty stalls line the street.</p></article>
      <article class="tile"><h3>Gallery Show</h3><p>A new exhibition of prints; a talk
        took place on September 10.</p></article>
      <article class="tile"><h3>Jazz Fridays</h3><p>Every Friday in October, a trio plays.
        </p></article>
      <article class="tile"><h3>The Space Museum</h3><p>A museum with rockets, open daily.
        </p></article>
      <article class="tile"><h3>Some Film</h3><p>3 out of 5 stars. In theaters Friday.</p>
        </article></div>"""
    ctx = ExtractContext(CTX.vocabulary, today=date(2026, 9, 30), as_of=date(2026, 9, 30))
    result = process_page(GenericAdapter(), Page("x", BASE, body), ctx)
    got = {e.title: (e.date_status, e.date_start, e.time_start) for e in result.accepted}
    assert got == {
        "Harvest Fair": (DateStatus.SINGLE, date(2026, 10, 4), time(13, 0)),
        "Gallery Show": (DateStatus.ONGOING, None, None),
        "Jazz Fridays": (DateStatus.MULTIPLE, date(2026, 10, 2), None),
    }
    fridays = next(e for e in result.accepted if e.title == "Jazz Fridays")
    assert fridays.date_end == date(2026, 10, 31)
    assert fridays.recurrence is not None
    assert fridays.recurrence.weekdays == (4,)
    assert [(r.title, r.reason) for r in result.rejected] == [
        ("The Space Museum", "venue"),
        ("Some Film", "review"),
    ]


def test_the_same_title_on_different_dates_is_kept_twice() -> None:
    body = """<div class="entry-content"><h2>Candle Making Class</h2><p>When: Dec 9</p>
      <h2>Candle Making Class</h2><p>When: Dec 16</p></div>"""
    accepted, rejected = _run("secretnyc", body)
    assert accepted == ["Candle Making Class", "Candle Making Class"]
    assert rejected == []


def test_html_helpers() -> None:
    assert html.clean(" <b>Fish&nbsp;&amp;</b>\n chips ") == "Fish & chips"
    assert html.absolute("javascript:void(0)", BASE) is None
    assert html.absolute("/x", BASE) == "https://example.com/x"
    assert (
        html.canonical("HTTPS://Example.com:443/a?utm_source=x&id=3#frag")
        == "https://example.com/a?id=3"
    )
    img = html.parse(
        '<img srcset="/s.jpg 300w, /l.jpg 1200w" src="data:image/gif;base64,xx">'
    ).css_first("img")
    assert html.image_of(img, BASE) == "https://example.com/l.jpg"
    assert html.decode("café".encode("cp1252")) == "café"
    assert html.decode(b'<meta charset="utf-8">caf\xc3\xa9').endswith("café")


def _run(source: str, body: str, url: str = BASE) -> tuple[list[str], list[tuple[str, str]]]:
    result = process_page(adapter_for(source), Page(source, url, body), CTX)
    return [e.title for e in result.accepted], [(r.title, r.reason) for r in result.rejected]


def test_pipeline_rejects_with_reason_codes() -> None:
    body = """<div class="entry-content">
      <h2>The 12 Best Things To Do This Week</h2><p>When: Dec 5</p>
      <h2>Sponsored: Win A Trip</h2><p>When: Dec 6</p>
      <h2>Related articles</h2><p>x</p>
      <h2>Gallery Night Closing For Good After 20 Years</h2><p>When: Dec 7</p>
      <h2>Last Week's Parade</h2><p>When: Nov 1</p>
      <h2>Candle Making Class</h2><p>When: Dec 9</p>
      <h2>Candle Making Class</h2><p>When: Dec 9</p></div>"""
    accepted, rejected = _run("secretnyc", body)
    assert accepted == ["Candle Making Class"]
    assert [reason for _, reason in rejected] == [
        "roundup_title",
        "advert",
        "not_event_section",
        "closure",
        "past_event",
        "duplicate",
    ]


def test_news_pages_yield_no_html_events_but_structured_ones_survive() -> None:
    body = """<head><meta property="article:section" content="News"></head>
    <h1>City Announces New Ferry Route</h1>
    <div class="entry-content"><h2>What to know</h2><p>Dec 5</p>
    <h2>The route</h2><p>Pier 11 to Astoria.</p></div>
    <script type="application/ld+json">
    {"@type":"Event","name":"Ferry Launch Party","startDate":"2026-12-05"}</script>"""
    accepted, rejected = _run("secretnyc", body)
    assert accepted == ["Ferry Launch Party"]
    # A page with structured events is read from them alone.
    assert rejected == []
    accepted, rejected = _run("secretnyc", body.split("<script")[0])
    assert (accepted, rejected) == ([], [("What to know", "news"), ("The route", "news")])


def test_unknown_dates_stay_unknown_even_with_a_publish_date() -> None:
    body = """<meta property="article:published_time" content="2026-11-18T10:00:00-05:00">
    <div class="entry-content"><h2>Pop-Up Poetry Readings</h2><p>Details to come.</p>
    <p>Where: Bowery Poetry Club</p><h2>Map Of Every Stop</h2>
    <h2>Secret Supper</h2><p>Soon.</p></div>"""
    result = process_page(adapter_for("secretnyc"), Page("secretnyc", BASE, body), CTX)
    event = result.accepted[0]
    assert result.page_date == date(2026, 11, 18)
    # A pop-up with no date stated is a run "on now — check dates", never a fake date.
    assert (event.date_status, event.date_start, event.date_end) == (DateStatus.ONGOING, None, None)
    assert event.date_confidence == 0
    # Headings with nothing under them are not events.
    assert [(r.title, r.reason) for r in result.rejected] == [("Secret Supper", "venue")]
    assert "Map Of Every Stop" not in {e.title for e in result.accepted}
