"""Links follow the served port in development unless BASE_URL is set (issue 8 §8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yescount.config import Environment, Settings, served_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)  # no .env, no secrets file


def test_development_links_follow_the_served_port() -> None:
    served = served_settings(Settings.from_env(), host="127.0.0.1", port=8655)
    assert served.base_url == "http://localhost:8655"
    assert served_settings(Settings.from_env(), host="0.0.0.0", port=9000).base_url == (
        "http://localhost:9000"
    )
    assert served_settings(Settings.from_env(), host="192.0.2.4", port=81).base_url == (
        "http://192.0.2.4:81"
    )
    assert served_settings(Settings.from_env(), host="fd00::1", port=81).base_url == (
        "http://[fd00::1]:81"
    )


def test_an_explicit_base_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BASE_URL", "https://yc.example")
    assert served_settings(Settings.from_env(), host="127.0.0.1", port=8655).base_url == (
        "https://yc.example"
    )
    explicit_default = Settings.from_env(base_url="http://localhost:8501")
    assert served_settings(explicit_default, host="127.0.0.1", port=8655).base_url == (
        "http://localhost:8501"
    )


@pytest.mark.parametrize("env", [Environment.STAGING, Environment.PRODUCTION])
def test_staging_and_production_keep_the_configured_url(env: Environment) -> None:
    settings = Settings.from_env(yescount_env=env)
    assert served_settings(settings, host="127.0.0.1", port=8655).base_url == settings.base_url
