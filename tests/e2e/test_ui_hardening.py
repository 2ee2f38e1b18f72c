"""The UI never shows a traceback (issue 8 §3): a friendly page with its reference instead."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.e2e.test_ui import run, texts
from yescount.services import sessions as sessions_service

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
