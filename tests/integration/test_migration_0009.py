"""Migration 0009: the full-text GIN index over ``search_tsv`` plus the sample lexemes.

Upgrading a database that already holds events rebuilds the index from them; the
statements ``lexical_search`` sends (sampled or not) are planned through it, find the
same events as before and only the sample's when sampled; the downgrade restores
0002's index on the bare column. SQLite is untouched (the round trip of every
migration on both backends is tests/integration/test_migrations.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, insert, text

from tests.factories.events import event_record
from tests.factories.statements import captured
from yescount.domain.search import SearchFilters
from yescount.storage import migrate
from yescount.storage.repositories import fulltext, term_counts
from yescount.storage.repositories.events import record_values
from yescount.storage.tables import events
from yescount.storage.uow import UnitOfWork

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TODAY = date(2026, 11, 25)
INDEX = "ix_events_search_tsv"


def _index_definition(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"), {"n": INDEX}
            ).scalar_one()
        )


def _search(engine: Engine, *terms: str) -> tuple[list[int], list[tuple[str, Any]]]:
    """The ids ``lexical_search`` finds and the ranking statements it sent."""
    with captured(engine) as sent, UnitOfWork(engine, write=False) as uow:
        hits = uow.search.lexical_search(terms, filters=SearchFilters(), today=TODAY, limit=1_000)
    return [h.event_id for h in hits], [s for s in sent if "ts_rank" in s[0]]


def _uses_index(engine: Engine, statement: str, parameters: Any) -> bool:
    """Whether ``statement`` can be planned through the index (sequential scans priced out:
    on a few thousand rows the planner may rightly prefer reading them all)."""
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        rows = conn.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        return any(f"Bitmap Index Scan on {INDEX}" in str(row[0]) for row in rows)


def test_0009_rebuilds_the_full_text_index_with_sample_lexemes_and_downgrades(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = pg_engine
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    migrate.migrate_to(engine, "0008")
    assert _index_definition(engine).endswith("USING gin (search_tsv)")
    stamps = dict.fromkeys(("first_seen_at", "last_seen_at", "created_at", "updated_at"), NOW)
    records = [
        event_record(title=f"Salsa social {n}" if n % 10 == 0 else f"Open studio {n}",
                     description="Dance the salsa." if n % 7 == 0 else "Paint and sip.")
        for n in range(3_000)
    ]  # fmt: skip
    with engine.begin() as conn:
        inserted = conn.execute(
            insert(events).returning(events.c.id, events.c.title, events.c.description),
            [record_values(r) | stamps for r in records],
        )
        salsa = {int(i) for i, title, about in inserted if "alsa" in f"{title} {about}"}
    before, _ = _search(engine, "salsa")

    migrate.migrate_to(engine, "0009")
    definition = _index_definition(engine)
    assert "'#256'" in definition
    assert "search_tsv" in definition
    after, [(statement, parameters)] = _search(engine, "salsa")
    assert set(after) == set(before) == salsa
    assert after == before  # same ranking: ts_rank still reads the stored column
    assert "sample" not in parameters  # ~560 matches, at most 1,000: all ranked
    assert _uses_index(engine, statement, parameters)

    # A sampled search (fewer ranked matches allowed) goes through the same index and
    # finds exactly the matches whose id the step divides.
    monkeypatch.setattr(fulltext, "RANKED_MATCHES", 100)
    monkeypatch.setattr(fulltext, "_ESTIMATE_STEPS", (8,))
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    sampled, [(statement, parameters)] = _search(engine, "salsa")
    step = int(parameters["sample"].strip("'#"))
    assert step > 1
    assert set(sampled) == {i for i in salsa if i % step == 0}
    assert _uses_index(engine, statement, parameters)

    migrate.migrate_to(engine, "0008")
    assert _index_definition(engine).endswith("USING gin (search_tsv)")
    monkeypatch.setattr(fulltext, "RANKED_MATCHES", 2_000)
    monkeypatch.setattr(term_counts, "_COUNTS", {})
    assert set(_search(engine, "salsa")[0]) == salsa  # still correct, without the index
    migrate.migrate_to(engine, "head")
    assert "'#256'" in _index_definition(engine)
