"""Capture the SQL an engine or connection sends, for tests that pin which statements run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event


@contextmanager
def captured(target: Engine | Connection) -> Iterator[list[tuple[str, Any]]]:
    """Every statement (and its parameters) sent through ``target`` meanwhile."""
    sent: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(target, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(target, "before_cursor_execute", record)
