"""The generic block path on markup seen on real museum pages (Bronx Museum, Cooper Hewitt,
Poster House), written here as small snippets: hidden heading text, a date line inside a
heading, listings inside wrappers named like navigation, and a "Loans" section."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from yescount.domain.events import DateStatus
from yescount.ingest import html
from yescount.ingest.models import Page
from yescount.ingest.pipeline import ExtractContext, process_page
from yescount.ingest.sources.generic import GenericAdapter
from yescount.ingest.tags import load_vocabulary
from yescount.ingest.titles import heading_title

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://museum.example/exhibitions/"
CTX = ExtractContext(
    load_vocabulary(ROOT / "config" / "vibe_tags.yaml"),
    today=date(2026, 6, 26),
    as_of=date(2026, 6, 26),
)


def test_a_heading_title_leaves_out_screen_reader_text_and_a_date_line() -> None:
    doc = html.parse(
        """<h2 id="a"><span>The Seventh Biennial <a aria-hidden="true" href="/x">Read more
        about The Seventh Biennial</a></span></h2>
        <h1 id="b">MADE IN AMERICA: PHOTOGRAPHS<br>ON VIEW through sept. 27, 2026</h1>
        <h3 id="c">Act Black<span class="visually-hidden">.</span></h3>
        <h3 id="d">Jazz at Noon<br>A lunchtime series</h3>"""
    )
    titles = [heading_title(doc.css_first(f"#{key}")) for key in "abcd"]  # type: ignore[arg-type]
    assert titles == [
        "The Seventh Biennial",
        "MADE IN AMERICA: PHOTOGRAPHS",
        "Act Black",
        "Jazz at Noon A lunchtime series",
    ]


def test_dated_tiles_inside_a_wrapper_named_like_navigation_are_a_listing() -> None:
    tiles = "".join(
        f"""<div class="item-data"><a href="/e/{n}"><img src="/i/{n}.jpg"></a>
        <a class="title link" href="/e/{n}">Show number {n}</a><p>Mar {n}–Sep 6, 2026</p></div>"""
        for n in (10, 11, 12)
    )
    menu = """<div class="site-menu"><div class="m"><a href="/visit">Visit the museum</a> and
        more</div><div class="m"><a href="/shop">Shop our store</a> and more</div></div>"""
    page = f'<main><div id="internal_nav_outer">{tiles}</div>{menu}</main>'
    result = process_page(GenericAdapter(), Page("x", BASE, page), CTX)
    assert sorted(e.title for e in result.accepted) == [
        "Show number 10",
        "Show number 11",
        "Show number 12",
    ]
    assert {e.date_end for e in result.accepted} == {date(2026, 9, 6)}


def test_a_museums_loans_to_other_institutions_are_out_of_the_area() -> None:
    cards = """<h2>On View</h2><div class="grid">
      <div class="card"><a class="title" href="/e/1">Our Own Show</a><p>Mar 13–Sep 6, 2026</p></div>
      <div class="card"><a class="title" href="/e/2">Another Own Show</a><p>Apr 23–Nov 1, 2026</p>
      </div></div>
      <h2>Loans</h2><div class="grid">
      <div class="card"><a class="title" href="https://far.example/a">Lent Away</a>
        <p>Nov 7, 2026–May 27, 2029</p><p>Powerhouse Ultimo</p></div>
      <div class="card"><a class="title" href="https://far.example/b">Lent Too</a>
        <p>Apr 18–Sep 20, 2026</p><p>Design Museum Den Bosch</p></div></div>"""
    result = process_page(GenericAdapter(), Page("x", BASE, f"<main>{cards}</main>"), CTX)
    assert sorted(e.title for e in result.accepted) == ["Another Own Show", "Our Own Show"]
    assert {r.title: r.reason for r in result.rejected} == {
        "Lent Away": "out_of_area",
        "Lent Too": "out_of_area",
    }
    assert all(e.date_status is DateStatus.RANGE for e in result.accepted)


def test_a_page_with_one_dated_section_gives_that_event_and_an_undated_article_none() -> None:
    page = """<main><div class="header"><h1 class="page__title">Upcoming Exhibitions</h1></div>
      <div class="body"><h1><strong>Design Across Time<br>OPENS June 26, 2026</strong></h1>
      <p>The first floor of the mansion shows the design collection.</p>
      <p><a href="/channel/design-across-time/">Learn more about Design Across Time</a></p>
      </div></main>"""
    result = process_page(GenericAdapter(), Page("x", BASE, page), CTX)
    [event] = result.accepted
    assert (event.title, event.date_start, event.date_end) == (
        "Design Across Time",
        date(2026, 6, 26),
        None,
    )
    assert event.date_evidence == "OPENS June 26, 2026"
    article = "<main><h1>About us</h1><p>We are a museum of design on Fifth Avenue.</p></main>"
    assert process_page(GenericAdapter(), Page("x", BASE, article), CTX).accepted == ()


def test_cards_marked_offsite_or_in_another_state_are_out_of_the_area() -> None:
    def card(n: int, eyebrow: str) -> str:
        return f"""<div class="card"><div class="eyebrow">{eyebrow}</div>
        <div class="title"><a href="/view/{n}">Show {n}</a></div>
        <a href="/view/{n}">From April {n} to August 2, 2026</a></div>"""

    cards = [
        card(10, ""),
        card(11, "offsite: Atlanta, Georgia"),
        card(12, "Honolulu, Hawai\u2018i"),
        card(13, "offsite: Brooklyn Bridge Park, Brooklyn"),
    ]
    page = f'<main><div class="grid">{"".join(cards)}</div></main>'
    result = process_page(GenericAdapter(), Page("x", BASE, page), CTX)
    assert sorted(e.title for e in result.accepted) == ["Show 10", "Show 13"]
    assert {r.title: r.reason for r in result.rejected} == {
        "Show 11": "out_of_area",
        "Show 12": "out_of_area",
    }


def test_a_title_qualified_virtual_is_online_but_virtual_reality_and_online_topics_are_not() -> (
    None
):
    def card(title: str) -> str:
        return f"""<div class="card"><h3><a href="/e/{len(title)}">{title}</a></h3>
        <p>Sunday, July 26, 2026, 3 pm</p><p>At the museum's theater.</p></div>"""

    titles = ["Virtual Astro Live: 7/26", "Virtual Reality Arcade", "Online Meeting: Zoom Basics"]
    page = f'<main><div class="grid">{"".join(card(t) for t in titles)}</div></main>'
    result = process_page(GenericAdapter(), Page("x", BASE, page), CTX)
    assert sorted(e.title for e in result.accepted) == titles[2:0:-1]
    assert [(r.title, r.reason) for r in result.rejected] == [(titles[0], "online")]


def test_section_words_list_titles_and_closure_notices_are_not_events() -> None:
    def card(title: str, when: str) -> str:
        return f"""<div class="card"><h3><a href="/e/{len(title)}">{title}</a></h3>
        <p>{when}</p><p>At the museum, on the second floor of the main building.</p></div>"""

    cards = [
        card("Upcoming", "Opens September 12, 2026"),
        card("Galleries Closed", "May 25 – September 15, 2026"),
        card("Student Exhibitions", "Shows by our students."),
        card("Exhibitions at Mana", "Our shows at the Mana Contemporary space."),
        card("Needle Felting Workshop (Registration Closed)", "July 13, 2026, 1 pm"),
        card("Doll Dressing", "September 16, 2026 – January 3, 2027"),
    ]
    page = f'<main><div class="grid">{"".join(cards)}</div></main>'
    result = process_page(GenericAdapter(), Page("x", BASE, page), CTX)
    assert sorted(e.title for e in result.accepted) == [
        "Doll Dressing",
        "Needle Felting Workshop (Registration Closed)",
    ]
    assert {r.title: r.reason for r in result.rejected} == {
        "Upcoming": "not_event_section",
        "Galleries Closed": "news",
        "Student Exhibitions": "roundup",
        "Exhibitions at Mana": "roundup",
    }


def test_panels_that_each_hold_several_dated_items_give_the_items() -> None:
    def row(n: int) -> str:
        return f"""<div class="views-row views-row-{n}"><a href="/x/{n}"><img src="/i/{n}.jpg"></a>
        <div class="list-title"><h1><a href="/x/{n}">Show {n}</a></h1></div>
        <div class="list-dates"><h4>Through Aug {n}, 2026</h4></div></div>"""

    panel = (
        '<div class="exhibition-head"><h1>{0}</h1></div><div class="exhibition-body">'
        '<div class="view">{1}</div><p>{2}</p></div>'
    )
    page = "<main>" + panel.format("Now", "".join(row(n) for n in (10, 11, 12, 13)), "x" * 900)
    page += panel.format("Installations", "<h3>Seeing is Believing</h3>", "y" * 900) + "</main>"
    result = process_page(GenericAdapter(), Page("x", BASE, page), CTX)
    assert sorted(e.title for e in result.accepted) == ["Show 10", "Show 11", "Show 12", "Show 13"]


def test_a_time_element_with_a_day_only_takes_the_hours_its_card_gives() -> None:
    def row(day: int, title: str) -> str:
        return f"""<div class="event-row"><div class="event-date-tag">
        <time datetime="2026-07-{day}"><span>Tue</span><span>{day}</span></time></div>
        <article class="event"><time class="event-datetime" datetime="2026-07-{day}">July {day}
        @ 7:00 pm - 9:00 pm</time><h3><a href="/e/{day}">{title}</a></h3>
        <p>A trio plays standards at the loft.</p></article></div>"""

    page = f'<main><div class="list">{row(14, "Jazz Night")}{row(16, "Open Mic")}</div></main>'
    ctx = ExtractContext(CTX.vocabulary, today=date(2026, 7, 1), as_of=date(2026, 7, 1))
    result = process_page(GenericAdapter(), Page("x", BASE, page), ctx)
    got = {e.title: (e.date_start, e.time_start, e.time_end) for e in result.accepted}
    assert got == {
        "Jazz Night": (date(2026, 7, 14), time(19, 0), time(21, 0)),
        "Open Mic": (date(2026, 7, 16), time(19, 0), time(21, 0)),
    }
