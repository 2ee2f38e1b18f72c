"""RememberedVectors: fetched once per stamp, filled a page at a time, bounded."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from yescount.search import chroma_vectors
from yescount.search.chroma_vectors import Fetched, RememberedVectors


def page(*ids: int) -> Fetched:
    return [str(i) for i in ids], np.array([[float(i), 1.0] for i in ids], dtype=np.float32)


def test_fetches_only_what_it_does_not_remember_in_half_precision() -> None:
    asked: list[list[int]] = []

    def fetch(ids: list[int]) -> Fetched:
        asked.append(ids)
        return page(*(i for i in ids if i != 99))  # 99 is not stored

    vectors = RememberedVectors()
    known = vectors.known((1,), [1, 2, 99], fetch)
    assert sorted(known) == [1, 2]
    assert known[2].tolist() == [2.0, 1.0]
    assert known[2].dtype == np.float16
    vectors.known((1,), [2, 1, 3], fetch)
    assert asked == [[1, 2, 99], [3]]
    vectors.known((2,), [1], fetch)  # the files changed: start over
    assert asked[-1] == [1]
    assert len(vectors) == 1


def test_fill_stops_when_the_files_change_or_the_limit_is_reached() -> None:
    vectors = RememberedVectors(limit=5)

    def pages() -> Iterator[Fetched]:
        yield page(1, 2)
        yield page(3, 4)
        yield page(5, 6)  # would pass the limit

    assert vectors.fill((1,), pages()) == 4
    vectors = RememberedVectors()

    def changing() -> Iterator[Fetched]:
        yield page(1, 2)
        vectors.known((2,), [], lambda ids: page())  # a search saw a write meanwhile
        yield page(3, 4)

    assert vectors.fill((1,), changing()) == 0
    assert vectors.known((2,), [], lambda ids: page()) == {}


def test_nothing_fetched_is_nothing_remembered() -> None:
    vectors = RememberedVectors()
    assert vectors.known((1,), [5], lambda ids: ([], None)) == {}
    assert len(vectors) == 0


def test_a_full_read_dropped_by_a_write_is_read_again_once_the_files_are_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chroma_vectors, "REFILL_QUIET_S", 0.01)
    vectors = RememberedVectors()
    stamps = [(2,), (3,), (3,)]  # still changing at the first look, then quiet
    reads: list[int] = []

    def remember() -> int:
        reads.append(1)
        return vectors.fill((3,), iter([page(1, 2)]))

    assert vectors.refill_when_quiet(lambda: (1,), remember) is None  # never read fully
    vectors.fill((1,), iter([page(1, 2)]))
    assert vectors.complete
    assert vectors.refill_when_quiet(lambda: (1,), remember) is None  # nothing dropped
    vectors.known((3,), [], lambda ids: page())  # a search after a write
    assert not vectors.complete
    thread = vectors.refill_when_quiet(lambda: stamps.pop(0) if stamps else (3,), remember)
    assert thread is not None
    thread.join(30)
    assert reads == [1]
    assert vectors.complete
    assert sorted(vectors.known((3,), [1, 2], lambda ids: page())) == [1, 2]


def test_too_many_vectors_are_never_read_again() -> None:
    vectors = RememberedVectors(limit=3)
    vectors.fill((1,), iter([page(1, 2), page(3, 4)]))
    vectors.known((2,), [], lambda ids: page())
    assert not vectors.complete
    assert vectors.refill_when_quiet(lambda: (2,), lambda: 0) is None
