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


def test_scraped_titles_in_tooltips_are_markdown_escaped(
    make_app: MakeApp, ui_container: Container, clock: FrozenClock
) -> None:
    record = replace(event_record(date_start=WINDOW_START, source_id="md-1"), title=MARKDOWN_TITLE)
    with ui_container.uow() as uow:
        event_id, _ = uow.events.upsert(record, now=clock())
        uow.commit()
    plan = new_plan(ui_container)
    app = member_app(make_app, plan, join(ui_container, plan, "Jake"))
    box = app.checkbox(key=f"vote-{plan.session_id}-{event_id}")
    assert box.help.startswith(f"Say yes to {md('[Win](https://evil.example/p)')}")
    assert "](" not in box.help
    assert "![" not in box.help
