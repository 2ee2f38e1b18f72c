"""The plan policy follows the settings."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from yescount.config import Settings
from yescount.domain.sessions import PlanPolicy
from yescount.services import policy_from_settings


def test_policy_from_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env file
    for name in list(Settings.model_fields):
        monkeypatch.delenv(name.upper(), raising=False)
    assert policy_from_settings(Settings.from_env()) == PlanPolicy()

    monkeypatch.setenv("MAX_PARTICIPANTS", "6")
    monkeypatch.setenv("MAX_WINDOW_DAYS", "14")
    monkeypatch.setenv("SESSION_EXPIRY_DAYS", "3")
    monkeypatch.setenv("SLOT_START", "18:30")
    monkeypatch.setenv("SLOT_END", "21:00")
    monkeypatch.setenv("RECOMMENDATIONS_TOP_N", "3")
    assert policy_from_settings(Settings.from_env()) == PlanPolicy(
        max_participants=6,
        max_window_days=14,
        expiry_days=3,
        slot_start=time(18, 30),
        slot_end=time(21),
        top_n=3,
    )
