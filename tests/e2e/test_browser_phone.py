"""Phone-first checks in a real Chromium at 390x844 and 1366x900 (issue 11).

Each test sets a plan up through the JSON API of a live ``yescount serve`` and then
looks at what a person really gets: bounding boxes, focus, DOM order, reloads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e.conftest import JOURNEY_LIMITS, REPO, free_port, wait_until_healthy
from tests.e2e.test_browser_journey import AXE, CHROMIUM, CHROMIUM_ARGS, audit_only, settle
from yescount.domain import newyork
from yescount.ports import system_clock

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run `make test-deps` (npm ci)", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``yescount serve`` over the demo events (realistic prices, images, 40+ cards)."""
    root = tmp_path_factory.mktemp("demo")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": "", "SQLITE_DB_PATH": str(root / "yc.db"),
           "CHROMA_PERSIST_DIR": str(root / "chroma"), "BASE_URL": base_url,
           "INGESTION_AUTO_REFRESH": "false", "YESCOUNT_ENV": "development",
           "HF_HUB_OFFLINE": "1", **JOURNEY_LIMITS}  # fmt: skip
    cli = str(Path(sys.executable).parent / "yescount")
    for step in (["migrate"], ["demo", "load"]):
        subprocess.run([cli, *step], cwd=REPO, env=env, check=True, capture_output=True)
    log = root / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [cli, "serve", "--port", str(port)], cwd=REPO, env=env, stdout=out, stderr=out
        )
    try:
        wait_until_healthy(base_url, process, log)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=15)


def plan(live_server: str, **extra: Any) -> dict[str, Any]:
    """A plan from tomorrow for a week, made through the API; its URLs and tokens."""
    start = newyork.today(system_clock) + timedelta(days=1)
    body = {
        "name": "Phone Night",
        "organizer_name": "Ema",
        "date_start": str(start),
        "date_end": str(start + timedelta(days=6)),
        **extra,
    }
    made = httpx.post(f"{live_server}/api/v1/sessions", json=body, timeout=30)
    assert made.status_code == 201, made.text
    out: dict[str, Any] = made.json()
    out["start"] = start
    return out


def lowest_price(label: str) -> float:
    """The lowest dollar amount in a card's "💰 $39–$59" line (0 for Free, -1 unknown)."""
    if "Free" in label.split("–")[0]:
        return 0.0
    if "$" not in label:
        return -1.0
    return float(label.split("$")[1].split("–")[0].split()[0].replace(",", ""))


def open_view(browser: Browser, url: str, size: str, **options: Any) -> Page:
    width, height = SIZES[size]
    page = browser.new_context(viewport={"width": width, "height": height}, **options).new_page()
    page.goto(url)
    settle(page)
    return page


def boxes(page: Page, selector: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent}; })",
    )
    return found


@pytest.mark.parametrize("size", SIZES)
def test_calendar_is_a_seven_column_month_whose_taps_save(
    browser: Browser, live_server: str, size: str
) -> None:
    today = newyork.today(system_clock)
    # The plan opens today, so today's month is drawn and holds the "today" cell (only the
    # window's months are drawn: from tomorrow, on a month's last day, today's is not).
    made = plan(live_server, date_start=str(today), blackout_dates=[str(today + timedelta(days=5))])
    page = open_view(browser, made["personal_url"] + "&view=availability", size)
    expect(page.locator("[data-yc-day]").first).to_be_visible()
    heads = boxes(page, ".yc-month:first-of-type .yc-wd")
    assert [h["text"] for h in heads] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert len({round(h["y"]) for h in heads}) == 1, "weekday headers are not on one row"
    cells = boxes(page, ".yc-month:first-of-type .yc-d:not(.pad)")
    columns = sorted({round(h["x"]) for h in heads})
    for cell in cells:
        assert min(abs(cell["x"] - x) for x in columns) < 2, f"{cell} is not under a weekday"
        assert cell["w"] >= 44, f"day cell narrower than 44 px: {cell}"
        assert cell["h"] >= 44, f"day cell lower than 44 px: {cell}"
    assert page.locator(".yc-d.blocked").count() == 1
    assert page.locator(".yc-d.out").count() > 0
    assert page.locator(".yc-d.today").count() == 1
    start: date = made["start"]
    day = page.locator(f'[data-yc-day="{start + timedelta(days=1)}"]')
    day.click()
    expect(day).to_have_class("yc-d yes")
    expect(page.locator('[data-yc-status="saved"]')).to_contain_text("Saved")
    other = page.locator(f'[data-yc-day="{start + timedelta(days=2)}"]')
    other.click()
    other.click()  # Free → Busy: a third, visibly different state with its own word
    expect(other).to_contain_text("Busy")
    expect(page.locator('[data-yc-status="saved"]')).to_contain_text("1 evening free")
    page.reload()
    settle(page)
    expect(page.locator(f'[data-yc-day="{start + timedelta(days=1)}"]')).to_contain_text("Free")
    expect(page.locator(f'[data-yc-day="{start + timedelta(days=2)}"]')).to_contain_text("Busy")
    saved = httpx.get(f"{live_server}/api/v1/sessions/{made['session_id']}/progress", timeout=30)
    assert saved.json()["gave_availability"] == 1


def test_calendar_keeps_focus_on_the_toggled_day(browser: Browser, live_server: str) -> None:
    made = plan(live_server)
    page = open_view(browser, made["personal_url"] + "&view=availability", "phone")
    start: date = made["start"]
    first = page.locator(f'[data-yc-day="{start}"]')
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_contain_text("Free")
    assert page.evaluate("() => document.activeElement.dataset.ycDay") == str(start)
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.dataset.ycDay") == str(
        start + timedelta(days=1)
    )
    page.keyboard.press("Tab")  # one tab stop for the whole grid: Tab leaves it
    assert page.evaluate("() => document.activeElement.dataset.ycDay || ''") == ""
    expect(first).to_contain_text("Free")
    expect(page.locator('[data-yc-status="saved"]')).to_contain_text("Saved")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_calendar_states_pass_the_audit(browser: Browser, live_server: str, scheme: str) -> None:
    made = plan(live_server)
    page = open_view(
        browser, made["personal_url"] + "&view=availability", "phone", color_scheme=scheme
    )
    start: date = made["start"]
    page.locator(f'[data-yc-day="{start}"]').click()
    busy = page.locator(f'[data-yc-day="{start + timedelta(days=1)}"]')
    busy.click()
    busy.click()
    expect(page.locator('[data-yc-status="saved"]')).to_be_visible()
    colours = page.eval_on_selector_all(
        ".yc-grid .yc-d.none, .yc-grid .yc-d.yes, .yc-grid .yc-d.no",
        "els => [...new Set(els.map(e => getComputedStyle(e).backgroundColor))]",
    )
    assert len(colours) == 3, colours
    audit_only(page, f"phone-availability-{scheme}")


def reading_order(page: Page) -> list[int]:
    """Visible cards sorted by where they sit (top to bottom, left to right)."""
    cells = page.eval_on_selector_all(
        ".yc-cell:not([hidden])",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [Math.round(r.y), Math.round(r.x), +e.dataset.rank]; })",
    )
    return [rank for _, _, rank in sorted(cells)]


@pytest.mark.parametrize("size", SIZES)
def test_vote_cards_in_rank_order_best_12_budget_and_images(
    browser: Browser, demo_server: str, size: str
) -> None:
    made = plan(demo_server, budget_cap=60)
    page = open_view(browser, made["personal_url"] + "&view=vote", size)
    expect(page.locator(".yc-cell").first).to_be_visible()
    ranks = [
        int(r) for r in page.eval_on_selector_all(".yc-cell", "els => els.map(e => e.dataset.rank)")
    ]
    assert ranks == list(range(1, len(ranks) + 1)), "DOM order is not rank order"
    assert page.locator(".yc-cell:not([hidden])").count() == 12
    assert reading_order(page) == list(range(1, 13)), "reading order is not rank order"
    more = page.get_by_role("button", name="more")
    more.click()
    assert reading_order(page) == list(range(1, len(ranks) + 1))
    # The default rule badges: every card over the $60 budget says so, no other card does.
    cells = page.eval_on_selector_all(
        ".yc-cell",
        "els => els.map(e => [[...e.querySelectorAll('.yc-meta')].map(m => m.textContent)"
        ".find(t => t.startsWith('💰')) || '', !!e.querySelector('.yc-pill.over')])",
    )
    over = [(price, badged) for price, badged in cells if lowest_price(price) > 60]
    assert over, "the demo data has events over $60"
    assert all(badged for _, badged in over), over
    assert not [p for p, badged in cells if badged and lowest_price(p) <= 60]
    assert not [p for p, _ in cells if "$0–" in p], "a zero price must read Free"
    # Every image either loaded or became the branded placeholder (no network here).
    for cell in page.locator(".yc-cell").all():
        cell.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.yc-cell img')].every(i => i.complete)"
    )
    broken = page.eval_on_selector_all(
        ".yc-cell img", "els => els.filter(i => i.offsetParent && i.naturalWidth === 0).length"
    )
    assert broken == 0
    initials = page.eval_on_selector_all(
        ".yc-ph", "els => new Set(els.map(e => e.textContent)).size"
    )
    assert initials > 1, "placeholders should differ between cards"
    expect(page.get_by_text("Filters: dates, max price, vibes")).to_be_visible()
    next_bar = page.get_by_role("button", name="Next: when are you free? →")
    box = next_bar.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= SIZES[size][1] + 1, "Next is not sticky in view"


@pytest.mark.parametrize("rule", ["badge", "hide"])
def test_cards_over_budget_are_badged_or_hidden_as_the_organizer_chose(
    browser: Browser, demo_server: str, rule: str
) -> None:
    made = plan(demo_server, budget_cap=60, over_budget=rule)
    page = open_view(browser, made["personal_url"] + "&view=vote", "phone")
    expect(page.locator(".yc-cell").first).to_be_visible()
    over = page.locator(".yc-cell:not([hidden]) .yc-pill.over")
    if rule == "badge":  # shown badged at once: the slider starts at any price
        expect(over.first).to_be_visible()
    else:
        assert over.count() == 0, "hidden: the slider starts at the budget"
    open_expander(page, "Filters: dates, max price, vibes")
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]')
    expect(thumb).to_have_value("200" if rule == "badge" else "60")
    thumb.focus()
    page.keyboard.press("End")  # all the way right: any price, or the budget when hidden
    settle(page)
    expect(thumb).to_have_value("200" if rule == "badge" else "60")
    if rule == "badge":
        expect(over.first).to_have_text("over the $60 budget")
        badged = over.first.locator("xpath=ancestor::li[1]")
        price = badged.locator(".yc-meta").filter(has_text="💰").inner_text()
        assert float(price.split("$")[1].split("–")[0]) > 60, price
    else:
        page.wait_for_timeout(1000)  # a redraw would have landed by now
        assert over.count() == 0
        api = f"{demo_server}/api/v1/sessions/{made['session_id']}/cards?max_price=500"
        assert all(c["price_min"] is None or float(c["price_min"]) <= 60 for c in httpx.get(
            api, timeout=30).json())  # fmt: skip


def test_vote_saves_on_tap_one_tab_stop_per_card_and_skip_link(
    browser: Browser, demo_server: str
) -> None:
    made = plan(demo_server)
    page = open_view(browser, made["personal_url"] + "&view=vote", "phone")
    expect(page.locator(".yc-cell").first).to_be_visible()
    page.get_by_text("Yes! Count me in!", exact=True).nth(1).click()
    expect(page.locator('[data-yc-status="saved"]')).to_contain_text("Saved ✓ 1 yes")
    page.reload()
    settle(page)
    boxes = page.get_by_role("checkbox", name="Yes! Count me in!")
    expect(boxes.nth(1)).to_be_checked()
    boxes.nth(0).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('yc-more')")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.yc-cell').dataset.rank") == "2"
    page.locator(".yc-skip").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.textContent").startswith("Next: when")
    audit_only(page, "phone-vote")


def test_demo_events_named_for_a_weekday_fall_on_it(demo_server: str) -> None:
    made = plan(demo_server)
    cards = httpx.get(f"{demo_server}/api/v1/sessions/{made['session_id']}/cards", timeout=30)
    for card in cards.json():
        title = card["title"].lower()
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
            if day in title and "–" not in card["schedule_label"]:
                assert day[:3] in card["schedule_label"].lower(), card


def vote_and_mark(base: str, made: dict[str, Any], names: tuple[str, ...], *, mark: bool) -> str:
    """Friends join and say yes to the top card (and, with ``mark``, are free all week)."""
    api = f"{base}/api/v1/sessions/{made['session_id']}"
    tokens = [made["participant_token"]]
    for name in names:
        joined = httpx.post(f"{api}/participants", json={"name": name}, timeout=30)
        tokens.append(joined.json()["participant_token"])
    top = httpx.get(f"{api}/cards", timeout=30).json()[0]
    start: date = made["start"]
    for token in tokens:
        auth = {"Authorization": f"Bearer {token}"}
        httpx.put(f"{api}/votes/{top['event_id']}", headers=auth, json={"interested": True})
        if mark:
            days = [str(start + timedelta(days=n)) for n in range(7)]
            httpx.put(f"{api}/availability", headers=auth, json={"available": days})
    return str(top["title"])


@pytest.mark.parametrize("size", SIZES)
def test_results_before_availability_offer_no_pick_nobody_can_attend(
    browser: Browser, demo_server: str, size: str
) -> None:
    made = plan(demo_server)
    title = vote_and_mark(demo_server, made, ("Jake", "Zoë"), mark=False)
    page = open_view(browser, made["organizer_url"] + "&view=results", size)
    expect(page.get_by_text("3 of 3 haven't picked evenings yet.")).to_be_visible()
    expect(page.get_by_text("Leading so far")).to_be_visible()
    expect(page.get_by_text(f"{title} — 3 yeses")).to_be_visible()
    assert page.locator(".yc-pick").count() == 0
    expect(page.get_by_role("button", name="📅 Add to calendar (.ics)")).to_have_count(0)
    expect(page.get_by_role("button", name="🔒 Lock plan")).to_have_count(0)


@pytest.mark.parametrize("size", SIZES)
def test_after_the_lock_every_page_leads_with_its_happening(
    browser: Browser, demo_server: str, size: str
) -> None:
    made = plan(demo_server)
    title = vote_and_mark(demo_server, made, ("Jake",), mark=True)
    locked = httpx.post(
        f"{demo_server}/api/v1/sessions/{made['session_id']}/lock",
        headers={"Authorization": f"Bearer {made['organizer_token']}"},
        json={},
        timeout=30,
    )
    assert locked.status_code == 200, locked.text
    for url in (
        made["personal_url"] + "&view=results",
        made["personal_url"] + "&view=vote",
        made["share_url"],  # a newcomer
    ):
        page = open_view(browser, url, size)
        card = page.locator(".yc-happening")
        expect(card).to_be_visible()
        expect(card).to_contain_text(title)
        expect(card).to_contain_text("Everyone's in: Ema, Jake")
        first_heading = page.locator("h2, .yc-pick").first
        assert first_heading.evaluate("e => !!e.closest('.yc-happening')"), "not first"
        expect(page.get_by_role("button", name="📅 Add to calendar (.ics)").first).to_be_visible()
        expect(page.get_by_text("Join Ema's")).to_have_count(0)
        page.context.close()


def test_pick_explanations_are_plain_words_with_numbers_behind_why(
    browser: Browser, demo_server: str
) -> None:
    made = plan(demo_server)
    vote_and_mark(demo_server, made, ("Jake",), mark=True)
    page = open_view(browser, made["personal_url"] + "&view=results", "phone")
    facts = page.locator(".yc-meta").filter(has_text="said yes").first
    expect(facts).to_contain_text("All 2 free")
    expect(facts).to_contain_text("2 of 2 said yes")
    expect(page.get_by_text("score").first).to_be_hidden()
    page.locator(".yc-why summary").first.click()
    expect(page.get_by_text("score").first).to_be_visible()
    audit_only(page, "phone-results")


def open_expander(page: Page, label: str) -> None:
    """Open a Streamlit expander and wait for its 500 ms opening animation to end.

    Clicking inside while it still grows moves the widget under the pointer; a
    multiselect then closes its menu and drops the typed text (the old flake here).
    """
    page.get_by_text(label).click()
    # Panels whose widgets are drawn only when open rerun the script on opening.
    settle(page)
    # Only finite, running animations are awaited: an infinite one (a spinner) never
    # finishes, and one whose element a rerun replaced may never settle, so the wait is
    # also capped. A cancelled animation's `finished` rejects (AbortError), which is fine.
    page.evaluate(
        """() => Promise.race([
            Promise.all(document.getAnimations()
                .filter(a => a.playState === "running"
                    && Number.isFinite(a.effect?.getComputedTiming().endTime))
                .map(a => a.finished.catch(() => null))),
            new Promise(done => setTimeout(done, 3000)),
        ])"""
    )


def test_the_vibe_filter_filters(browser: Browser, demo_server: str) -> None:
    made = plan(demo_server)
    page = open_view(browser, made["personal_url"] + "&view=vote", "phone")
    expect(page.locator(".yc-cell").first).to_be_visible()  # the grid is drawn
    pills = "els => els.map(e => [...e.querySelectorAll('.yc-pill')].map(p => p.textContent))"
    before = page.eval_on_selector_all(".yc-cell", pills)
    assert any("comedy" not in " ".join(t) for t in before), before
    open_expander(page, "Filters: dates, max price, vibes")
    vibes = page.locator('[data-testid="stMultiSelect"]')
    settle(page)
    # A click or typing that lands while the panel's rerun is still replacing the widget
    # opens nothing or filters a list that is gone (each seen once in a fresh-clone CI):
    # try again, at most three times, after the run settled.
    comedy = page.get_by_role("option", name="comedy", exact=True)
    for _ in range(3):
        try:
            vibes.locator("input").click()
            expect(page.get_by_role("listbox")).to_be_visible(timeout=10_000)
            vibes.locator("input").fill("comedy")
            expect(comedy).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
            settle(page)
    comedy.click()
    expect(vibes.locator("[data-tag]")).to_have_text(["comedy"])
    page.keyboard.press("Escape")
    settle(page)
    # The grid component redraws after the script run: poll it (deadline 30 s).
    deadline = time.monotonic() + 30
    tags = page.eval_on_selector_all(".yc-cell", pills)
    while not (tags and all("comedy" in " ".join(t) for t in tags)):
        if time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
        tags = page.eval_on_selector_all(".yc-cell", pills)
    assert tags, "no cards after choosing comedy"
    assert all("comedy" in " ".join(t) for t in tags), tags


@pytest.mark.parametrize("size", SIZES)
def test_links_copy_from_a_keyboard_usable_box_and_filters_draw_on_open(
    browser: Browser, demo_server: str, size: str
) -> None:
    made = plan(demo_server)
    page = open_view(
        browser, made["personal_url"] + "&view=vote", size, permissions=["clipboard-read",
        "clipboard-write"],
    )  # fmt: skip
    expect(page.locator(".yc-cell").first).to_be_visible()
    # No code block (its highlighter is ~1.5 MB of JS) and no filter widget before asked.
    assert page.locator('[data-testid="stCode"], [data-testid="stSlider"]').count() == 0
    open_expander(page, "Your personal link (use it on another device)")
    link = page.get_by_role("textbox", name="Your personal link")
    expect(link).to_have_value(made["personal_url"])
    expect(link).to_have_attribute("readonly", "")
    link.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Copy"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Copied ✓").first).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == made["personal_url"]
    open_expander(page, "Filters: dates, max price, vibes")
    expect(page.locator('[data-testid="stSlider"]')).to_be_visible()
    expect(page.get_by_label("Only these vibes")).to_have_count(1)
    audit_only(page, f"{size}-vote-links")
    page.context.close()
