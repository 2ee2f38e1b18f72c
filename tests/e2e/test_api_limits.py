"""Hostile request size and shape against the real app, on SQLite and PostgreSQL (issue 8 §2).

Each refusal has the one error shape; none is a 500.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import FrozenClock
from tests.e2e.conftest import WINDOW_START, bearer, served, settings_for
from tests.e2e.test_api import assert_error, create_plan
from yescount.web.server import create_app

JSON = {"content-type": "application/json"}


def test_body_over_the_cap_is_413(client: TestClient) -> None:
    big = {"name": "x" * (70 * 1024), "organizer_name": "Ema"}
    response = client.post("/api/v1/sessions", json=big)
    assert_error(response, 413, "payload_too_large")
    assert response.headers["connection"] == "close"


@pytest.mark.parametrize(
    "payload",
    [b'{"name": "Crew", ', b'{"name": "\xc3\x28"}', b"[" * 1000 + b"]" * 1000, b'{"x": NaN}'],
    ids=["malformed", "invalid-utf8", "1000-deep", "nan"],
)
def test_bad_json_is_400_invalid_json(client: TestClient, payload: bytes) -> None:
    response = client.post("/api/v1/sessions", content=payload, headers=JSON)
    assert_error(response, 400, "invalid_json")
    assert response.json()["message"].startswith("The body is not valid JSON")


def test_ids_beyond_64_bits_are_422_not_500(client: TestClient, event_ids: list[int]) -> None:
    plan = create_plan(client)
    sid, me = plan["session_id"], bearer(plan["participant_token"])
    huge = 2**63
    vote = client.put(f"/api/v1/sessions/{sid}/votes/{huge}", json={"interested": True}, headers=me)
    assert_error(vote, 422, "invalid_input")
    organizer = bearer(plan["organizer_token"])
    lock = client.post(f"/api/v1/sessions/{sid}/lock", json={"event_id": 10**24}, headers=organizer)
    assert_error(lock, 422, "invalid_input")
    ics = client.get(f"/api/v1/sessions/{sid}/recommendations/{huge}/invite.ics")
    assert_error(ics, 422, "invalid_input")


@pytest.mark.parametrize("value", ["yes", 1.0, 1, "true", None])
def test_booleans_are_strict(client: TestClient, event_ids: list[int], value: object) -> None:
    plan = create_plan(client)
    sid, me = plan["session_id"], bearer(plan["participant_token"])
    url = f"/api/v1/sessions/{sid}/votes/{event_ids[0]}"
    assert_error(client.put(url, json={"interested": value}, headers=me), 422, "invalid_input")


def test_lists_in_bodies_are_bounded(client: TestClient) -> None:
    plan = create_plan(client)
    sid, me = plan["session_id"], bearer(plan["participant_token"])
    days = [(WINDOW_START + timedelta(days=i % 14)).isoformat() for i in range(32)]
    url = f"/api/v1/sessions/{sid}/availability"
    assert_error(client.put(url, json={"available": days}, headers=me), 422, "invalid_input")
    body = {
        "name": "Plan",
        "organizer_name": "Ema",
        "date_start": WINDOW_START.isoformat(),
        "date_end": (WINDOW_START + timedelta(days=13)).isoformat(),
        "blackout_dates": days,
    }
    assert_error(client.post("/api/v1/sessions", json=body), 422, "invalid_input")
    tags = {**body, "blackout_dates": [], "vibe_tags": ["music"] * 50}
    assert_error(client.post("/api/v1/sessions", json=tags), 422, "invalid_input")


def test_odd_paths_and_methods_answer_the_one_shape(client: TestClient) -> None:
    assert_error(client.get("/api/v1/sessions/%0A"), 404, "not_found")
    assert_error(client.get("/api/v1/sessions%0A"), 404, "not_found")
    assert_error(client.get("/api/v1/sessions/%00"), 400, "invalid_path")
    assert_error(client.get("/api/v1/sessions/a%2Fb/progress"), 400, "invalid_path")
    wrong = client.delete("/api/v1/sessions")
    assert_error(wrong, 405, "method_not_allowed")
    assert wrong.headers["allow"] == "POST"


def test_database_down_is_503_with_retry_after(tmp_path: Path, clock: FrozenClock) -> None:
    settings = settings_for("postgresql://postgres@127.0.0.1:9/nowhere", tmp_path)
    with served(create_app(settings, clock=clock)) as down:
        response = down.get("/api/v1/sessions/00000000-0000-4000-8000-000000000000")
    assert_error(response, 503, "storage_unavailable")
    assert response.headers["retry-after"] == "5"
    assert json.loads(response.text)["retryable"] is True


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ("9999-12-01", "9999-12-31", "date_beyond_horizon"),
        ("0001-01-01", "0001-01-07", "date_in_past"),
        ("2026-11-01", "2026-11-07", "date_in_past"),
        ("2028-05-20", "2028-05-26", "date_beyond_horizon"),
    ],
)
def test_windows_outside_today_and_the_horizon_are_refused(
    client: TestClient, start: str, end: str, code: str
) -> None:
    body = {"name": "Plan", "organizer_name": "Ema", "date_start": start, "date_end": end}
    assert_error(client.post("/api/v1/sessions", json=body), 422, code)


def test_the_horizon_day_itself_is_accepted(client: TestClient) -> None:
    # The frozen now is Nov 25, 2026 (New York): 18 months later is May 25, 2028.
    plan = create_plan(client, date_start="2028-05-20", date_end="2028-05-25")
    assert client.get(f"/api/v1/sessions/{plan['session_id']}/recommendations").status_code == 200


def test_look_alike_names_collide_and_real_names_join(client: TestClient) -> None:
    sid = create_plan(client)["session_id"]
    url = f"/api/v1/sessions/{sid}/participants"
    assert client.post(url, json={"name": "Jake"}).status_code == 201
    for twin in ("J\u0430ke", "\uff2a\uff41\uff4b\uff45", "JAKE"):  # Cyrillic a, fullwidth
        taken = client.post(url, json={"name": twin})
        assert_error(taken, 409, "name_taken")
        assert "already taken" in taken.json()["message"]
    for name in ("José", "Zoë", "李雷"):
        assert client.post(url, json={"name": name}).status_code == 201, name
