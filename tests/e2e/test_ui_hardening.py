"""The UI under hostile conditions (issue 8 §3, §4): no tracebacks, scraped text escaped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import FrozenClock
from tests.e2e.conftest import WINDOW_START
from tests.e2e.test_ui import join, member_app, new_plan, run, texts
from tests.factories.events import event_record
from yescount.bootstrap import Container
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
