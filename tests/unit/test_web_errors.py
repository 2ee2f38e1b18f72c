"""HTTP statuses are decided in web/errors.py only, from the kind of error."""

from __future__ import annotations

import pytest

from yescount import errors
from yescount.web.errors import MethodNotAllowedError, http_status


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.ValidationError("x"), 422),
        (errors.NotFoundError("x"), 404),
        (errors.ForbiddenError("x"), 403),
        (errors.ConflictError("x"), 409),
        (errors.GoneError("x"), 410),
        (errors.DomainError("x"), 400),
        (errors.RateLimitedError("x"), 429),
        (errors.StorageError("x"), 503),
        (errors.IndexMismatchError("x"), 503),
        (errors.IngestError("x"), 500),
        (errors.YesCountError("x"), 500),
        (MethodNotAllowedError("x"), 405),
    ],
)
def test_each_kind_of_error_has_its_status(error: errors.YesCountError, status: int) -> None:
    assert http_status(error) == status


def test_the_error_hierarchy_knows_no_http() -> None:
    assert not hasattr(errors.NotFoundError("x"), "http_status")
