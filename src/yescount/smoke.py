"""Post-deploy smoke test: the critical journey against a running deployment.

``run_smoke(base_url)`` drives the public HTTP surface the way friends would:
liveness and readiness, create a plan, a friend joins, both vote on a card and
give availability, the results rank a pick, its ``.ics`` downloads, the
organizer locks the plan and a late vote is refused. Each step is timed and
reported; the first failure stops the journey.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from yescount.domain import newyork


@dataclass(frozen=True, slots=True)
class StepResult:
    name: str
    ok: bool
    detail: str
    duration_ms: float


@dataclass
class SmokeReport:
    steps: list[StepResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)


class SmokeStepError(Exception):
    """A step's expectation did not hold."""


@dataclass
class _Journey:
    client: httpx.Client
    today: date
    warmup_wait: float = 120.0
    state: dict[str, Any] = field(default_factory=dict)

    def call(
        self, method: str, path: str, *, expect: int, token: str | None = None, json: Any = None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.client.request(method, path, headers=headers, json=json)
        if response.status_code != expect:
            raise SmokeStepError(
                f"{method} {path}: HTTP {response.status_code}, expected {expect}: "
                f"{response.text[:200]}"
            )
        return response

    def health(self) -> str:
        self.call("GET", "/healthz", expect=200)
        # A server that just started warms search up first: /readyz is 503 'warming'
        # with Retry-After until then, which is worth waiting for (up to a deadline).
        deadline = time.monotonic() + self.warmup_wait
        while True:
            response = self.client.get("/readyz")
            warming = response.status_code == 503 and _status(response) == "warming"
            if not warming or time.monotonic() >= deadline:
                break
            time.sleep(min(_retry_after(response), max(0.0, deadline - time.monotonic())))
        if response.status_code != 200:
            raise SmokeStepError(
                f"GET /readyz: HTTP {response.status_code}, expected 200: {response.text[:200]}"
            )
        return f"ready ({_status(response)})"

    def create(self) -> str:
        body = {
            "name": "YesCount smoke test",
            "organizer_name": "Smoke",
            "date_start": self.today.isoformat(),
            "date_end": (self.today + timedelta(days=13)).isoformat(),
        }
        created = self.call("POST", "/api/v1/sessions", expect=201, json=body).json()
        self.state.update(created)
        return f"plan {created['session_id']}"

    def join(self) -> str:
        sid = self.state["session_id"]
        self.call("GET", f"/api/v1/sessions/{sid}", expect=200)
        joined = self.call(
            "POST", f"/api/v1/sessions/{sid}/participants", expect=201, json={"name": "Friend"}
        ).json()
        self.state["friend_token"] = joined["participant_token"]
        return f"friend #{joined['participant_id']} joined"

    def vote(self) -> str:
        sid = self.state["session_id"]
        cards = self.call("GET", f"/api/v1/sessions/{sid}/cards", expect=200).json()
        if not cards:
            raise SmokeStepError("no voting cards: load events (ingest or demo) first")
        event_id = cards[0]["event_id"]
        for token in (self.state["participant_token"], self.state["friend_token"]):
            self.call(
                "PUT",
                f"/api/v1/sessions/{sid}/votes/{event_id}",
                expect=200,
                token=token,
                json={"interested": True},
            )
        self.state["event_id"] = event_id
        return f"{len(cards)} cards, both voted yes on event {event_id}"

    def availability(self) -> str:
        sid = self.state["session_id"]
        days = [(self.today + timedelta(days=d)).isoformat() for d in range(14)]
        for token in (self.state["participant_token"], self.state["friend_token"]):
            self.call(
                "PUT",
                f"/api/v1/sessions/{sid}/availability",
                expect=200,
                token=token,
                json={"available": days},
            )
        progress = self.call("GET", f"/api/v1/sessions/{sid}/progress", expect=200).json()
        return f"progress {progress['voted']}/{progress['joined']} voted"

    def results(self) -> str:
        sid = self.state["session_id"]
        picks = self.call("GET", f"/api/v1/sessions/{sid}/recommendations", expect=200).json()
        if not picks:
            raise SmokeStepError("no recommendations after two yes votes and full availability")
        ics = self.call("GET", f"/api/v1/sessions/{sid}/recommendations/1/invite.ics", expect=200)
        if "BEGIN:VCALENDAR" not in ics.text:
            raise SmokeStepError("invite.ics is not a calendar file")
        return f"{len(picks)} picks, #1 score {picks[0]['score']:.2f}, .ics ok"

    def lock(self) -> str:
        sid = self.state["session_id"]
        self.call(
            "POST", f"/api/v1/sessions/{sid}/lock", expect=200, token=self.state["organizer_token"]
        )
        self.call(
            "PUT",
            f"/api/v1/sessions/{sid}/votes/{self.state['event_id']}",
            expect=409,
            token=self.state["friend_token"],
            json={"interested": False},
        )
        return "locked; late vote refused (409)"


def _status(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return "?"
    return str(body.get("status", "?")) if isinstance(body, dict) else "?"


def _retry_after(response: httpx.Response) -> float:
    """Seconds the server asked us to wait (1–10), 1 when it did not say."""
    try:
        return min(10.0, max(1.0, float(response.headers.get("Retry-After", "1"))))
    except ValueError:
        return 1.0


def run_smoke(
    base_url: str,
    *,
    timeout: float = 30.0,
    transport: httpx.BaseTransport | None = None,
    now: datetime | None = None,
    warmup_wait: float = 120.0,
) -> SmokeReport:
    """Run every step against ``base_url``; stop at the first failure."""
    today = newyork.today(now or datetime.now(UTC))
    report = SmokeReport()
    with httpx.Client(
        base_url=base_url.rstrip("/"), timeout=timeout, transport=transport
    ) as client:
        journey = _Journey(client, today, warmup_wait=warmup_wait)
        steps: list[tuple[str, Callable[[], str]]] = [
            ("health", journey.health),
            ("create", journey.create),
            ("join", journey.join),
            ("vote", journey.vote),
            ("availability", journey.availability),
            ("results", journey.results),
            ("lock", journey.lock),
        ]
        for name, step in steps:
            started = time.perf_counter()
            try:
                detail, ok = step(), True
            except (SmokeStepError, httpx.HTTPError, KeyError, ValueError) as exc:
                detail, ok = f"{exc.__class__.__name__}: {exc}", False
            elapsed = round((time.perf_counter() - started) * 1000, 1)
            report.steps.append(StepResult(name, ok, detail, elapsed))
            if not ok:
                break
    return report
