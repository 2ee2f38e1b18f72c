"""The PostgreSQL pool pings a connection only after it sat idle, and replaces a dead one."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from tests.conftest import PG_ADMIN_URL
from yescount.storage import engine as engine_module

pytestmark = pytest.mark.postgres


def test_busy_connection_is_not_pinged(pg_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with pg_engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    pings = 0
    original = pg_engine.dialect.do_ping

    def counting(dbapi_conn: Any) -> bool:
        nonlocal pings
        pings += 1
        return original(dbapi_conn)

    monkeypatch.setattr(pg_engine.dialect, "do_ping", counting)
    for _ in range(3):
        with pg_engine.connect() as conn:
            assert conn.execute(text("SELECT 2")).scalar() == 2
    assert pings == 0


def test_dead_idle_connection_is_replaced(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pg_engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_S", 0.0)
    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid
