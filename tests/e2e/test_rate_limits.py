"""Rate limits that hold (issue 8 §6): trusted proxies only, one budget per action, API and UI.

The app runs on SQLite and PostgreSQL; the TestClient's peer address is set per test, so
"the connection's address" is a real ASGI client address, not the test client's name.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from streamlit.runtime import Runtime
from streamlit.testing.v1 import AppTest

from tests.conftest import IN_CI, FrozenClock
from tests.e2e.conftest import WINDOW_END, WINDOW_START, settings_for
from tests.e2e.test_api import assert_error
from tests.e2e.test_ui import run, texts
from yescount.bootstrap import Container
from yescount.web import context
from yescount.web.ratelimit import Budget, RateLimiter
from yescount.web.server import create_app

MISSING = "00000000-0000-4000-8000-000000000000"
PROXY = ("127.0.0.1", 40000)
BUDGETS = {
    "preview_rate_limit_per_minute": 3,
    "search_rate_limit_per_minute": 3,
    "create_rate_limit_per_minute": 3,
    "join_rate_limit_per_minute": 3,
}


@contextmanager
def app_client(
    db_url: str, tmp_path: Path, clock: FrozenClock, *, peer: tuple[str, int], **overrides: Any
) -> Iterator[TestClient]:
    settings = settings_for(db_url, tmp_path, **{**BUDGETS, **overrides})
    try:
        with TestClient(create_app(settings, clock=clock), client=peer) as client:
            yield client
    finally:
        Runtime._instance = None
        context.reset()


def previews(client: TestClient, forwarded: list[str | None]) -> list[int]:
    codes = []
    for ip in forwarded:
        headers = {"X-Forwarded-For": ip} if ip else {}
        codes.append(client.get(f"/api/v1/sessions/{MISSING}", headers=headers).status_code)
    return codes


def test_forwarded_for_is_ignored_without_trusted_proxies(
    db_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    with app_client(db_url, tmp_path, clock, peer=PROXY) as client:
        spoofed: list[str | None] = [f"203.0.113.{i}" for i in range(4)]
        assert previews(client, spoofed) == [404, 404, 404, 429]
        limited = client.get(f"/api/v1/sessions/{MISSING}", headers={"X-Forwarded-For": "1.2.3.4"})
        assert_error(limited, 429, "rate_limited")
        assert int(limited.headers["retry-after"]) >= 1


def test_forwarded_for_is_believed_from_a_trusted_proxy_only(
    db_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    with app_client(db_url, tmp_path, clock, peer=PROXY, trusted_proxies="127.0.0.1") as client:
        assert previews(client, [f"203.0.113.{i}" for i in range(6)]) == [404] * 6
        assert previews(client, ["198.51.100.1"] * 4) == [404, 404, 404, 429]
    untrusted = ("192.0.2.50", 40000)
    with app_client(db_url, tmp_path, clock, peer=untrusted, trusted_proxies="127.0.0.1") as client:
        assert previews(client, [f"203.0.113.{i}" for i in range(4)]) == [404, 404, 404, 429]


def _plan_body(name: str = "Plan") -> dict[str, str]:
    return {
        "name": name,
        "organizer_name": "Ema",
        "date_start": WINDOW_START.isoformat(),
        "date_end": WINDOW_END.isoformat(),
    }


def test_each_public_action_has_its_own_budget(
    db_url: str, tmp_path: Path, clock: FrozenClock, event_ids: list[int]
) -> None:
    with app_client(db_url, tmp_path, clock, peer=("192.0.2.10", 1)) as client:
        created = [client.post("/api/v1/sessions", json=_plan_body()) for _ in range(4)]
        assert [r.status_code for r in created] == [201, 201, 201, 429]
        sid = created[0].json()["session_id"]
        url = f"/api/v1/sessions/{sid}/participants"
        joins = [client.post(url, json={"name": f"Friend {c}"}).status_code for c in "ABCD"]
        assert joins == [201, 201, 201, 429]
        cards = f"/api/v1/sessions/{sid}/cards"
        searched = [client.get(cards, params={"q": "jazz"}).status_code for _ in range(4)]
        assert searched == [200, 200, 200, 429]
        assert client.get(cards).status_code == 200  # browsing without a query is not a search
        found = [client.get("/api/v1/events/search", params={"q": "jazz"}) for _ in range(4)]
        assert [r.status_code for r in found] == [200, 200, 200, 429]
        assert "searches" in found[-1].json()["message"]
        assert client.get(f"/api/v1/sessions/{sid}").status_code == 200  # previews untouched


MakeApp = Callable[..., AppTest]


def test_the_ui_goes_through_the_same_limiter(
    make_app: MakeApp, ui_container: Container, clock: FrozenClock
) -> None:
    budget = ui_container.settings.create_rate_limit_per_minute
    for _ in range(budget):  # the API spent this browser's budget (AppTest is "local")
        ui_container.rate_limiter.check("create", "local")
    app = run(make_app())
    app.text_input(key="create-name").input("Crew Night Out")
    app.text_input(key="create-organizer").input("Ema")
    app.button(key="create-go").click()
    run(app)
    assert "Too many new plans from this device" in texts(app)
    assert "session" not in app.query_params


def test_redis_storage_shares_one_budget_between_replicas() -> None:
    uri = os.environ.get("YESCOUNT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    budgets = {"preview": Budget("plan previews", 2)}
    first = RateLimiter(budgets, storage_uri=uri)
    try:
        first.reset()
    except Exception as exc:
        if IN_CI:
            raise
        pytest.skip(f"Redis at {uri} is unreachable: {exc}")
    second = RateLimiter(budgets, storage_uri=uri)
    client = f"client-{uuid.uuid4()}"
    first.check("preview", client)
    second.check("preview", client)
    with pytest.raises(Exception, match="Too many plan previews"):
        first.check("preview", client)
    first.reset()
