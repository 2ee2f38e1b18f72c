"""Fuzzing gate (issue 8 §7): schemathesis against the served ``/api/v1/openapi.json``.

A real ``yescount serve`` (uvicorn, SQLite, events stored) answers every generated
request; each case must pass schemathesis's checks: no 5xx, status codes, content
types, headers and bodies as documented. Bounded and repeatable: a fixed seed,
derandomized generation, a fixed number of examples per operation (≈ a minute here).
Rate budgets are raised so the fuzzer exercises the routes, not the limiter (that has
its own tests).
"""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import checks

from tests.e2e.conftest import free_port, store_events, wait_until_healthy
from yescount.domain import newyork
from yescount.ports import system_clock
from yescount.storage import migrate
from yescount.storage.engine import make_engine

pytestmark = pytest.mark.slow
EXAMPLES_PER_OPERATION = 40


PLAN: dict[str, str] = {}


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("fuzz")
    db = root / "fuzz.db"
    engine = make_engine(f"sqlite:///{db}")
    migrate.migrate_to(engine, "head")
    store_events(engine, system_clock, count=7, start=newyork.today(system_clock))
    engine.dispose()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    budget = "1000000"
    env = {
        **os.environ,
        "DATABASE_URL": "",
        "SQLITE_DB_PATH": str(db),
        "CHROMA_PERSIST_DIR": str(root / "chroma"),
        "BASE_URL": base,
        "INGESTION_AUTO_REFRESH": "false",
        "YESCOUNT_ENV": "development",
        "LOG_LEVEL": "WARNING",
        "HF_HUB_OFFLINE": "1",
        "PREVIEW_RATE_LIMIT_PER_MINUTE": budget,
        "SEARCH_RATE_LIMIT_PER_MINUTE": budget,
        "CREATE_RATE_LIMIT_PER_MINUTE": budget,
        "JOIN_RATE_LIMIT_PER_MINUTE": budget,
    }
    log = root / "server.log"
    command = [str(Path(sys.executable).parent / "yescount"), "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
    try:
        wait_until_healthy(base, process, log)
        PLAN.update(_seed_a_plan(base))
        # The first search loads the embedding model; warm it so no case times out on it.
        httpx.get(f"{base}/api/v1/events/search", params={"q": "jazz"}, timeout=300)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        errors = [line for line in log.read_text().splitlines() if '"api_crash"' in line]
        assert not errors, errors[:3]


def _seed_a_plan(base: str) -> dict[str, str]:
    start = newyork.today(system_clock)
    body = {
        "name": "Fuzz plan",
        "organizer_name": "Ema",
        "date_start": start.isoformat(),
        "date_end": (start + timedelta(days=6)).isoformat(),
    }
    made = httpx.post(f"{base}/api/v1/sessions", json=body, timeout=30)
    assert made.status_code == 201
    return {"session_id": made.json()["session_id"], "token": made.json()["organizer_token"]}


def _aim_at_the_real_plan(case: Any) -> None:
    """Half the cases (fixed by their content) target the seeded plan with its organizer's
    token, so bodies are fuzzed against a real plan, not only against unknown ids."""
    params = case.path_parameters or {}
    if "session_id" not in params or len(repr(case.body)) % 2:
        return
    params["session_id"] = PLAN["session_id"]
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {PLAN['token']}"}


def _fuzz(operation: Any) -> None:
    @seed(20261202)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case: Any) -> None:
        _aim_at_the_real_plan(case)
        # Schema-valid is not rule-valid (a window in the past, an unknown vibe): a 422
        # for those is right, so "positive data accepted" is the one check left out.
        case.call_and_validate(timeout=30, excluded_checks=[checks.positive_data_acceptance])

    check()


def test_every_operation_answers_as_documented(fuzz_server: str) -> None:
    # Generation is driven here with hypothesis (schemathesis's pytest plugin does not
    # support pytest 9 yet); every operation of the served document is fuzzed in turn.
    schema = schemathesis.openapi.from_url(f"{fuzz_server}/api/v1/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid operation raises here, failing the test
        operations += 1
        try:
            _fuzz(operation)
        except Exception as exc:
            detail = "".join(traceback.format_exception(exc))[-3000:]
            failures.append(f"{operation.method.upper()} {operation.path}:\n{detail}")
    assert operations >= 10
    assert not failures, "\n\n".join(failures)
