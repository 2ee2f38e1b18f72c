"""services/indexing.py on fakes: reindex hands its options to the syncer; parity adds the
top-20 agreement with a second index only when one is asked for, and fails below the floor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.factories.search_events import HashingEmbedder
from tests.fakes.index import FakeVectorIndex
from yescount.domain.indexing import ParityReport, SyncProgress, SyncReport
from yescount.ports import VectorIndex
from yescount.search.index import IndexedEvent
from yescount.search.parity import compare_backends
from yescount.services.indexing import DEFAULT_BATCH, IndexComparer, index_parity, reindex

TEXTS = {
    1: "stand-up comedy night in a laundromat",
    2: "live jazz trio in a brooklyn basement",
    3: "ghost walk through greenwich village",
    4: "rooftop cinema under the stars",
}


def _filled(embedder: HashingEmbedder, texts: dict[int, str]) -> FakeVectorIndex:
    index = FakeVectorIndex()
    vectors = embedder.embed(list(texts.values()))
    index.upsert(
        [
            IndexedEvent(event_id, vector, content_hash=f"h{event_id}")
            for event_id, vector in zip(texts, vectors, strict=True)
        ]
    )
    return index


@dataclass
class RecordingSyncer:
    calls: list[dict[str, Any]] = field(default_factory=list)

    def __call__(
        self, index: VectorIndex, *, fresh: bool, batch_size: int, progress: SyncProgress | None
    ) -> SyncReport:
        self.calls.append(
            {"index": index, "fresh": fresh, "batch_size": batch_size, "progress": progress}
        )
        return SyncReport(index.backend, indexed=4, embedded=1, removed=0, unchanged=3)


def _clean(index: VectorIndex) -> ParityReport:
    return ParityReport(index.backend, "test/hashing", "test/hashing", rows=4, indexed=4)


def _comparer(embedder: HashingEmbedder) -> IndexComparer:
    def compare(first: VectorIndex, second: VectorIndex) -> float:
        return compare_backends(first, second, embedder)

    return compare


def test_reindex_passes_its_options_and_returns_the_syncers_report() -> None:
    syncer, index = RecordingSyncer(), FakeVectorIndex()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))

    report = reindex(index, sync=syncer, fresh=True, batch_size=7, progress=progress)

    assert report.embedded == 1
    assert report.unchanged == 3
    assert syncer.calls == [{"index": index, "fresh": True, "batch_size": 7, "progress": progress}]


def test_reindex_defaults_are_resumable_with_the_default_batch() -> None:
    syncer = RecordingSyncer()
    reindex(FakeVectorIndex(), sync=syncer)
    assert syncer.calls[0]["fresh"] is False
    assert syncer.calls[0]["batch_size"] == DEFAULT_BATCH


def test_parity_without_a_second_index_is_the_checkers_report() -> None:
    report = index_parity(_filled(HashingEmbedder(), TEXTS), check=_clean)

    assert report.ok
    assert report.overlap is None


def test_parity_compares_only_when_given_both_an_index_and_a_comparer() -> None:
    embedder = HashingEmbedder()
    opened: list[FakeVectorIndex] = []

    def against() -> FakeVectorIndex:
        opened.append(_filled(embedder, TEXTS))
        return opened[-1]

    report = index_parity(_filled(embedder, TEXTS), check=_clean, against=against)

    assert report.overlap is None
    assert opened == []


def test_parity_against_an_identical_index_agrees_fully() -> None:
    embedder = HashingEmbedder()
    report = index_parity(
        _filled(embedder, TEXTS),
        check=_clean,
        against=lambda: _filled(embedder, TEXTS),
        compare=_comparer(embedder),
    )
    assert report.overlap == 1.0
    assert report.ok


def test_parity_fails_when_the_indexes_disagree_below_the_floor() -> None:
    embedder = HashingEmbedder()
    other = {event_id + 100: text for event_id, text in TEXTS.items()}  # same texts, other ids
    report = index_parity(
        _filled(embedder, TEXTS),
        check=_clean,
        against=lambda: _filled(embedder, other),
        compare=_comparer(embedder),
        min_overlap=0.9,
    )
    assert report.overlap == 0.0
    assert report.min_overlap == 0.9
    assert not report.ok
