"""Structured event data in all its common forms, on small hand-written pages."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from yescount.ingest.models import Candidate
from yescount.ingest.structured import extract_items, structured_candidates

BASE = "https://example.com/whats-on/"
D = Decimal


def found(page: str) -> list[Candidate]:
    return structured_candidates(page, BASE)[1]


def by_title(page: str) -> dict[str, Candidate]:
    return {c.title: c for c in found(page)}


def ld(*blocks: str) -> str:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return f"<html><head>{scripts}</head><body><h1>Listing</h1></body></html>"


# --- JSON-LD ------------------------------------------------------------------------


def test_jsonld_graph_itemlist_arrays_and_several_blocks() -> None:
    graph = json.dumps(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "name": "What's on"},
                {
                    "@type": "ItemList",
                    "itemListElement": [
                        {
                            "@type": "ListItem",
                            "position": 1,
                            "item": {"@type": "MusicEvent", "name": "A", "startDate": "2026-12-04"},
                        },
                        {"@type": "ListItem", "position": 2, "url": "https://example.com/b"},
                    ],
                },
            ],
        }
    )
    array = '[{"@type": ["Event", "Thing"], "name": "B", "startDate": "2026-12-05"}]'
    prefixed = '{"@type": "schema:TheaterEvent", "name": "C", "startDate": "2026-12-06"}'
    iri = '{"@type": "http://schema.org/Festival", "name": "D", "startDate": "2026-12-07"}'
    found_titles = set(by_title(ld(graph, array, prefixed, iri)))
    assert found_titles == {"A", "B", "C", "D"}


@pytest.mark.parametrize(
    "block",
    [
        '{"@type": "Event", "name": "Trailing", "startDate": "2026-12-04",}',
        '//<![CDATA[\n{"@type": "Event", "name": "Trailing", "startDate": "2026-12-04"}\n//]]>',
        "<!-- {\"@type\": \"Event\", \"name\": \"Trailing\", \"startDate\": \"2026-12-04\"} -->",
        "{&quot;@type&quot;: &quot;Event&quot;, &quot;name&quot;: &quot;Trailing&quot;, "
        "&quot;startDate&quot;: &quot;2026-12-04&quot;}",
        '{"@type": "Event", /* a comment */ "name": "Trailing", "startDate": "2026-12-04"}',
        '{"@type": "Event", "name": "Trailing", "description": "line\none", '
        '"startDate": "2026-12-04"}',
        '{"@type": "Event", "name": "Trailing", "startDate": "2026-12-04"}\n'
        '{"@type": "WebSite", "name": "x"}',
    ],
    ids=["trailing-comma", "cdata", "html-comment", "html-escaped", "js-comment", "raw-newline",
         "two-values"],
)  # fmt: skip
def test_jsonld_that_browsers_tolerate_is_read(block: str) -> None:
    (event,) = found(ld(block))
    assert (event.title, event.start_value) == ("Trailing", "2026-12-04")


def test_one_broken_block_costs_only_itself() -> None:
    good = '{"@type": "Event", "name": "Still Here", "startDate": "2026-12-04"}'
    events = found(ld("{not json at all", good, '{"@type": "Event", "name": '))
    assert [e.title for e in events] == ["Still Here"]


def test_each_occurrence_is_a_candidate_and_a_repeat_in_another_syntax_is_not() -> None:
    sessions = json.dumps(
        [
            {"@type": "Event", "name": "Candlelight", "url": "/c", "startDate": d}
            for d in ("2026-12-04T19:00", "2026-12-11T19:00")
        ]
        + [
            {
                "@type": "Event",
                "name": "Walk",
                "url": "/walk",
                "startDate": "2026-12-05",
                "location": {"@type": "Place", "name": place},
            }
            for place in ("Harlem", "Astoria")
        ]
    )
    microdata = """<div itemscope itemtype="https://schema.org/Event"><span itemprop="name">
      Candlelight</span><meta itemprop="startDate" content="2026-12-04T19:00"></div>"""
    events = found(ld(sessions).replace("</body>", microdata + "</body>"))
    candles = [e for e in events if e.title == "Candlelight"]
    assert sorted(c.start_value or "" for c in candles) == ["2026-12-04T19:00", "2026-12-11T19:00"]
    assert {c.extraction_method for c in candles} == {"jsonld"}
    walks = [e for e in events if e.title == "Walk"]
    assert sorted(w.location or "" for w in walks) == ["Astoria", "Harlem"]
    ids = [e.source_id_hint for e in events]
    assert len(set(ids)) == len(ids) == 4


def test_sub_events_are_dates_of_their_parent() -> None:
    festival = {
        "@type": "Festival",
        "name": "Winter Jazzfest",
        "startDate": "2027-01-08",
        "subEvent": [{"@type": "MusicEvent", "name": "Night 2", "startDate": "2027-01-09"}],
    }
    (event,) = found(ld(json.dumps(festival)))
    assert (event.start_value, event.extra_dates) == ("2027-01-08", ("2027-01-09",))


def test_places_outside_new_york_say_so() -> None:
    events = json.dumps(
        [
            {"@type": "Event", "name": "Science Night", "startDate": "2026-12-04",
             "location": {"@type": "Place", "name": "Liberty Science Center", "address": {
                 "addressLocality": "Jersey City", "addressRegion": "NJ"}}},
            {"@type": "Event", "name": "Gallery Talk", "startDate": "2026-12-05",
             "location": {"@type": "Place", "name": "Grosvenor Hill", "address": {
                 "addressLocality": "London", "addressCountry": "GB"}}},
            {"@type": "Event", "name": "Pier Party", "startDate": "2026-12-06",
             "location": {"@type": "Place", "name": "Pier 17", "address": {
                 "addressLocality": "New York", "addressRegion": "NY",
                 "addressCountry": "US"}}},
        ]
    )  # fmt: skip
    got = {e.title: e.location for e in found(ld(events))}
    assert got == {
        "Science Night": "Liberty Science Center, Jersey City, NJ",
        "Gallery Talk": "Grosvenor Hill, London, GB",
        "Pier Party": "Pier 17, New York",
    }


def test_hostile_values_cost_only_themselves() -> None:
    events = json.dumps(
        [
            {"@type": "Event", "name": "NaN Gig", "startDate": "2026-12-04",
             "offers": {"price": "NaN"}, "url": "javascript:alert(1)",
             "image": "data:image/png;base64,AAAA"},
            {"@type": "Event", "name": "Huge Gig", "startDate": "9999-12-31",
             "offers": [{"price": 1e308}, {"price": "15"}]},
            {"@type": "Event", "name": "Fine Gig", "startDate": "2026-12-06",
             "offers": {"lowPrice": "10", "highPrice": "25"}, "url": "/fine"},
        ]
    )  # fmt: skip
    got = by_title(ld(events))
    assert set(got) == {"NaN Gig", "Huge Gig", "Fine Gig"}
    nan = got["NaN Gig"]
    assert (nan.price_range, nan.url, nan.image_url) == (None, None, None)
    assert set(nan.flags["dropped"]) == {"price_not_finite", "url_unsafe", "image_url_unsafe"}
    huge = got["Huge Gig"]
    assert huge.start_value is None
    assert huge.price_range == (D("15"), D("15"))
    assert set(huge.flags["dropped"]) == {"date_out_of_range", "price_too_high"}
    fine = got["Fine Gig"]
    assert (fine.price_range, fine.url) == ((D("10"), D("25")), "https://example.com/fine")
    assert "dropped" not in fine.flags


# --- microdata, RDFa, microformats, OpenGraph ---------------------------------------


def test_microdata_event() -> None:
    page = """<div itemscope itemtype="https://schema.org/ComedyEvent">
      <h2 itemprop="name">Late Laughs</h2><meta itemprop="startDate" content="2026-12-04T21:00">
      <div itemprop="location" itemscope itemtype="https://schema.org/Place">
        <span itemprop="name">The Cellar</span></div>
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
        <meta itemprop="price" content="15"></div><a itemprop="url" href="/late">x</a></div>"""
    (event,) = found(page)
    assert (event.title, event.start_value, event.location) == (
        "Late Laughs",
        "2026-12-04T21:00",
        "The Cellar",
    )
    assert (event.extraction_method, event.price_range) == ("microdata", (D("15"), D("15")))
    assert event.url == "https://example.com/late"


def test_rdfa_event_with_nested_place_and_offer() -> None:
    page = """<html><body><div vocab="https://schema.org/" typeof="Event">
      <span property="name">Winter Gala</span><meta property="startDate" content="2026-12-07T18:00">
      <div property="location" typeof="Place"><span property="name">The Hall</span></div>
      <div property="offers" typeof="Offer"><meta property="price" content="40"></div>
      <a property="url" href="/gala">more</a></div></body></html>"""
    (event,) = found(page)
    assert (event.title, event.start_value, event.location) == (
        "Winter Gala",
        "2026-12-07T18:00",
        "The Hall",
    )
    assert (event.extraction_method, event.price_range) == ("rdfa", (D("40"), D("40")))
    assert event.url == "https://example.com/gala"


def test_microformats_h_event_and_hcalendar_vevent() -> None:
    page = """<html><body><div class="h-feed">
      <article class="h-event"><h2 class="p-name">Winter Jazz</h2>
        <time class="dt-start" datetime="2026-12-04T20:00">Dec 4</time>
        <span class="p-location h-card"><span class="p-name">Blue Note</span>
          <span class="p-locality">Manhattan</span></span>
        <a class="u-url" href="/jazz">more</a><img class="u-photo" src="/j.jpg" alt=""></article>
      </div>
      <div class="vevent"><span class="summary">Old School Fair</span>
        <abbr class="dtstart" title="2026-12-06">Dec 6</abbr> - <abbr class="dtend"
        title="2026-12-07">7</abbr> at <span class="location">Prospect Park</span></div>
      </body></html>"""
    got = by_title(page)
    jazz, fair = got["Winter Jazz"], got["Old School Fair"]
    assert (jazz.start_value, jazz.location, jazz.url, jazz.image_url) == (
        "2026-12-04T20:00",
        "Blue Note, Manhattan",
        "https://example.com/jazz",
        "https://example.com/j.jpg",
    )
    assert (fair.start_value, fair.end_value, fair.location) == (
        "2026-12-06",
        "2026-12-07",
        "Prospect Park",
    )
    assert {jazz.extraction_method, fair.extraction_method} == {"microformat"}


def test_opengraph_event_page_only_when_nothing_richer() -> None:
    head = """<meta property="og:type" content="event"><meta property="og:title" content="Pop-Up">
      <meta property="og:url" content="https://example.com/pop-up">
      <meta property="og:image" content="/pop.jpg">
      <meta property="event:start_time" content="2026-12-05T19:00-05:00">"""
    (event,) = found(f"<html><head>{head}</head><body></body></html>")
    assert (event.title, event.start_value, event.extraction_method) == (
        "Pop-Up",
        "2026-12-05T19:00-05:00",
        "opengraph",
    )
    assert event.image_url == "https://example.com/pop.jpg"
    richer = ld('{"@type": "Event", "name": "Pop-Up Market", "startDate": "2026-12-05"}')
    page = richer.replace("<head>", f"<head>{head}")
    assert [e.extraction_method for e in found(page)] == ["jsonld"]
    article = head.replace('content="event"', 'content="article"')
    assert found(f"<html><head>{article}</head></html>") == []


# --- JSON state ---------------------------------------------------------------------


def next_page(state: object, script_id: str = "__NEXT_DATA__") -> str:
    blob = json.dumps(state)
    return f'<html><body><script id="{script_id}" type="application/json">{blob}</script></body>'


def test_next_data_events_with_common_key_names_and_relative_links() -> None:
    state = {
        "props": {
            "pageProps": {
                "events": [
                    {"title": "Rooftop Salsa", "start_date": "2026-12-04T19:00:00",
                     "end_date": "2026-12-04T23:00:00", "venue": {"name": "Loft 9",
                     "address": {"city": "Brooklyn"}}, "slug": "salsa", "url": "/e/salsa",
                     "image": {"src": "/img/salsa.jpg"}, "price": "$25"},
                    {"eventName": "Free Yoga", "startsAt": 1796410800000, "isFree": True,
                     "link": "https://tickets.example.org/yoga"},
                ],
                "post": {"title": "Our favourite bars", "date": "2026-11-01",
                         "author": "Sam"},
            }
        }
    }  # fmt: skip
    got = by_title(next_page(state))
    assert set(got) == {"Rooftop Salsa", "Free Yoga"}
    salsa = got["Rooftop Salsa"]
    assert (salsa.start_value, salsa.end_value) == ("2026-12-04T19:00:00", "2026-12-04T23:00:00")
    assert (salsa.location, salsa.url) == ("Loft 9, Brooklyn", "https://example.com/e/salsa")
    assert salsa.image_url == "https://example.com/img/salsa.jpg"
    assert salsa.price_range == (D("25"), D("25"))
    yoga = got["Free Yoga"]
    assert yoga.start_value is not None
    assert yoga.start_value.startswith("2026-12-04")
    assert yoga.price_range == (D("0"), D("0"))
    assert {salsa.extraction_method, yoga.extraction_method} == {"embedded_json"}


def test_weak_date_keys_need_a_second_sign() -> None:
    state = {
        "items": [
            {"name": "Blue Hour Market", "date": "2026-12-12", "location": "Pier 17"},
            {"name": "Gift card", "date": "2026-12-12"},
            {"title": "Ten bars we love", "date": "2026-11-30", "publishedAt": "2026-11-30"},
        ]
    }
    assert set(by_title(next_page(state, "state"))) == {"Blue Hour Market"}


def test_apollo_refs_are_followed() -> None:
    state = {
        "props": {
            "apolloState": {
                "Venue:7": {"__typename": "Venue", "name": "Union Pool"},
                "Event:1": {"__typename": "Event", "name": "Honky Tonk Night",
                            "startTime": "2026-12-09T20:00:00-05:00",
                            "venue": {"__ref": "Venue:7"}},
            }
        }
    }  # fmt: skip
    (event,) = found(next_page(state))
    assert (event.title, event.location) == ("Honky Tonk Night", "Union Pool")


def test_nuxt_devalue_payload_is_hydrated() -> None:
    payload = [
        ["ShallowReactive", 1],
        {"data": 2},
        {"list": 3},
        [4],
        {"name": 5, "startDate": 6, "place": 7},
        "Lantern Walk",
        ["Date", "2026-12-10T18:30:00.000Z"],
        "Snug Harbor",
    ]
    page = (
        '<html><body><script type="application/json" id="__NUXT_DATA__" data-ssr="true">'
        f"{json.dumps(payload)}</script></body></html>"
    )
    (event,) = found(page)
    assert (event.title, event.start_value, event.location) == (
        "Lantern Walk",
        "2026-12-10T18:30:00.000Z",
        "Snug Harbor",
    )


def test_window_state_assignments_and_json_parse() -> None:
    literal = (
        "<script>window.__INITIAL_STATE__ = {events: [{name: 'Night Market', "
        "startDate: '2026-12-11', location: 'Queens',}]};</script>"
    )
    escaped = json.dumps(json.dumps({"event": {"title": "Drag Brunch", "start": "2026-12-13"}}))
    parsed = f"<script>window.__APOLLO_STATE__ = JSON.parse({escaped});</script>"
    assert set(by_title(f"<html><body>{literal}{parsed}</body></html>")) == {
        "Night Market",
        "Drag Brunch",
    }


def test_script_constants_date_parts_display_dates_and_menus() -> None:
    state = {
        "main": {
            "featuredExhibitions": {
                "items": [
                    {"title": "Sky Paintings", "slug": "sky",
                     "dates": {"start": {"day": "5", "month": "March", "year": "2027"},
                               "end": {"day": "2", "month": "August", "year": "2027"}}},
                ]
            },
            "exhibitions": [
                {"title": "River Drawings", "dates_display": "April 25–July 31, 2027",
                 "location": {"title": "980 Madison"}, "absolute_url": "/exhibitions/river/"},
            ],
        },
        "mainMenu": {"events": [{"title": "Members Tour", "start": {"isoDate": "2027-01-04"}}]},
    }  # fmt: skip
    code = f"/* <![CDATA[ */ const bootstrap = {json.dumps(state)}; var a = {{}};"
    script = f"<script>{code}</script>"
    got = by_title(f"<html><body>{script}</body></html>")
    assert set(got) == {"Sky Paintings", "River Drawings"}
    sky, river = got["Sky Paintings"], got["River Drawings"]
    assert (sky.start_value, sky.end_value) == ("2027-03-05", "2027-08-02")
    assert (river.start_value, river.date_text) == (None, "April 25–July 31, 2027")
    assert (river.location, river.url) == ("980 Madison", "https://example.com/exhibitions/river/")


def test_next_app_router_flight_data() -> None:
    row = json.dumps(
        [
            "$",
            "div",
            None,
            {"event": {"name": "Film Night", "startDate": "$D2026-12-14T19:00:00.000Z"}},
        ]
    )
    chunk = json.dumps(f"0:[]\n1a:{row}\n")
    page = f"<html><body><script>self.__next_f.push([1,{chunk}])</script></body></html>"
    (event,) = found(page)
    assert (event.title, event.start_value) == ("Film Night", "2026-12-14T19:00:00.000Z")


def test_big_state_without_events_and_deep_nesting_yield_nothing() -> None:
    filler = {"props": {"venues": [{"id": i, "name": f"Venue {i}"} for i in range(20_000)]}}
    assert found(next_page(filler)) == []
    deep = "[" * 100_000 + "]" * 100_000
    page = f'<script type="application/json">{deep}</script>' + ld("[" * 50_000)
    assert found(page) == []


def test_items_keep_publication_dates_for_the_page_date() -> None:
    article = '{"@type": "NewsArticle", "headline": "x", "datePublished": "2026-11-20T09:00:00Z"}'
    items = extract_items(ld(article), BASE)
    assert [i.get("datePublished") for i in items] == ["2026-11-20T09:00:00Z"]


def test_structured_events_are_judged_like_listing_blocks() -> None:
    from datetime import date
    from pathlib import Path

    from yescount.ingest.models import Page
    from yescount.ingest.pipeline import ExtractContext, process_page
    from yescount.ingest.registry import adapter_for
    from yescount.ingest.tags import load_vocabulary

    root = Path(__file__).resolve().parents[2]
    ctx = ExtractContext(
        load_vocabulary(root / "config" / "vibe_tags.yaml"),
        today=date(2026, 11, 20),
        as_of=date(2026, 11, 20),
    )
    shows = [
        {"title": "River Drawings", "dates_display": "November 25–December 31, 2026",
         "location": {"title": "980 Madison"}},
        {"title": "Sea Paintings", "dates_display": "November 25–December 31, 2026",
         "location": {"title": "Grosvenor Hill, London"}},
    ]  # fmt: skip
    online = {
        "@type": "Event",
        "name": "Zoom Book Club",
        "startDate": "2026-12-04",
        "location": {"@type": "VirtualLocation", "url": "https://zoom.example"},
    }
    page = ld(json.dumps(online)).replace(
        "</body>", next_page({"props": {"exhibitions": shows}}).split("<body>")[1]
    )
    result = process_page(adapter_for("generic"), Page("generic", BASE, page), ctx)
    river = next(e for e in result.accepted if e.title == "River Drawings")
    assert (river.date_start, river.date_end) == (date(2026, 11, 25), date(2026, 12, 31))
    assert {(r.title, r.reason) for r in result.rejected} == {
        ("Zoom Book Club", "online"),
        ("Sea Paintings", "out_of_area"),
    }
