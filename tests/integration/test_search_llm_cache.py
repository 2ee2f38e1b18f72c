"""The LLM answer cache in the database (llm_cache) on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from tests.conftest import FrozenClock
from yescount.llm.cache import cache_key
from yescount.storage.engine import make_engine
from yescount.storage.repositories.llm_cache import SqlTextCache
from yescount.storage.tables import llm_cache


def test_put_get_and_first_writer_wins(engine: Engine, clock: FrozenClock) -> None:
    cache = SqlTextCache(engine, clock=clock)
    key = cache_key("card_copy", "gpt-test", [{"role": "user", "content": "hi"}])
    assert len(key) == 64
    assert cache.get(key) is None
    cache.put(key, kind="card_copy", model="gpt-test", response="first")
    cache.put(key, kind="card_copy", model="gpt-test", response="second")
    assert cache.get(key) == "first"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(llm_cache)).scalar_one() == 1


def test_keys_depend_on_kind_model_and_prompt() -> None:
    base = cache_key("card_copy", "m", {"a": 1})
    assert base == cache_key("card_copy", "m", {"a": 1})
    assert (
        len(
            {
                base,
                cache_key("search_answer", "m", {"a": 1}),
                cache_key("card_copy", "n", {"a": 1}),
                cache_key("card_copy", "m", {"a": 2}),
            }
        )
        == 4
    )


def test_a_broken_database_only_misses(tmp_path: object, clock: FrozenClock) -> None:
    unmigrated = make_engine(f"sqlite:///{tmp_path}/empty.db")
    cache = SqlTextCache(unmigrated, clock=clock)
    assert cache.get("k") is None
    cache.put("k", kind="card_copy", model="m", response="x")
    assert cache.get("k") is None
    unmigrated.dispose()
