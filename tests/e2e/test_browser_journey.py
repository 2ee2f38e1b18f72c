"""The whole journey in a real Chromium against ``yescount serve``, with an axe audit per view.

Organizer creates a plan; two friends join from their own browser contexts
through the share link, vote and give availability; the organizer sees the
results, copies the invite, downloads the .ics and locks; a friend reloads
(and opens their personal link on "another device") and is still themself.
Screenshots of every view land in ``artifacts/screenshots/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.conftest import ARTIFACTS, LIVE_EVENTS, XSS_TITLE
from yescount.domain import newyork
from yescount.ports import system_clock

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ARTIFACTS / "screenshots"
BLOCKING = {"serious", "critical"}

expect.set_options(timeout=30_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps`", pytrace=False)
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run `make test-deps` (npm ci)", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, **options)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    return context


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the script run the last action started."""
    page.wait_for_timeout(250)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'"
    )


def guard_alerts(page: Page, alerts: list[str]) -> None:
    """Any JavaScript dialog means scraped text was executed: record it."""

    def on_dialog(dialog: Any) -> None:
        alerts.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)


def audit(page: Page, name: str) -> None:
    """Screenshot the view, then run axe-core in it: no serious or critical violations."""
    settle(page)
    audit_only(page, name, shoot=True)


def audit_only(page: Page, name: str, *, shoot: bool = False) -> None:
    """axe-core on the page as it is (``shoot``: a full-page screenshot first)."""
    # Streamlit's transient toasts carry an aria-labelledby without a target (its markup,
    # not ours); they vanish after a few seconds, so audit the page once they are gone.
    expect(page.locator('[data-testid="stToast"]')).to_have_count(0)
    if shoot:
        screenshot(page, name)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160)),
            }));
        }"""
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{name}: " + json.dumps(blocking, indent=1)


def screenshot(page: Page, name: str) -> None:
    """A full-page PNG in artifacts/screenshots/ (Streamlit scrolls inside a div)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1280, "height": 1000}
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('section, div')].map(e => "
        "e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(int(height), 900), 6000)})
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def open_app(page: Page, url: str, waiting_for: str) -> None:
    page.goto(url)
    expect(page.get_by_text(waiting_for).first).to_be_visible()
    settle(page)


def create_plan(page: Page, base_url: str) -> str:
    open_app(page, base_url + "/", "Start a plan")
    audit(page, "01-landing")
    page.get_by_label("Plan name").fill("Crew Night Out")
    page.get_by_label("Your first name").first.fill("Ema")
    page.get_by_role("button", name="Create plan").click()
    expect(page.get_by_text("What do you want to do this month?")).to_be_visible()
    expect(page.get_by_text("Your plan is ready!")).to_be_visible()
    share = page.get_by_role("textbox", name="Share link — for friends").input_value().strip()
    assert share.startswith(f"{base_url}/?session=")
    assert "org=" in page.url
    return share


def join_vote_and_mark(page: Page, share: str, name: str, *, shoot: bool) -> None:
    open_app(page, share, "Join Ema's Crew Night Out!")
    if shoot:
        audit(page, "02-welcome")
    page.get_by_label("Your first name").fill(name)
    page.get_by_role("button", name="Join the crew").click()
    expect(page.get_by_text(f"Hi {name}!")).to_be_visible()
    settle(page)
    # The hostile listing title is shown as text, never turned into an element.
    expect(page.get_by_role("heading", name=XSS_TITLE)).to_be_visible()
    assert page.locator('img[src="x"]').count() == 0
    boxes = page.get_by_role("checkbox", name="Yes! Count me in!")
    # Cards stream in column by column: wait for all of them so DOM order is final.
    expect(boxes).to_have_count(LIVE_EVENTS)
    labels = page.get_by_text("Yes! Count me in!", exact=True)
    for index in (1, 2):
        labels.nth(index).click()  # the input itself is visually hidden behind its label
        settle(page)
        expect(boxes.nth(index)).to_be_checked()
    if shoot:
        audit(page, "03-vote")
    page.get_by_role("button", name="2 · Availability").click()
    expect(page.get_by_text("Click the evenings you're free")).to_be_visible()
    settle(page)
    tomorrow = newyork.today(system_clock) + timedelta(days=1)
    # Free every evening of the week, so the events they said yes to have a date.
    for offset in range(LIVE_EVENTS):
        day = tomorrow + timedelta(days=offset)
        page.locator(f'[data-yc-day="{day}"]').click()
        expect(page.locator(f'[data-yc-day="{day}"]')).to_contain_text("Free")
    # Every tap saves itself: no Save button.
    expect(page.locator('[data-yc-status="saved"]')).to_contain_text(
        f"Saved ✓ {LIVE_EVENTS} evenings free"
    )
    if shoot:
        audit(page, "04-availability")


def check_results_copy_download_lock(page: Page) -> None:
    page.get_by_role("button", name="3 · Results").click()
    expect(page.get_by_text("Top picks")).to_be_visible()
    settle(page)
    expect(page.get_by_text("Quorum ✓").first).to_be_visible()
    expect(page.locator("table.yc-heat").first).to_be_visible()
    audit(page, "05-results")
    page.get_by_role("button", name="Copy the invite text").first.click()
    expect(page.get_by_role("status").filter(has_text="Copied ✓").first).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("🎉 YesCount pick:")
    assert "are in!" in copied
    with page.expect_download() as download:
        page.get_by_role("button", name="📅 Add to calendar (.ics)").first.click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in ics
    page.get_by_role("button", name="🔒 Lock plan").click()
    expect(page.get_by_text("It's happening").first).to_be_visible()
    expect(page.get_by_role("button", name="🔒 Lock plan")).to_have_count(0)
    audit(page, "06-results-locked")


def test_the_whole_journey_in_a_real_browser(browser: Browser, live_server: str) -> None:
    alerts: list[str] = []
    organizer_context = new_context(browser, live_server)
    organizer = organizer_context.new_page()
    guard_alerts(organizer, alerts)
    share = create_plan(organizer, live_server)

    friends: list[Page] = []
    for index, name in enumerate(("Jake", "Zoë")):
        friend = new_context(browser, live_server).new_page()
        guard_alerts(friend, alerts)
        join_vote_and_mark(friend, share, name, shoot=index == 0)
        friends.append(friend)

    check_results_copy_download_lock(organizer)

    jake = friends[0]
    jake.reload()
    expect(jake.get_by_text("Hi Jake!")).to_be_visible()
    expect(jake.get_by_text("It's happening").first).to_be_visible()
    other_device = new_context(browser, live_server).new_page()
    guard_alerts(other_device, alerts)
    open_app(other_device, jake.url, "Hi Jake!")
    other_device.get_by_role("button", name="1 · Vote").click()
    boxes = other_device.get_by_role("checkbox", name="Yes! Count me in!")
    expect(boxes).to_have_count(LIVE_EVENTS)
    expect(boxes.nth(1)).to_be_checked()
    expect(boxes.nth(1)).to_be_disabled()
    assert alerts == []


def test_unknown_link_and_dark_theme_pages_pass_the_audit(
    browser: Browser, live_server: str
) -> None:
    page = new_context(browser, live_server).new_page()
    open_app(page, f"{live_server}/?session=not-a-plan", "We can't find that plan")
    audit(page, "07-unknown-link")
    page.get_by_role("button", name="Create your own plan").click()
    expect(page.get_by_text("Start a plan")).to_be_visible()
    dark = new_context(browser, live_server, color_scheme="dark").new_page()
    open_app(dark, f"{live_server}/", "Start a plan")
    background = dark.evaluate(
        "() => getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"
    )
    assert background != "rgb(255, 255, 255)", "the device's dark preference was not followed"
    audit(dark, "08-landing-dark")
