"""RememberedVectors: fetched once per stamp, filled a page at a time, bounded, compact."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from yescount.search import chroma_vectors
from yescount.search.chroma_vectors import Fetched, RememberedVectors, quantise


def page(*ids: int) -> Fetched:
    return [str(i) for i in ids], np.array([[float(i), 1.0] for i in ids], dtype=np.float32)


def remembered(vectors: RememberedVectors, stamp: tuple[int, ...], ids: list[int]) -> list[int]:
    """The ids it answers for without fetching anything."""
    return vectors.rows(stamp, ids, lambda missing: page())[0]


def test_fetches_only_what_it_does_not_remember() -> None:
    asked: list[list[int]] = []

    def fetch(ids: list[int]) -> Fetched:
        asked.append(ids)
        return page(*(i for i in ids if i != 99))  # 99 is not stored

    vectors = RememberedVectors()
    ids, rows = vectors.rows((1,), [1, 2, 99, 2], fetch)
    assert ids == [1, 2]
    assert rows.dtype == np.float32
    assert rows[1] == pytest.approx([2.0, 1.0], abs=2.0 / 254)  # half a step of 2 / 127
    vectors.rows((1,), [2, 1, 3], fetch)
    assert asked == [[1, 2, 99], [3]]
    vectors.rows((2,), [1], fetch)  # the files changed: start over
    assert asked[-1] == [1]
    assert len(vectors) == 1


def test_8_bit_codes_keep_similarities_within_a_few_thousandths() -> None:
    """Unit vectors of the model's size: each row scaled by its own largest value."""
    rng = np.random.default_rng(7)
    matrix = rng.normal(size=(500, 384)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    query = matrix[0] + 0.5 * matrix[1]
    query /= np.linalg.norm(query)
    _, codes, scales = quantise([str(i) for i in range(500)], matrix)
    assert codes.dtype == np.int8
    assert codes.nbytes + scales.nbytes == 500 * 388
    errors = np.abs((codes.astype(np.float32) * scales[:, None]) @ query - matrix @ query)
    assert float(errors.mean()) < 1e-3
    assert float(errors.max()) < 3e-3
    assert quantise(["5"], np.zeros((1, 4)))[1].tolist() == [[0, 0, 0, 0]]  # no division by 0


def test_a_full_read_is_one_sorted_array_and_fetched_rows_join_it() -> None:
    vectors = RememberedVectors()
    assert vectors.fill((1,), iter([page(5, 3), page(9, 1)])) == 4
    assert vectors.complete
    ids, rows = vectors.rows((1,), [9, 4, 1], lambda missing: page(*missing))
    assert ids == [9, 4, 1]  # 4 was fetched, the others remembered
    assert rows[:, 0] == pytest.approx([9.0, 4.0, 1.0], rel=5e-3)
    assert len(vectors) == 5
    assert remembered(vectors, (1,), [1, 3, 4, 5, 9, 7]) == [1, 3, 4, 5, 9]


def test_fill_stops_when_the_files_change_or_the_limit_is_reached() -> None:
    vectors = RememberedVectors(limit=5)

    def pages() -> Iterator[Fetched]:
        yield page(1, 2)
        yield page(3, 4)
        yield page(5, 6)  # would pass the limit

    assert vectors.fill((1,), pages()) == 4
    assert not vectors.complete
    assert remembered(vectors, (1,), [1, 4, 5]) == [1, 4]
    vectors = RememberedVectors()

    def changing() -> Iterator[Fetched]:
        yield page(1, 2)
        vectors.rows((2,), [], lambda ids: page())  # a search saw a write meanwhile
        yield page(3, 4)

    assert vectors.fill((1,), changing()) == 0
    assert remembered(vectors, (2,), [1, 3]) == []


def test_nothing_fetched_is_nothing_remembered() -> None:
    vectors = RememberedVectors()
    assert vectors.rows((1,), [5], lambda ids: ([], None))[0] == []
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
    vectors.rows((3,), [], lambda ids: page())  # a search after a write
    assert not vectors.complete
    thread = vectors.refill_when_quiet(lambda: stamps.pop(0) if stamps else (3,), remember)
    assert thread is not None
    thread.join(30)
    assert reads == [1]
    assert vectors.complete
    assert remembered(vectors, (3,), [1, 2]) == [1, 2]


def test_too_many_vectors_are_never_read_again() -> None:
    vectors = RememberedVectors(limit=3)
    vectors.fill((1,), iter([page(1, 2), page(3, 4)]))
    vectors.rows((2,), [], lambda ids: page())
    assert not vectors.complete
    assert vectors.refill_when_quiet(lambda: (2,), lambda: 0) is None
