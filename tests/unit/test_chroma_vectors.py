"""RememberedVectors: fetched once per stamp, filled a page at a time, bounded."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

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
