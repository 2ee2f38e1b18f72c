"""A real second process writing to the Chroma directory a running index queries
(``yescount ingest`` beside ``serve``): its new and changed vectors reach the queries."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from yescount.search import chroma_client
from yescount.search.chroma_index import ChromaIndex
from yescount.search.index import IndexedEvent


def vec(*values: float) -> np.ndarray:
    row = np.zeros(384, dtype=np.float32)
    row[: len(values)] = values
    return row / np.linalg.norm(row)


def write_elsewhere(directory: Path, items: list[tuple[int, list[float]]]) -> None:
    """Upsert (event id, first values of its vector) from another Python process."""
    code = textwrap.dedent(
        f"""
        import numpy as np
        from yescount.search.chroma_index import ChromaIndex
        from yescount.search.index import IndexedEvent
        index = ChromaIndex({str(directory)!r}, model_name="test/hashing", dimension=384)
        rows = []
        for event_id, values in {items!r}:
            row = np.zeros(384, dtype=np.float32)
            row[: len(values)] = values
            rows.append(IndexedEvent(event_id, row / np.linalg.norm(row), f"other{{event_id}}"))
        index.upsert(rows)
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=180)


def nearest(index: ChromaIndex, vector: np.ndarray, k: int = 1) -> list[int]:
    return [h.event_id for h in index.query(vector, k=k)]


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chroma_client, "REOPEN_QUIET_S", 0.2)
    monkeypatch.setattr(chroma_client, "CLOSE_AFTER_S", 0.1)


@pytest.mark.usefixtures("quick")
def test_queries_find_vectors_another_process_added_and_changed(tmp_path: Path) -> None:
    """Chroma's embedded client keeps the graph it loaded (chroma-core/chroma#3792):
    without a reopen, event 9 written by another process never came back from a query.
    The query that notices the change answers from the graph it has; once the files
    are quiet the collection is opened again in the background, and queries see the
    new row and the moved one."""
    directory = tmp_path / "chroma"
    index = ChromaIndex(directory, model_name="test/hashing", dimension=384)
    index.upsert([IndexedEvent(n, vec(1, n), f"h{n}") for n in range(1, 6)])
    assert nearest(index, vec(0, 0, 1)) != [9]
    write_elsewhere(directory, [(9, [0, 0, 1]), (2, [0, 0, 0, 1])])
    assert nearest(index, vec(0, 0, 1)) != [9]  # the graph it has
    index._live.wait(60)
    assert nearest(index, vec(0, 0, 1)) == [9]
    assert nearest(index, vec(0, 0, 0, 1)) == [2]  # changed elsewhere: its new vector
    assert index.similarities(vec(0, 0, 1), [9])[9] == pytest.approx(1.0, abs=1e-3)


@pytest.mark.usefixtures("quick")
def test_own_writes_do_not_reopen_but_do_not_hide_an_earlier_change(tmp_path: Path) -> None:
    """Writes through the index are in its graph already: no reopen. A change made
    elsewhere before one of them still gets the collection opened again."""
    directory = tmp_path / "chroma"
    index = ChromaIndex(directory, model_name="test/hashing", dimension=384)
    index.upsert([IndexedEvent(n, vec(1, n), f"h{n}") for n in range(1, 4)])
    index.delete([3])
    assert nearest(index, vec(1, 2)) == [2]
    assert index._live.reopen_when_quiet() is None
    write_elsewhere(directory, [(7, [0, 1, 0, 1])])
    index.upsert([IndexedEvent(4, vec(1, 4), "h4")])  # ours, after theirs
    assert nearest(index, vec(1, 4)) == [4]
    index._live.wait(60)
    assert nearest(index, vec(0, 1, 0, 1)) == [7]
    assert nearest(index, vec(1, 4)) == [4]
    assert index._live.reopen_when_quiet() is None  # nothing left to read
