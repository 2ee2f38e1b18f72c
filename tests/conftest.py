"""Shared fixtures: migrated SQLite and PostgreSQL databases, a frozen clock.

PostgreSQL: tests marked ``postgres`` use a throw-away database created on the
server at ``YESCOUNT_TEST_PG_ADMIN_URL`` (default: the local trust-auth
server). When the server is unreachable they are skipped with the reason,
except under ``CI=true`` where they fail — and a CI run in which any
``postgres`` test was skipped exits non-zero.

Hypothesis: the ``fast`` profile (the default, 25 examples a property) keeps
``tests/unit`` quick for a developer; ``make test`` passes
``--hypothesis-profile=thorough`` (200 examples a property). Tests set only
what is their own (``suppress_health_check``), never ``max_examples``.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from yescount.storage import migrate
from yescount.storage.engine import make_engine
from yescount.storage.tables import metadata

PG_ADMIN_URL = os.environ.get(
    "YESCOUNT_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
FROZEN_NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)

# No deadline: this is a shared, loaded machine and tests make no timed assertions.
hypothesis_settings.register_profile("fast", max_examples=25, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=200, deadline=None)
hypothesis_settings.load_profile("fast")


class FrozenClock:
    """A settable clock: ``clock()`` returns ``clock.now``."""

    def __init__(self, now: datetime = FROZEN_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


# --- SQLite -----------------------------------------------------------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.migrate_to(engine, "head")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(_sqlite_template: Path, tmp_path: Path) -> str:
    """URL of a fresh, migrated SQLite database file."""
    target = tmp_path / "yescount.db"
    shutil.copyfile(_sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


# --- PostgreSQL --------------------------------------------------------------


def _pg_unavailable(reason: str) -> None:
    message = f"PostgreSQL unreachable at {PG_ADMIN_URL}: {reason}"
    if IN_CI:
        pytest.fail(message + " (CI=true requires PostgreSQL)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """Create a throw-away database for this test session and drop it afterwards."""
    admin = create_engine(
        PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    name = f"yc_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        _pg_unavailable(str(exc.orig).splitlines()[0])
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_pg_url(pg_server_url: str) -> Iterator[str]:
    """An empty, unmigrated PostgreSQL database of its own (dropped after the test)."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"yc_fresh_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _pg_migrated(pg_server_url: str) -> str:
    engine = make_engine(pg_server_url)
    migrate.migrate_to(engine, "head")
    engine.dispose()
    return pg_server_url


@pytest.fixture
def pg_url(_pg_migrated: str) -> Iterator[str]:
    """URL of the session's migrated PostgreSQL database, emptied after each test."""
    yield _pg_migrated
    engine = make_engine(_pg_migrated)
    names = ", ".join(t.name for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


# --- Both --------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh migrated database URL, once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    built = make_engine(db_url)
    yield built
    built.dispose()


# --- CI guard: PostgreSQL tests must run under CI ------------------------------
# The guard counts reports in ``pytest_runtest_logreport``, which runs where the
# summary is written: in the only process, or on the pytest-xdist controller (the
# workers send it every report, with the ``postgres_marked`` attribute set here).

_pg_outcomes: dict[str, list[str]] = {"passed": [], "failed": [], "skipped": []}


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    outcome = yield
    # A plain attribute travels with the report from an xdist worker to the controller.
    outcome.get_result().postgres_marked = item.get_closest_marker("postgres") is not None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not getattr(report, "postgres_marked", False):
        return
    if report.skipped:
        _pg_outcomes["skipped"].append(report.nodeid)
    elif report.failed:
        _pg_outcomes["failed"].append(report.nodeid)
    elif report.when == "call":
        _pg_outcomes["passed"].append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if IN_CI and _pg_outcomes["skipped"] and not _is_xdist_worker(session.config):
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    counts = {k: len(v) for k, v in _pg_outcomes.items()}
    if not any(counts.values()):
        return
    terminalreporter.write_line(
        f"postgres-marked tests: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped (PostgreSQL at {PG_ADMIN_URL.rsplit('@', 1)[-1]})",
        green=not (counts["failed"] or counts["skipped"]),
        red=bool(counts["failed"]),
    )
    if IN_CI and counts["skipped"]:
        terminalreporter.write_line(
            f"FAILED: {counts['skipped']} postgres-marked tests were skipped under CI=true",
            red=True,
        )
