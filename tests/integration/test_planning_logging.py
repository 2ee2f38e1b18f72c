"""Every planning use case writes one structured JSON log line, errors with their code."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from sqlalchemy import Engine

from tests.conftest import FrozenClock
from tests.factories.planning import make_plan
from yescount.errors import ConflictError
from yescount.observability import configure_logging
from yescount.services import sessions, voting
from yescount.storage.uow import UnitOfWork


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    yield stream
    structlog.reset_defaults()


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_one_json_line_per_use_case(
    sqlite_engine: Engine, clock: FrozenClock, log_stream: io.StringIO
) -> None:
    plan = make_plan(sqlite_engine, clock, friends=("Jake",))
    with pytest.raises(ConflictError):
        sessions.join_session(plan.session_id, "jake", uow=UnitOfWork(sqlite_engine), clock=clock)
    voting.save_availability(
        plan.session_id, plan.tokens["Jake"], [], uow=UnitOfWork(sqlite_engine), clock=clock
    )

    lines = _lines(log_stream)
    assert [line["event"] for line in lines] == [
        "create_session",
        "join_session",
        "join_session",
        "save_availability",
    ]
    created, joined, refused, saved = lines
    assert created["session_id"] == str(plan.session_id)
    assert created["participant_id"] == plan.ids["Ema"]
    assert joined["outcome"] == "ok"
    assert joined["participant_id"] == plan.ids["Jake"]
    assert refused["outcome"] == "error"
    assert refused["error_code"] == "name_taken"
    assert refused["retryable"] is False
    assert refused["context_id"]
    assert saved["participant_id"] == plan.ids["Jake"]
    assert all("duration_ms" in line for line in lines)
    text = log_stream.getvalue()
    assert all(token not in text for token in (*plan.tokens.values(), plan.organizer_token))
