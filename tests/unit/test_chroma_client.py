"""LiveCollection's bookkeeping: when the collection is opened again, and when not."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from yescount.search import chroma_client
from yescount.search.chroma_client import LiveCollection


class FakeClient:
    def __init__(self, path: str) -> None:
        self.path = path
        self.closed = False

    def close(self) -> None:
        self.closed = True


class FakeCollection:
    def __init__(self, client: FakeClient) -> None:
        self.client = client

    def count(self) -> int:
        return 0


class Files:
    """A stamp that changes when someone writes."""

    def __init__(self) -> None:
        self.version = 0

    def stamp(self) -> tuple[int, ...]:
        return (self.version,)


@pytest.fixture
def live(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[LiveCollection, Files, list[FakeClient]]:
    monkeypatch.setattr(chroma_client, "REOPEN_QUIET_S", 0.01)
    monkeypatch.setattr(chroma_client, "CLOSE_AFTER_S", 0.0)
    clients: list[FakeClient] = []

    def new_client(self: LiveCollection, spelling: int) -> FakeClient:
        clients.append(FakeClient(str(tmp_path) + "/." * spelling))
        return clients[-1]

    monkeypatch.setattr(LiveCollection, "_new_client", new_client)
    files = Files()
    return LiveCollection(tmp_path, FakeCollection, files.stamp, 4), files, clients


def test_own_writes_never_reopen(live: tuple[LiveCollection, Files, list[FakeClient]]) -> None:
    collection, files, clients = live
    first = collection.collection()
    for _ in range(3):
        with collection.writing():
            assert collection.collection() is first
            files.version += 1
    assert collection.reopen_when_quiet() is None
    assert collection.collection() is first
    assert len(clients) == 1


def test_a_change_made_elsewhere_is_opened_again_under_another_spelling(
    live: tuple[LiveCollection, Files, list[FakeClient]],
) -> None:
    collection, files, _ = live
    first = collection.collection()
    files.version += 1  # another process
    assert collection.collection() is first  # answers from what it has, meanwhile
    collection.wait(10)
    second = collection.collection()
    assert second is not first
    assert second.client.path.endswith("/.")
    assert first.client.closed
    assert not second.client.closed
    assert collection.reopen_when_quiet() is None


def test_a_change_before_an_own_write_still_reopens(
    live: tuple[LiveCollection, Files, list[FakeClient]],
) -> None:
    collection, files, _ = live
    first = collection.collection()
    files.version += 1  # another process...
    with collection.writing():  # ...then we write
        collection.collection()  # as a write does: this starts the reopen
        files.version += 1
    collection.wait(10)
    assert collection.collection() is not first


def test_a_reopen_during_an_own_write_is_dropped_and_asked_again(
    live: tuple[LiveCollection, Files, list[FakeClient]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write of ours while the new graph loads went to the old graph only."""
    collection, files, clients = live
    first = collection.collection()
    loading, written = threading.Event(), threading.Event()

    def load_graph(found: Any, dimension: int) -> None:
        loading.set()
        written.wait(10)

    monkeypatch.setattr(chroma_client, "_load_graph", load_graph)
    files.version += 1
    collection.reopen_when_quiet()
    assert loading.wait(10)
    with collection.writing():
        files.version += 1
    written.set()
    collection.wait(10)
    assert collection.collection() is first  # dropped; the graph we wrote to stays
    assert clients[1].closed
    monkeypatch.setattr(chroma_client, "_load_graph", lambda found, dimension: None)
    files.version += 1  # later, another change elsewhere
    collection.reopen_when_quiet()
    collection.wait(10)
    assert collection.collection() is not first


def test_a_failing_reopen_keeps_the_graph(
    live: tuple[LiveCollection, Files, list[FakeClient]], monkeypatch: pytest.MonkeyPatch
) -> None:
    collection, files, clients = live
    first = collection.collection()

    def broken(found: Any, dimension: int) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(chroma_client, "_load_graph", broken)
    files.version += 1
    collection.reopen_when_quiet()
    collection.wait(10)
    assert collection.collection() is first
    assert clients[1].closed  # the client it opened for nothing
