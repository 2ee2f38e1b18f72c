"""The JSON API against the real app, on SQLite and PostgreSQL: the journey and every error."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from icalendar import Calendar
from starlette.testclient import TestClient

from tests.conftest import FrozenClock
from tests.e2e.conftest import WINDOW_END, WINDOW_START, bearer
from yescount.bootstrap import Container
from yescount.services import results as results_service
from yescount.services import sessions as sessions_service

ERROR_KEYS = {"error_code", "message", "retryable", "context_id"}


def create_plan(client: TestClient, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": "Crew Night Out",
        "organizer_name": "Ema",
        "date_start": WINDOW_START.isoformat(),
        "date_end": WINDOW_END.isoformat(),
        **overrides,
    }
    response = client.post("/api/v1/sessions", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def join(client: TestClient, session_id: str, name: str) -> dict[str, Any]:
    response = client.post(f"/api/v1/sessions/{session_id}/participants", json={"name": name})
    assert response.status_code == 201, response.text
    return dict(response.json())


def assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["error_code"] == code
    assert len(body["context_id"]) == 12


def test_journey_create_join_vote_availability_results_lock(
    client: TestClient, event_ids: list[int]
) -> None:
    plan = create_plan(client, vibe_tags=["music"])
    sid = plan["session_id"]
    assert plan["share_url"] == f"http://testserver/?session={sid}"
    assert plan["organizer_url"].endswith(f"&org={plan['organizer_token']}")
    jake = join(client, sid, "Jake")
    assert jake["personal_url"].endswith(f"&me={jake['participant_token']}")

    listed = client.get(f"/api/v1/sessions/{sid}/cards")
    assert listed.headers["x-yescount-fallback"] == "0"
    cards = listed.json()
    assert {c["event_id"] for c in cards} == set(event_ids)
    assert {"event_id", "title", "schedule_label", "place", "price", "tags", "url"} <= set(cards[0])
    capped = client.get(f"/api/v1/sessions/{sid}/cards", params={"max_price": 0}).json()
    # Only the event with an unknown price survives a $0 cap (unknown prices are kept).
    assert [c["event_id"] for c in capped] == [event_ids[1]]

    target = event_ids[2]
    for token in (plan["participant_token"], jake["participant_token"]):
        vote = client.put(
            f"/api/v1/sessions/{sid}/votes/{target}",
            json={"interested": True},
            headers=bearer(token),
        )
        assert vote.status_code == 200
        assert vote.json() == {"event_id": target, "interested": True}
    day = (WINDOW_START + timedelta(days=2)).isoformat()
    saved = client.put(
        f"/api/v1/sessions/{sid}/availability",
        json={"available": [day, day]},
        headers=bearer(jake["participant_token"]),
    )
    assert saved.status_code == 200
    assert saved.json() == {"available": [day]}

    progress = client.get(f"/api/v1/sessions/{sid}/progress").json()
    assert progress == {
        "joined": 2,
        "voted": 2,
        "gave_availability": 1,
        "quorum_size": 2,
        "quorum_reached": False,
    }
    picks = client.get(f"/api/v1/sessions/{sid}/recommendations").json()
    assert picks[0]["rank"] == 1
    assert picks[0]["event_id"] == target
    assert picks[0]["date"] == day
    assert 0 <= picks[0]["score"] <= 1
    assert set(picks[0]["breakdown"]) == {"interest", "overlap", "admin"}
    assert picks[0]["attendees"] == ["Jake"]
    assert "Jake is in!" in picks[0]["invite_text"]

    ics = client.get(f"/api/v1/sessions/{sid}/recommendations/1/invite.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == picks[0]["title"]

    locked = client.post(f"/api/v1/sessions/{sid}/lock", headers=bearer(plan["organizer_token"]))
    assert locked.status_code == 200
    assert locked.json()["status"] == "locked"
    assert locked.json()["locked_pick"]["event_id"] == target


def test_preview_is_public_and_shows_who_joined(client: TestClient, event_ids: list[int]) -> None:
    plan = create_plan(client)
    join(client, plan["session_id"], "Zoë")
    body = client.get(f"/api/v1/sessions/{plan['session_id']}").json()
    assert body["participant_names"] == ["Ema", "Zoë"]
    assert body["status"] == "open"
    assert body["read_only"] is False
    assert "organizer_token" not in str(body)


def test_unknown_and_malformed_ids_are_404(client: TestClient) -> None:
    assert_error(client.get("/api/v1/sessions/not-a-uuid"), 404, "session_not_found")
    missing = "00000000-0000-4000-8000-000000000000"
    assert_error(client.get(f"/api/v1/sessions/{missing}"), 404, "session_not_found")
    assert_error(client.get(f"/api/v1/sessions/{missing}/progress"), 404, "session_not_found")
    assert_error(client.get("/api/v1/no-such-route"), 404, "not_found")


def test_invalid_input_is_422(client: TestClient) -> None:
    too_long = {"date_end": (WINDOW_START + timedelta(days=40)).isoformat()}
    body = {"name": "X", "organizer_name": "Ema", "date_start": WINDOW_START.isoformat()}
    assert_error(client.post("/api/v1/sessions", json={**body, **too_long}), 422, "invalid_input")
    assert_error(client.post("/api/v1/sessions", json={"name": "X"}), 422, "invalid_input")
    bad_name = {**body, "date_end": WINDOW_END.isoformat(), "organizer_name": "<b>"}
    assert_error(client.post("/api/v1/sessions", json=bad_name), 422, "invalid_input")
    extra = {**body, "date_end": WINDOW_END.isoformat(), "admin": True}
    assert_error(client.post("/api/v1/sessions", json=extra), 422, "invalid_input")


def test_token_less_and_wrong_token_writes_are_refused(
    client: TestClient, event_ids: list[int]
) -> None:
    plan = create_plan(client)
    other = create_plan(client, name="Other plan")
    sid = plan["session_id"]
    url = f"/api/v1/sessions/{sid}/votes/{event_ids[0]}"
    missing = client.put(url, json={"interested": True})
    assert_error(missing, 401, "token_required")
    assert missing.headers["www-authenticate"] == "Bearer"
    foreign = bearer(other["participant_token"])
    assert_error(client.put(url, json={"interested": True}, headers=foreign), 403, "invalid_token")
    garbage = bearer("nope")
    assert_error(
        client.put(f"/api/v1/sessions/{sid}/availability", json={"available": []}, headers=garbage),
        403,
        "invalid_token",
    )
    jake = join(client, sid, "Jake")
    not_org = bearer(jake["participant_token"])
    assert_error(client.post(f"/api/v1/sessions/{sid}/lock", headers=not_org), 403, "not_organizer")


def test_name_taken_rejoin_and_full_plan(
    client: TestClient, app_container: Container, event_ids: list[int]
) -> None:
    plan = create_plan(client)
    sid = plan["session_id"]
    jake = join(client, sid, "Jake")
    assert_error(
        client.post(f"/api/v1/sessions/{sid}/participants", json={"name": "jake"}),
        409,
        "name_taken",
    )
    again = client.post(
        f"/api/v1/sessions/{sid}/participants",
        json={"name": "Jake"},
        headers=bearer(jake["participant_token"]),
    )
    assert again.status_code == 200
    assert again.json()["rejoined"] is True
    for i in range(app_container.settings.max_participants - 2):
        join(client, sid, f"Friend {chr(65 + i)}")
    full = client.post(f"/api/v1/sessions/{sid}/participants", json={"name": "Late"})
    assert_error(full, 403, "session_full")


def test_votes_and_availability_rules(client: TestClient, event_ids: list[int]) -> None:
    blackout = WINDOW_START + timedelta(days=3)
    plan = create_plan(client, blackout_dates=[blackout.isoformat()])
    sid, me = plan["session_id"], bearer(plan["participant_token"])
    assert_error(
        client.put(f"/api/v1/sessions/{sid}/votes/999999", json={"interested": True}, headers=me),
        404,
        "event_not_found",
    )
    outside = (WINDOW_END + timedelta(days=1)).isoformat()
    url = f"/api/v1/sessions/{sid}/availability"
    assert_error(
        client.put(url, json={"available": [outside]}, headers=me), 422, "date_outside_window"
    )
    assert_error(
        client.put(url, json={"available": [blackout.isoformat()]}, headers=me),
        422,
        "date_blacked_out",
    )
    assert_error(client.put(url, json={"available": ["soon"]}, headers=me), 422, "invalid_input")
    assert_error(
        client.get(f"/api/v1/sessions/{sid}/recommendations/9/invite.ics"), 404, "pick_not_found"
    )


def test_writes_after_lock_conflict(client: TestClient, event_ids: list[int]) -> None:
    plan = create_plan(client)
    sid, org = plan["session_id"], bearer(plan["organizer_token"])
    assert client.post(f"/api/v1/sessions/{sid}/lock", headers=org).status_code == 200
    vote = client.put(
        f"/api/v1/sessions/{sid}/votes/{event_ids[0]}",
        json={"interested": True},
        headers=bearer(plan["participant_token"]),
    )
    assert_error(vote, 409, "session_locked")
    assert_error(client.post(f"/api/v1/sessions/{sid}/lock", headers=org), 409, "session_locked")
    assert_error(
        client.post(f"/api/v1/sessions/{sid}/participants", json={"name": "Late"}),
        409,
        "session_locked",
    )


def test_expired_and_archived_plans_are_gone_for_writes(
    client: TestClient, app_container: Container, clock: FrozenClock, event_ids: list[int]
) -> None:
    plan = create_plan(client)
    sid, me = plan["session_id"], bearer(plan["participant_token"])
    clock.now += timedelta(days=app_container.settings.session_expiry_days, seconds=1)
    url = f"/api/v1/sessions/{sid}/votes/{event_ids[0]}"
    assert_error(client.put(url, json={"interested": True}, headers=me), 410, "session_expired")
    preview = client.get(f"/api/v1/sessions/{sid}")
    assert preview.status_code == 200
    assert preview.json()["is_expired"] is True
    clock.now -= timedelta(days=app_container.settings.session_expiry_days)

    archived = create_plan(client, name="Archived")
    sessions_service.archive_session(
        UUID(archived["session_id"]),
        archived["organizer_token"],
        uow=app_container.uow(),
        clock=clock,
    )
    assert_error(
        client.put(
            f"/api/v1/sessions/{archived['session_id']}/availability",
            json={"available": []},
            headers=bearer(archived["participant_token"]),
        ),
        410,
        "session_archived",
    )


def test_openapi_lists_every_route(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert set(spec["paths"]) >= {
        "/sessions",
        "/sessions/{session_id}",
        "/sessions/{session_id}/participants",
        "/sessions/{session_id}/cards",
        "/sessions/{session_id}/votes/{event_id}",
        "/sessions/{session_id}/availability",
        "/sessions/{session_id}/progress",
        "/sessions/{session_id}/recommendations",
        "/sessions/{session_id}/recommendations/{rank}/invite.ics",
        "/sessions/{session_id}/lock",
        "/sessions/{session_id}/rules",
        "/events/search",
    }


@pytest.mark.model
def test_search_answers_with_results(client: TestClient, event_ids: list[int]) -> None:
    body = client.get("/api/v1/events/search?q=live%20music&limit=3").json()
    assert body["query"] == "live music"
    assert 1 <= len(body["results"]) <= 3
    assert {"event_id", "title", "score", "why"} <= set(body["results"][0])
    assert_error(client.get("/api/v1/events/search?q="), 422, "invalid_input")


def test_the_organizer_chooses_whether_cards_over_budget_are_badged_or_hidden(
    client: TestClient, event_ids: list[int]
) -> None:
    badged = create_plan(client, budget_cap=20)
    sid = badged["session_id"]
    assert client.get(f"/api/v1/sessions/{sid}").json()["over_budget"] == "badge"
    cards = client.get(f"/api/v1/sessions/{sid}/cards").json()
    assert {c["event_id"] for c in cards} == set(event_ids)
    flagged = {c["event_id"] for c in cards if c["over_budget"]}
    assert flagged == set(event_ids) - {event_ids[1]}  # $25 events; the unknown price is not

    hidden = create_plan(client, budget_cap=20, over_budget="hide")
    sid = hidden["session_id"]
    assert client.get(f"/api/v1/sessions/{sid}").json()["over_budget"] == "hide"
    for params in ({}, {"max_price": 500}):
        shown = client.get(f"/api/v1/sessions/{sid}/cards", params=params).json()
        assert [c["event_id"] for c in shown] == [event_ids[1]]
        assert not any(c["over_budget"] for c in shown)
    refused = client.post(
        "/api/v1/sessions",
        json={"name": "X", "organizer_name": "Ema", "date_start": WINDOW_START.isoformat(),
              "date_end": WINDOW_END.isoformat(), "over_budget": "maybe"},
    )  # fmt: skip
    assert refused.status_code == 422


def test_the_organizer_edits_the_rules_of_an_open_plan(
    client: TestClient, app_container: Container, event_ids: list[int]
) -> None:
    plan = create_plan(client, budget_cap=100)
    sid = plan["session_id"]
    jake = join(client, sid, "Jake")
    blackout = (WINDOW_START + timedelta(days=1)).isoformat()
    free = [WINDOW_START.isoformat(), blackout]
    put = client.put(
        f"/api/v1/sessions/{sid}/availability",
        json={"available": free},
        headers=bearer(jake["participant_token"]),
    )
    assert put.status_code == 200, put.text
    url = f"/api/v1/sessions/{sid}/rules"
    rules = {"budget_cap": 20, "over_budget": "hide", "min_attendees": 2,
             "blackout_dates": [blackout], "vibe_tags": ["music"]}  # fmt: skip
    assert_error(client.put(url, json=rules), 401, "token_required")
    friend = bearer(jake["participant_token"])
    assert_error(client.put(url, json=rules, headers=friend), 403, "not_organizer")
    org = bearer(plan["organizer_token"])
    edited = client.put(url, json=rules, headers=org)
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["budget_cap"], body["over_budget"], body["min_attendees"]) == ("20.00", "hide", 2)
    assert (body["blackout_dates"], body["vibe_tags"]) == ([blackout], ["music"])
    assert client.get(f"/api/v1/sessions/{sid}").json()["over_budget"] == "hide"
    # Cards follow the new rule: only the event with an unknown price is not over $20.
    shown = client.get(f"/api/v1/sessions/{sid}/cards").json()
    assert [c["event_id"] for c in shown] == [event_ids[1]]
    # Jake's evening on the new blackout day is gone; the other stays.
    group = results_service.group_availability(UUID(sid), uow=app_container.uow(write=False))
    free_days = {d.day.isoformat() for d in group.days if d.available}
    assert free_days == {WINDOW_START.isoformat()}
    outside = {**rules, "blackout_dates": [(WINDOW_END + timedelta(days=3)).isoformat()]}
    assert_error(client.put(url, json=outside, headers=org), 422, "date_outside_window")
    assert_error(client.put(url, json={**rules, "over_budget": "maybe"}, headers=org), 422,
                 "invalid_input")  # fmt: skip
    assert client.post(f"/api/v1/sessions/{sid}/lock", headers=org).status_code == 200
    assert_error(client.put(url, json=rules, headers=org), 409, "session_locked")
