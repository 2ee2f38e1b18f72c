"""The ``llm_cache`` table: generated text keyed by a hash of the prompt and model."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from yescount.observability import get_logger
from yescount.ports import Clock, system_clock
from yescount.storage.tables import llm_cache


class SqlTextCache:
    """``llm_cache`` rows; a failing cache never breaks the caller (it just misses)."""

    def __init__(self, engine: Engine, *, clock: Clock = system_clock) -> None:
        self.engine = engine
        self._clock = clock

    def get(self, key: str) -> str | None:
        try:
            with self.engine.connect() as conn:
                value = conn.execute(
                    select(llm_cache.c.response).where(llm_cache.c.key == key)
                ).scalar()
        except SQLAlchemyError as exc:
            get_logger().warning("llm_cache_read_failed", error=str(exc).splitlines()[0])
            return None
        return str(value) if value is not None else None

    def put(self, key: str, *, kind: str, model: str, response: str) -> None:
        row = {
            "key": key,
            "kind": kind,
            "model": model,
            "response": response,
            "created_at": self._clock(),
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(llm_cache.insert().values(**row))
        except IntegrityError:
            return  # another process cached the same prompt first
        except SQLAlchemyError as exc:
            get_logger().warning("llm_cache_write_failed", error=str(exc).splitlines()[0])
