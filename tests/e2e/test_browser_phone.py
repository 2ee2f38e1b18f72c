"""Phone-first checks in a real Chromium at 390x844 and 1366x900 (issue 11).

Each test sets a plan up through the JSON API of a live ``yescount serve`` and then
looks at what a person really gets: bounding boxes, focus, DOM order, reloads.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e.test_browser_journey import AXE, CHROMIUM, CHROMIUM_ARGS, audit_only, settle
from yescount.ports import system_clock
from yescount.services.search import today_in_new_york

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


def plan(live_server: str, **extra: Any) -> dict[str, Any]:
    """A plan from tomorrow for a week, made through the API; its URLs and tokens."""
    start = today_in_new_york(system_clock) + timedelta(days=1)
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
    made = plan(
        live_server, blackout_dates=[str(today_in_new_york(system_clock) + timedelta(days=5))]
    )
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
