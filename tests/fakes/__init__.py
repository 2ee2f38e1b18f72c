"""In-memory implementations of the ports, for service unit tests (no database)."""

from tests.fakes.uow import FakeStore, FakeUnitOfWork

__all__ = ["FakeStore", "FakeUnitOfWork"]
