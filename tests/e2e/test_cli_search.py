"""`yescount reindex`, `index-parity` and `search` through the real console script."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FROZEN_NOW
from tests.e2e.cli_helpers import run_cli, sqlite_env
from tests.factories.events import event_record
from tests.factories.search_events import search_event_records, store_search_events
from yescount.domain import newyork
from yescount.ports import system_clock
from yescount.storage.engine import make_engine
from yescount.storage.uow import UnitOfWork

pytestmark = [pytest.mark.model, pytest.mark.slow]

RELEVANT = {
    "prospect-park-solstice-drums",
    "dumbo-archway-brass-band",
    "williamsburg-waterfront-carols",
}


def _store(url: str) -> dict[str, int]:
    """The fixture catalogue, dated relative to the real today (the CLI uses the real clock)."""
    engine = make_engine(url)
    try:
        return store_search_events(engine, search_event_records(today=newyork.today(system_clock)))
    finally:
        engine.dispose()


def _search(env: dict[str, str], cwd: Path) -> dict[str, Any]:
    done = run_cli("search", "free outdoor music in brooklyn", "--json", env=env, cwd=cwd)
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def test_sqlite_chroma_reindex_parity_search_and_degraded(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    ids = _store(f"sqlite:///{env['SQLITE_DB_PATH']}")
    slugs = {v: k for k, v in ids.items()}

    reindex = run_cli("reindex", env=env, cwd=tmp_path)
    assert reindex.returncode == 0, reindex.stderr
    assert "chroma:" in reindex.stdout
    assert "embedded" in reindex.stdout
    parity = run_cli("index-parity", "--json", env=env, cwd=tmp_path)
    assert parity.returncode == 0, parity.stdout + parity.stderr
    assert json.loads(parity.stdout)["ok"] is True

    found = _search(env, tmp_path)
    assert found["degraded"] is False, found["degraded_reason"]
    top = {slugs[h["event_id"]] for h in found["hits"][:5]}
    assert len(top & RELEVANT) >= 2
    assert all(h["why"] for h in found["hits"])

    engine = make_engine(f"sqlite:///{env['SQLITE_DB_PATH']}")
    # On a real day ahead (the CLI's clock): a fixed day, once past, is over and does not
    # belong in the index, so parity would not miss it.
    tomorrow = newyork.today(system_clock) + timedelta(days=1)
    with UnitOfWork(engine) as uow:
        uow.events.upsert(
            event_record(title="Brand new event", date_start=tomorrow), now=FROZEN_NOW
        )
        uow.commit()
    engine.dispose()
    stale = run_cli("index-parity", env=env, cwd=tmp_path)
    assert stale.returncode == 1
    assert "missing: 1" in stale.stdout

    chroma = Path(env["CHROMA_PERSIST_DIR"])
    shutil.rmtree(chroma)
    chroma.write_text("not a directory any more")
    degraded = _search(env, tmp_path)
    assert degraded["degraded"] is True
    assert {slugs.get(h["event_id"]) for h in degraded["hits"]} & RELEVANT


@pytest.mark.postgres
def test_postgres_pgvector_reindex_and_parity(pg_url: str, tmp_path: Path) -> None:
    env = {**sqlite_env(tmp_path), "DATABASE_URL": pg_url}
    _store(pg_url)
    reindex = run_cli("reindex", env=env, cwd=tmp_path)
    assert reindex.returncode == 0, reindex.stderr
    assert "pgvector:" in reindex.stdout
    parity = run_cli("index-parity", env=env, cwd=tmp_path)
    assert parity.returncode == 0, parity.stdout + parity.stderr
    assert "[ok] pgvector" in parity.stdout
    both = run_cli("reindex", "--backend", "chroma", env=env, cwd=tmp_path)
    assert both.returncode == 0, both.stderr
    compared = run_cli("index-parity", "--against", "chroma", env=env, cwd=tmp_path)
    assert compared.returncode == 0, compared.stdout + compared.stderr
    assert "top-20 overlap" in compared.stdout
    found = _search(env, tmp_path)
    assert found["degraded"] is False, found["degraded_reason"]
    assert found["hits"]


def test_search_rejects_a_blank_query(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path)
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    done = run_cli("search", "   ", env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "query_empty" in done.stderr
