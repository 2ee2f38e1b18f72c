"""The UI under hostile conditions (issue 8 §3, §4): no tracebacks, scraped text escaped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import FrozenClock
from tests.e2e.conftest import WINDOW_START, settings_for
from tests.e2e.test_ui import join, member_app, new_plan, run, texts
from tests.factories.events import event_record
from yescount.bootstrap import Container
from yescount.config import Settings
from yescount.services import sessions as sessions_service
from yescount.web.components.safe import md

MakeApp = Callable[..., AppTest]


def test_an_unexpected_error_shows_a_friendly_page_never_a_traceback(
    make_app: MakeApp,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(sessions_service, "get_preview", broken)
    app = run(make_app(session="00000000-0000-4000-8000-000000000000"))
    page = texts(app)
    assert "Something went wrong on our side" in page
    assert "Traceback" not in page
    assert "OverflowError" not in page
    assert ".py" not in page
    reference = page.split("quote this reference: ")[1][:12]
    assert len(reference) == 12
    assert reference.isalnum()
    logged = capsys.readouterr().out
    assert "ui_crash" in logged
    assert reference in logged
    assert "OverflowError" in logged


MARKDOWN_TITLE = "[Win](https://evil.example/p) ![p](http://evil.example/x.png)"


def _markdown_rendered(app: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's Markdown renderer: bodies, captions,
    alerts, and the labels and help texts of widgets and expanders."""
    parts = [texts(app)]
    for kind in ("checkbox", "button", "selectbox", "multiselect", "expander", "radio", "toggle"):
        for element in app.get(kind):
            for attribute in ("label", "help"):
                value = getattr(element, attribute, None)
                if isinstance(value, str):
                    parts.append(value)
    return parts


@pytest.mark.parametrize("view", ["vote", "results"])
def test_scraped_titles_never_reach_markdown_unescaped(
    make_app: MakeApp, ui_container: Container, clock: FrozenClock, view: str
) -> None:
    record = replace(event_record(date_start=WINDOW_START, source_id="md-1"), title=MARKDOWN_TITLE)
    with ui_container.uow() as uow:
        uow.events.upsert(record, now=clock())
        uow.commit()
    plan = new_plan(ui_container)
    app = member_app(make_app, plan, join(ui_container, plan, "Jake"), view=view)
    for text in _markdown_rendered(app):
        assert "](https://evil.example" not in text, text
        assert "![p](" not in text, text
    # The one helper the pages use for such strings neutralises both forms.
    assert "](" not in md(MARKDOWN_TITLE)


@pytest.fixture
def app_settings(db_url: str, tmp_path: Path) -> Settings:
    """Two public previews a minute, so the limit shows within a test."""
    return settings_for(db_url, tmp_path, preview_rate_limit_per_minute=2)


def test_members_reloading_their_page_are_not_limited_like_public_previews(
    make_app: MakeApp, ui_container: Container
) -> None:
    plan = new_plan(ui_container)
    jake = join(ui_container, plan, "Jake")
    # Every reload is a new browser session; a member's own page never runs out.
    for _ in range(4):
        page = texts(member_app(make_app, plan, jake, view="results"))
        assert "Too many plan previews" not in page
    public = [texts(run(make_app(session=str(plan.session_id)))) for _ in range(3)]
    assert ["Too many plan previews" in p for p in public] == [False, False, True]
    # A wrong personal link is a public visit: it counts too.
    assert "Too many plan previews" in texts(
        run(make_app(session=str(plan.session_id), me="not-a-token"))
    )
