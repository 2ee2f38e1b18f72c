"""Structured JSON logs with operation names, durations, error codes and context ids."""

from __future__ import annotations

import logging
import sys
import time
import uuid
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import structlog

from yescount.errors import YesCountError

_SECRET_KEYS = ("token", "password", "secret", "api_key", "authorization")


def _redact(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if any(s in key.lower() for s in _SECRET_KEYS):
            event[key] = "***"
    return event


def configure_logging(level: str = "INFO", *, stream: Any = None) -> None:
    """JSON lines on stderr (or ``stream``); safe to call more than once."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _redact,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(sort_keys=True),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level]),
        logger_factory=structlog.PrintLoggerFactory(stream or sys.stderr),
        cache_logger_on_first_use=False,
    )


def get_logger(name: str = "yescount") -> Any:
    return structlog.get_logger(name)


def new_context_id() -> str:
    """A short id shown to users with an error and written to the logs."""
    return uuid.uuid4().hex[:12]


@contextmanager
def log_operation(operation: str, **fields: Any) -> Iterator[dict[str, Any]]:
    """Log one line per operation with its duration and, on failure, the error code.

    Yields a dict the caller may enrich (e.g. ``participant_id`` once known).
    A failing operation re-raises after logging; ``context_id`` is attached to
    YesCountError instances so users and logs share it.
    """
    log = get_logger()
    extra: dict[str, Any] = dict(fields)
    started = time.perf_counter()
    try:
        yield extra
    except YesCountError as exc:
        context_id = exc.details.setdefault("context_id", new_context_id())
        log.warning(
            operation,
            outcome="error",
            error_code=exc.code,
            retryable=exc.retryable,
            context_id=context_id,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            **extra,
        )
        raise
    except Exception:
        log.exception(
            operation,
            outcome="crash",
            error_code="internal_error",
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            **extra,
        )
        raise
    log.info(
        operation,
        outcome="ok",
        duration_ms=round((time.perf_counter() - started) * 1000, 2),
        **extra,
    )
