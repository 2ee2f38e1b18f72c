"""One error hierarchy for the whole application.

Every error carries a stable machine-readable ``code``, a human ``message``
and whether retrying the same call may succeed (``retryable``). Entry points
(CLI, HTTP API, Streamlit) translate them in one place each; nothing else
inspects messages. HTTP status codes are the web layer's business: ``web/errors.py``.

::

    YesCountError
    ├── ConfigError            bad or unsafe settings (start-up)
    ├── DomainError            a rule of the product was broken
    │   ├── ValidationError    input does not fit the rules
    │   ├── NotFoundError      no such session / event / pick
    │   ├── ForbiddenError     wrong token, plan full
    │   ├── ConflictError      name taken, plan locked
    │   └── GoneError          plan expired or archived
    ├── RateLimitedError       too many reads from one client
    ├── StorageError           database unreachable / failed (retryable)
    ├── IngestError            fetching or parsing sources failed
    └── SearchError            embedding / vector index problems
        └── IndexMismatchError index built with another model      (rebuild needed)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class YesCountError(Exception):
    """Base class: a stable ``code``, a message and a ``retryable`` flag."""

    default_code: ClassVar[str] = "internal_error"
    default_retryable: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        retryable: bool | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.retryable = self.default_retryable if retryable is None else retryable
        self.details: dict[str, Any] = dict(details or {})

    def to_dict(self) -> dict[str, Any]:
        """Plain data for logs and API bodies (never contains secrets)."""
        return {"error_code": self.code, "message": self.message, "retryable": self.retryable}


class ConfigError(YesCountError):
    default_code = "config_invalid"


class DomainError(YesCountError):
    default_code = "domain_error"


class ValidationError(DomainError):
    default_code = "invalid_input"


class NotFoundError(DomainError):
    default_code = "not_found"


class ForbiddenError(DomainError):
    default_code = "forbidden"


class ConflictError(DomainError):
    default_code = "conflict"


class GoneError(DomainError):
    default_code = "gone"


class RateLimitedError(YesCountError):
    default_code = "rate_limited"
    default_retryable = True


class StorageError(YesCountError):
    default_code = "storage_unavailable"
    default_retryable = True


class IngestError(YesCountError):
    default_code = "ingest_failed"
    default_retryable = True


class SearchError(YesCountError):
    default_code = "search_failed"
    default_retryable = True


class IndexMismatchError(SearchError):
    default_code = "index_mismatch"
    default_retryable = False
