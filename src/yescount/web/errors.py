"""The one place HTTP answers are made from errors: JSON body, status, log line, metric."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from yescount.errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    GoneError,
    NotFoundError,
    RateLimitedError,
    SearchError,
    StorageError,
    ValidationError,
    YesCountError,
)
from yescount.observability import get_logger, new_context_id
from yescount.web.metrics import WebMetrics, default_metrics

JSON_MESSAGE = "The body is not valid JSON."

# Status codes the framework produces itself (routing, body parsing) → stable codes.
_FRAMEWORK_CODES = {
    404: ("not_found", "No such route."),
    405: ("method_not_allowed", "This method is not allowed here."),
    422: ("invalid_input", "The request body or parameters are not valid."),
}


# The HTTP status of each kind of error, most specific first (the first match wins).
# Errors defined in the web layer carry their own ``http_status``.
_STATUS: tuple[tuple[type[YesCountError], int], ...] = (
    (ValidationError, 422),
    (NotFoundError, 404),
    (ForbiddenError, 403),
    (ConflictError, 409),
    (GoneError, 410),
    (DomainError, 400),
    (RateLimitedError, 429),
    (StorageError, 503),
    (SearchError, 503),
)


def http_status(exc: YesCountError) -> int:
    """The status an error is answered with (500 for anything unexpected)."""
    own = getattr(exc, "http_status", None)
    if isinstance(own, int):
        return own
    return next((status for kind, status in _STATUS if isinstance(exc, kind)), 500)


# A 503 (database or search down) asks clients to come back after this many seconds.
UNAVAILABLE_RETRY_AFTER_S = 5


def error_payload(exc: YesCountError) -> dict[str, Any]:
    """``{error_code, message, retryable, context_id}``; the context id is also logged."""
    context_id = str(exc.details.setdefault("context_id", new_context_id()))
    return {**exc.to_dict(), "context_id": context_id}


def error_response(
    request: Request, exc: YesCountError, metrics: WebMetrics | None = None
) -> JSONResponse:
    """Answer a YesCountError with its status, JSON body, log line and counter."""
    body = error_payload(exc)
    status = http_status(exc)
    (metrics or default_metrics()).errors.labels(exc.code).inc()
    log = get_logger()
    level = log.warning if status < 500 else log.error
    level(
        "api_error",
        method=request.method,
        path=request.url.path,
        status=status,
        error_code=exc.code,
        retryable=exc.retryable,
        context_id=body["context_id"],
    )
    headers = {str(k): str(v) for k, v in exc.details.get("headers", {}).items()}
    retry_after = exc.details.get("retry_after")
    if retry_after is None and status == 503:
        retry_after = UNAVAILABLE_RETRY_AFTER_S
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return JSONResponse(body, status_code=status, headers=headers)


def validation_error(message: str, *, fields: list[dict[str, Any]] | None = None) -> YesCountError:
    """A 422 for malformed requests, with the offending fields in its details."""
    return ValidationError(message, code="invalid_input", details={"fields": fields or []})


class MethodNotAllowedError(YesCountError):
    """A route exists but not for this HTTP method."""

    default_code = "method_not_allowed"
    http_status = 405


class PayloadTooLargeError(YesCountError):
    """The request body is over the configured cap (it was not read)."""

    default_code = "payload_too_large"
    http_status = 413


class InvalidJsonError(YesCountError):
    """The body is not strict UTF-8 JSON of a sane depth."""

    default_code = "invalid_json"
    http_status = 400


class BadPathError(YesCountError):
    """The path holds an encoded character no route accepts (NUL, slash)."""

    default_code = "invalid_path"
    http_status = 400


class FrameworkHTTPError(YesCountError):
    """Any other status the framework raised itself, kept as that status."""

    default_code = "http_error"

    def __init__(self, message: str, *, status: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.http_status = status


def framework_error(
    status: int, detail: str | None = None, headers: Mapping[str, str] | None = None
) -> YesCountError:
    """Turn a framework HTTP status (400, 404 route, 405, 422) into our error shape.

    The framework's own headers (``Allow`` on a 405) are kept.
    """
    code, message = _FRAMEWORK_CODES.get(status, ("http_error", "The request failed."))
    details = {"headers": dict(headers or {})}
    if status == 404:
        return NotFoundError(detail or message, code=code, details=details)
    if status == 405:
        return MethodNotAllowedError(message, code=code, details=details)
    if status == 422:
        return ValidationError(detail or message, code=code, details=details)
    if status == 400:
        # FastAPI's "error parsing the body" (undecodable text, too deep to parse).
        return InvalidJsonError(JSON_MESSAGE, details=details)
    return FrameworkHTTPError(detail or message, status=status, code=code, details=details)


def crash_error() -> YesCountError:
    """What users see for an unexpected failure (the traceback stays in the logs)."""
    return YesCountError("Something went wrong on our side.", code="internal_error")


def install_error_handlers(api: FastAPI, metrics: WebMetrics) -> None:
    """Every exception of the JSON API becomes the one error shape (and a log line)."""

    async def on_domain(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, YesCountError)
        response = error_response(request, exc, metrics)
        if exc.details.get("www_authenticate"):
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    async def on_invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return error_response(request, InvalidJsonError(JSON_MESSAGE), metrics)
        fields = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        first = fields[0] if fields else {"loc": [], "msg": "invalid"}
        where = ".".join(p for p in first["loc"] if p != "body") or "request"
        message = f"Invalid {where}: {first['msg']}"
        return error_response(request, validation_error(message, fields=fields), metrics)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return error_response(
            request, framework_error(exc.status_code, headers=exc.headers), metrics
        )

    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        get_logger().exception("api_crash", path=request.url.path)
        return error_response(request, crash_error(), metrics)

    api.add_exception_handler(YesCountError, on_domain)
    api.add_exception_handler(RequestValidationError, on_invalid)
    api.add_exception_handler(StarletteHTTPException, on_http)
    api.add_exception_handler(Exception, on_crash)
