"""Vector indexes (real Chroma on disk, real pgvector), sync from the rows, and parity."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, delete, update

from tests.conftest import FrozenClock
from tests.factories.search_events import HashingEmbedder, search_event_records, store_search_events
from yescount.domain.events import DateStatus, Event
from yescount.errors import IndexMismatchError, SearchError
from yescount.search.chroma_index import ChromaIndex
from yescount.search.index import IndexedEvent, VectorFilter, VectorHit, VectorIndex
from yescount.search.parity import check_parity, compare_backends
from yescount.search.pgvector_index import PgVectorIndex
from yescount.search.sync import after_store_hook, sync_index
from yescount.storage.tables import events
from yescount.storage.uow import UnitOfWork, uow_factory

IndexFactory = Callable[..., VectorIndex]


@pytest.fixture(params=["chroma", pytest.param("pgvector", marks=pytest.mark.postgres)])
def backend(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Engine, IndexFactory]]:
    """(engine, index factory): Chroma beside SQLite, pgvector inside PostgreSQL."""
    if request.param == "chroma":
        engine: Engine = request.getfixturevalue("sqlite_engine")

        def chroma(model: str = "test/hashing", dimension: int = 384) -> VectorIndex:
            return ChromaIndex(tmp_path / "chroma", model_name=model, dimension=dimension)

        yield engine, chroma
    else:
        engine = request.getfixturevalue("pg_engine")

        def pgvector(model: str = "test/hashing", dimension: int = 384) -> VectorIndex:
            return PgVectorIndex(engine, model_name=model, dimension=dimension)

        yield engine, pgvector


def vec(*values: float) -> np.ndarray:
    row = np.zeros(384, dtype=np.float32)
    row[: len(values)] = values
    return row / np.linalg.norm(row)


def test_upsert_query_similarities_delete(backend: tuple[Engine, IndexFactory]) -> None:
    engine, make = backend
    ids = store_search_events(engine, search_event_records()[:3])
    a, b, c = ids.values()
    index = make()
    index.upsert(
        [
            IndexedEvent(a, vec(1, 0), "ha"),
            IndexedEvent(b, vec(1, 1), "hb"),
            IndexedEvent(c, vec(0, 1), "hc"),
        ]
    )
    hits = index.query(vec(1, 0.1), k=2)
    assert [h.event_id for h in hits] == [a, b]
    assert hits[0].similarity == pytest.approx(float(vec(1, 0) @ vec(1, 0.1)), abs=1e-4)
    sims = index.similarities(vec(0, 1), [a, c, 999_999])
    assert set(sims) == {a, c}
    assert sims[c] == pytest.approx(1.0, abs=1e-4)
    assert index.content_hashes() == {a: "ha", b: "hb", c: "hc"}
    index.upsert([IndexedEvent(a, vec(0, 1), "ha2")])
    assert index.content_hashes()[a] == "ha2"
    index.delete([b, 424242])
    assert set(index.content_hashes()) == {a, c}
    info = index.info()
    assert (info.model, info.dimension, info.count) == ("test/hashing", 384, 2)


def stored_events(engine: Engine, ids: list[int]) -> list[Event]:
    with UnitOfWork(engine, write=False) as uow:
        found = uow.events.get_many(ids)
    return [found[i] for i in ids]


def test_query_filters_by_window_and_price(backend: tuple[Engine, IndexFactory]) -> None:
    engine, make = backend
    base = search_event_records()[0]
    shapes = [
        {"date_start": date(2026, 12, 1), "price_min": Decimal(10), "price_max": None},
        {"date_start": date(2027, 1, 20), "price_min": Decimal(10), "price_max": None},
        {"date_start": None, "date_status": DateStatus.UNCLEAR, "price_min": None},
        {"date_start": date(2026, 12, 2), "price_min": Decimal(80), "price_max": None},
    ]
    records = [
        replace(base, source_id=f"shape-{n}", date_end=None, **shape)  # type: ignore[arg-type]
        for n, shape in enumerate(shapes)
    ]
    ids = list(store_search_events(engine, records).values())
    index = make()
    index.upsert(
        [
            IndexedEvent.for_event(e, vec(1, n / 10))
            for n, e in enumerate(stored_events(engine, ids))
        ]
    )
    december = VectorFilter(window=(date(2026, 12, 1), date(2026, 12, 31)))
    found = {h.event_id for h in index.query(vec(1), k=10, where=december)}
    assert found == {ids[0], ids[2], ids[3]}
    cheap = VectorFilter(max_price=20.0)
    assert {h.event_id for h in index.query(vec(1), k=10, where=cheap)} == {ids[0], ids[1], ids[2]}
    both = VectorFilter(window=(date(2026, 12, 1), date(2026, 12, 31)), max_price=20.0)
    assert {h.event_id for h in index.query(vec(1), k=10, where=both)} == {ids[0], ids[2]}


def test_another_model_is_refused_until_a_reset(backend: tuple[Engine, IndexFactory]) -> None:
    engine, make = backend
    (event_id,) = store_search_events(engine, search_event_records()[:1]).values()
    make(model="model-a").upsert([IndexedEvent(event_id, vec(1), "h")])
    other = make(model="model-b")
    with pytest.raises(IndexMismatchError) as err:
        other.query(vec(1), k=5)
    assert "reindex" in err.value.message
    assert other.info().model == "model-a"
    other.reset()
    assert other.query(vec(1), k=5) == []
    assert make(model="model-b").info().model == "model-b"


def test_sync_embeds_changes_and_drops_gone_expired_and_duplicates(
    backend: tuple[Engine, IndexFactory], clock: FrozenClock
) -> None:
    engine, make = backend
    ids = store_search_events(engine)
    embedder = HashingEmbedder()
    index = make()
    first = sync_index(
        uow_factory=uow_factory(engine), index=index, embedder=embedder, clock=clock, batch_size=16
    )
    expected = len(ids) - 2  # two fixture events are already over on 2026-11-25
    assert (first.indexed, first.embedded, first.removed) == (expected, expected, 0)
    assert check_parity(uow_factory=uow_factory(engine), index=index, clock=clock).ok

    again = sync_index(uow_factory=uow_factory(engine), index=index, embedder=embedder, clock=clock)
    assert (again.embedded, again.removed, again.unchanged) == (0, 0, expected)

    changed = ids["hamilton-broadway"]
    gone = ids["drag-brunch-hells-kitchen"]
    duplicate = ids["poetry-nuyorican-slam"]
    with engine.begin() as conn:
        conn.execute(
            update(events)
            .where(events.c.id == changed)
            .values(description="New text", content_hash="new-hash")
        )
        conn.execute(delete(events).where(events.c.id == gone))
        conn.execute(update(events).where(events.c.id == duplicate).values(duplicate_of_id=changed))
    stale = check_parity(uow_factory=uow_factory(engine), index=index, clock=clock)
    assert not stale.ok
    assert stale.stale == (changed,)
    assert duplicate in stale.extra

    third = sync_index(uow_factory=uow_factory(engine), index=index, embedder=embedder, clock=clock)
    assert third.embedded == 1
    assert third.removed >= 1
    assert check_parity(uow_factory=uow_factory(engine), index=index, clock=clock).ok

    clock.now = clock.now.replace(year=2027, month=1, day=20)
    later = sync_index(uow_factory=uow_factory(engine), index=index, embedder=embedder, clock=clock)
    assert later.removed > 0
    assert check_parity(uow_factory=uow_factory(engine), index=index, clock=clock).ok


def test_an_interrupted_sync_resumes_where_it_stopped(
    backend: tuple[Engine, IndexFactory], clock: FrozenClock
) -> None:
    engine, make = backend
    store_search_events(engine)
    index = make()

    class FailsAfterTwoBatches(HashingEmbedder):
        def embed(self, texts: Sequence[str]) -> np.ndarray:
            if self.calls == 2:
                raise RuntimeError("power cut")
            return super().embed(texts)

    with pytest.raises(RuntimeError):
        sync_index(
            uow_factory=uow_factory(engine),
            index=index,
            embedder=FailsAfterTwoBatches(),
            clock=clock,
            batch_size=10,
        )
    assert len(index.content_hashes()) == 20
    report = check_parity(uow_factory=uow_factory(engine), index=index, clock=clock)
    assert len(report.missing) == report.rows - 20
    resumed = sync_index(
        uow_factory=uow_factory(engine), index=index, embedder=HashingEmbedder(), clock=clock
    )
    assert resumed.embedded == report.rows - 20
    assert check_parity(uow_factory=uow_factory(engine), index=index, clock=clock).ok


def test_fresh_sync_rebuilds_for_a_new_model(
    backend: tuple[Engine, IndexFactory], clock: FrozenClock
) -> None:
    engine, make = backend
    store_search_events(engine, search_event_records()[:30])
    sync_index(
        uow_factory=uow_factory(engine), index=make(), embedder=HashingEmbedder(), clock=clock
    )
    new_model = HashingEmbedder(model_name="test/other")
    index = make(model="test/other")
    report = check_parity(uow_factory=uow_factory(engine), index=index, clock=clock)
    assert not report.model_ok
    assert not report.ok
    rebuilt = sync_index(
        uow_factory=uow_factory(engine), index=index, embedder=new_model, clock=clock, fresh=True
    )
    assert rebuilt.embedded == rebuilt.indexed == 30
    assert check_parity(uow_factory=uow_factory(engine), index=index, clock=clock).ok


def test_chroma_in_an_unusable_directory_raises_search_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("occupied")
    index = ChromaIndex(blocker, model_name="test/hashing", dimension=384)
    with pytest.raises(SearchError) as err:
        index.query(vec(1), k=3)
    assert err.value.code == "vector_index_unavailable"


def test_pgvector_needs_postgresql(sqlite_engine: Engine) -> None:
    with pytest.raises(SearchError) as err:
        PgVectorIndex(sqlite_engine, model_name="m", dimension=384).query(vec(1), k=3)
    assert err.value.code == "vector_backend_unsupported"


@pytest.mark.postgres
def test_both_backends_agree_on_the_top_twenty(
    pg_engine: Engine, tmp_path: Path, clock: FrozenClock
) -> None:
    store_search_events(pg_engine)
    embedder = HashingEmbedder()
    chroma = ChromaIndex(tmp_path / "chroma", model_name=embedder.model_name, dimension=384)
    pgvector = PgVectorIndex(pg_engine, model_name=embedder.model_name, dimension=384)
    for index in (chroma, pgvector):
        sync_index(uow_factory=uow_factory(pg_engine), index=index, embedder=embedder, clock=clock)
        assert check_parity(uow_factory=uow_factory(pg_engine), index=index, clock=clock).ok
    assert compare_backends(chroma, pgvector, embedder) >= 0.95


def test_after_store_hook_embeds_only_the_stored_batch(
    backend: tuple[Engine, IndexFactory], clock: FrozenClock
) -> None:
    engine, make = backend
    ids = store_search_events(engine)
    index = make()
    embedder = HashingEmbedder()
    hook = after_store_hook(
        uow_factory=uow_factory(engine), index=index, embedder=embedder, clock=clock
    )
    batch = [ids["hamilton-broadway"], ids["nutcracker-lincoln-center"]]
    hook(batch)
    assert set(index.content_hashes()) == set(batch)
    with engine.begin() as conn:
        conn.execute(update(events).where(events.c.id == batch[0]).values(duplicate_of_id=batch[1]))
    hook([batch[0], ids["past-fall-festival"]])
    assert set(index.content_hashes()) == {batch[1]}


def test_chroma_selective_filter_still_fills_k_with_passing_rows(tmp_path: Path) -> None:
    """One in ten rows passes: the over-fetch grows (or falls back) instead of
    returning the few passing rows of the first k * OVERFETCH."""
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((400, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    index.upsert(
        [IndexedEvent(n + 1, v, f"h{n}", price_min=float(n % 10)) for n, v in enumerate(vectors)]
    )
    query = vectors[7] + vectors[8]
    query /= np.linalg.norm(query)
    cheap = VectorFilter(max_price=0.5)
    hits = index.query(query, k=5, where=cheap)
    passing = [n for n in range(400) if n % 10 == 0]
    best = sorted(passing, key=lambda n: -float(vectors[n] @ query))[:5]
    assert [h.event_id for h in hits] == [n + 1 for n in best]


@pytest.mark.parametrize(
    ("max_overfetch", "max_exact", "way"),
    [(10_000, 0, "unfiltered nearest"), (0, 10_000, "exact"), (0, 0, "allowed ids")],
)
def test_chroma_selective_filters_return_exactly_the_nearest_passing_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_overfetch: int, max_exact: int, way: str
) -> None:
    """Each way a filtered query can take (the table of filter fields read from Chroma's
    SQLite file, then unfiltered over-fetch, exact comparison or allowed ids) returns
    the k nearest rows among those passing every filter a user can set, and no other."""
    from yescount.search import chroma_index

    monkeypatch.setattr(chroma_index, "MAX_OVERFETCH", max_overfetch)
    monkeypatch.setattr(chroma_index, "MAX_EXACT", max_exact)
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((600, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    days = [20261201 + n % 28 for n in range(600)]
    prices = [float(n % 7) * 10 - (1 if n % 13 == 0 else 0) for n in range(600)]
    index = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    index.upsert(
        [
            IndexedEvent(
                n + 1,
                v,
                f"h{n}",
                first_day=days[n],
                last_day=days[n] + (n % 3),
                price_min=prices[n],
            )
            for n, v in enumerate(vectors)
        ]
    )
    week = (date(2026, 12, 20), date(2026, 12, 27))
    filters = [
        VectorFilter(max_price=15.0),
        VectorFilter(window=week),
        VectorFilter(window=week, max_price=15.0),
        VectorFilter(window=(date(2026, 12, 5), date(2026, 12, 5)), max_price=0.0),
        VectorFilter(window=(date(2027, 3, 1), date(2027, 3, 2))),
    ]
    for n, where in enumerate(filters):
        query = vectors[n] + vectors[n + 40]
        query /= np.linalg.norm(query)

        def passes(row: int, where: VectorFilter = where) -> bool:
            if where.window is not None:
                start, end = (d.year * 10_000 + d.month * 100 + d.day for d in where.window)
                if days[row] > end or days[row] + (row % 3) < start:
                    return False
            return where.max_price is None or prices[row] <= where.max_price

        exact = {r + 1: float(vectors[r] @ query) for r in range(600) if passes(r)}
        best = sorted(exact, key=lambda i: -exact[i])[:10]
        hits = index.query(query, k=10, where=where)
        found = [h.event_id for h in hits]
        tolerance = 1e-4
        if way == "exact":
            # Compared on the remembered 8-bit codes (chroma_vectors.py: a similarity moves
            # by at most ~2e-3): rows nearer than that to the 10th may trade places.
            tolerance = 3e-3
            assert len(found) == len(best), (way, where)
            assert all(i in exact and exact[i] >= exact[best[-1]] - 2 * tolerance for i in found)
            similarities = [h.similarity for h in hits]
            assert similarities == sorted(similarities, reverse=True)
        else:
            assert found == best, (way, where)
        for hit in hits:
            assert hit.similarity == pytest.approx(exact[hit.event_id], abs=tolerance)


def test_chroma_filter_failing_near_the_query_widens_the_unfiltered_fetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most rows pass, but none of those nearest the query (expensive events near a
    query about them): the unfiltered fetch widens until k passing rows turn up."""
    from yescount.search import chroma_index

    monkeypatch.setattr(chroma_index, "MAX_EXACT", 0)
    rng = np.random.default_rng(9)
    direction = rng.standard_normal(384).astype(np.float32)
    direction /= np.linalg.norm(direction)
    vectors = rng.standard_normal((400, 384)).astype(np.float32) * 0.02
    vectors[:100] += direction
    vectors[100:] += rng.standard_normal((300, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    index.upsert(
        [
            IndexedEvent(n + 1, v, f"h{n}", price_min=90.0 if n < 100 else 10.0)
            for n, v in enumerate(vectors)
        ]
    )
    seen: list[int] = []
    unfiltered = index._query

    def counted(vector: np.ndarray, k: int, where: object, **kw: object) -> list[VectorHit]:
        seen.append(k)
        return unfiltered(vector, k, where, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "_query", counted)
    hits = index.query(direction, k=10, where=VectorFilter(max_price=20.0))
    best = sorted(range(100, 400), key=lambda r: -float(vectors[r] @ direction))[:10]
    assert [h.event_id for h in hits] == [r + 1 for r in best]
    assert len(seen) > 1
    assert seen == sorted(seen)


def test_chroma_filters_without_a_readable_table_use_chromas_own_filter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Chroma file of another layout: filtered queries still answer, through Chroma's
    where-filtered query."""
    import sqlite3

    from yescount.search import chroma_fields

    def unreadable(*_: object) -> None:
        raise sqlite3.OperationalError("no such table: embedding_metadata")

    monkeypatch.setattr(chroma_fields, "read_table", unreadable)
    index = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    index.upsert(
        [
            IndexedEvent(1, vec(1, 0), "a", price_min=10.0),
            IndexedEvent(2, vec(1, 0.1), "b", price_min=90.0),
            IndexedEvent(3, vec(1, 0.5), "c", price_min=-1.0),
        ]
    )
    hits = index.query(vec(1), k=3, where=VectorFilter(max_price=20.0))
    assert [h.event_id for h in hits] == [1, 3]


def test_chroma_opens_a_collection_built_with_other_graph_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Graph settings apply to new collections only: one built with the earlier
    settings still opens, answers and takes writes (``reindex --fresh`` rebuilds it)."""
    from yescount.search import chroma_index

    monkeypatch.setattr(
        chroma_index,
        "HNSW_CONSTRUCTION",
        {"space": "cosine", "ef_construction": 100, "max_neighbors": 16},
    )
    old = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    old.upsert([IndexedEvent(1, vec(1, 0), "a", price_min=10.0)])
    monkeypatch.undo()
    reopened = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    reopened.upsert([IndexedEvent(2, vec(0, 1), "b", price_min=30.0)])
    assert [h.event_id for h in reopened.query(vec(1, 0.2), k=2)] == [1, 2]
    cheap = VectorFilter(max_price=20.0)
    assert [h.event_id for h in reopened.query(vec(0, 1), k=2, where=cheap)] == [1]
    hnsw = (reopened._open().configuration or {}).get("hnsw") or {}
    assert hnsw.get("max_neighbors") == 16
    reopened.reset()
    hnsw = (reopened._open().configuration or {}).get("hnsw") or {}
    assert hnsw.get("max_neighbors") == chroma_index.HNSW_CONSTRUCTION["max_neighbors"]


@pytest.mark.postgres
def test_finish_bulk_rebuilds_an_hnsw_index_with_other_settings(pg_engine: Engine) -> None:
    from sqlalchemy import text

    from yescount.search.pgvector_index import HNSW_DDL, HNSW_INDEX, _graph_settings

    def definition() -> dict[str, int | str]:
        with pg_engine.connect() as conn:
            ddl = conn.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"), {"n": HNSW_INDEX}
            ).scalar()
        return _graph_settings(str(ddl))

    assert _graph_settings(HNSW_DDL) != {"m": 32, "ef_construction": 400}

    with pg_engine.begin() as conn:  # as migration 0002 created it
        conn.execute(text(f"DROP INDEX IF EXISTS {HNSW_INDEX}"))
        conn.execute(
            text(
                f"CREATE INDEX {HNSW_INDEX} ON event_embeddings USING hnsw "
                "(embedding vector_cosine_ops) WITH (m = 32, ef_construction = 400)"
            )
        )
    index = PgVectorIndex(pg_engine, model_name="test/hashing", dimension=384)
    index.finish_bulk()
    assert definition() == _graph_settings(HNSW_DDL)
    index.finish_bulk()  # settings match: kept
    assert definition() == _graph_settings(HNSW_DDL)

    graph = _graph_settings(HNSW_DDL)
    with pg_engine.begin() as conn:  # float32 vectors, the graph settings of HNSW_DDL
        conn.execute(text(f"DROP INDEX IF EXISTS {HNSW_INDEX}"))
        conn.execute(
            text(
                f"CREATE INDEX {HNSW_INDEX} ON event_embeddings USING hnsw "
                f"(embedding vector_cosine_ops) WITH (m = {graph['m']}, "
                f"ef_construction = {graph['ef_construction']})"
            )
        )
    assert definition()["ops"] == "vector_cosine_ops"
    index.finish_bulk()
    assert definition() == _graph_settings(HNSW_DDL)
    assert definition()["ops"] == "halfvec_cosine_ops"


def test_chroma_filters_see_writes_made_through_another_client(tmp_path: Path) -> None:
    """The filter fields are read again when another index object (another process)
    changed the collection: in the background, the query that noticed the change
    answering from the fields it had (search checks candidates in SQL anyway)."""
    reader = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    writer = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    writer.upsert([IndexedEvent(1, vec(1, 0), "a", price_min=10.0)])
    writer.upsert([IndexedEvent(2, vec(1, 1), "b", price_min=90.0)])
    cheap = VectorFilter(max_price=20.0)
    assert [h.event_id for h in reader.query(vec(1), k=2, where=cheap)] == [1]
    writer.upsert([IndexedEvent(1, vec(1, 0), "a2", price_min=50.0)])
    writer.upsert([IndexedEvent(2, vec(1, 1), "b2", price_min=15.0)])
    writer.upsert([IndexedEvent(3, vec(1, 2), "c", price_min=5.0)])
    assert [h.event_id for h in reader.query(vec(1), k=3, where=cheap)] == [1]  # as before
    reader._fields.wait(30)
    assert [h.event_id for h in reader.query(vec(1), k=3, where=cheap)] == [2, 3]


def test_chroma_filters_see_this_processs_writes_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes through the index patch its filter fields: the next filtered query sees
    new, changed and deleted rows without waiting for the file to be read again."""
    from yescount.search import chroma_fields

    index = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    index.upsert(
        [IndexedEvent(n, vec(1, n / 10), f"h{n}", 20261101, 20261101, 10.0) for n in (1, 2, 3)]
    )  # November
    cheap = VectorFilter(max_price=20.0)
    assert [h.event_id for h in index.query(vec(1), k=5, where=cheap)] == [1, 2, 3]
    index._fields.wait(30)
    reads: list[object] = []
    real_read = chroma_fields.read_table

    def slow_read(*args: object) -> chroma_fields.FieldTable:
        reads.append(args)
        time.sleep(0.5)  # the re-read is still running when the next query comes
        return real_read(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(chroma_fields, "read_table", slow_read)
    index.upsert(
        [
            IndexedEvent(2, vec(1, 0.2), "h2b", price_min=90.0),  # now too dear
            IndexedEvent(4, vec(1, 0.4), "h4", price_min=-1.0),  # new, price unknown
            IndexedEvent(5, vec(1, 0.5), "h5", first_day=20261220, last_day=20261220),
        ]
    )
    index.delete([3])
    assert [h.event_id for h in index.query(vec(1), k=5, where=cheap)] == [1, 4, 5]
    week = VectorFilter(window=(date(2026, 12, 19), date(2026, 12, 21)), max_price=20.0)
    assert [h.event_id for h in index.query(vec(1), k=5, where=week)] == [4, 5]
    index._fields.wait(30)
    assert len(reads) == 1  # one background re-read, whatever the number of queries
    assert [h.event_id for h in index.query(vec(1), k=5, where=cheap)] == [1, 4, 5]


def test_chroma_similarities_see_writes_made_through_another_client(tmp_path: Path) -> None:
    """Remembered vectors serve repeated candidates and are dropped when the collection
    changes, whichever index object (process) wrote."""
    reader = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    writer = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    writer.upsert([IndexedEvent(1, vec(1, 0), "a"), IndexedEvent(2, vec(0, 1), "b")])
    first = reader.similarities(vec(1, 0), [1, 2, 3])
    assert first == pytest.approx({1: 1.0, 2: 0.0}, abs=1e-4)
    assert reader.similarities(vec(1, 0), [2, 1, 2]) == pytest.approx({2: 0.0, 1: 1.0}, abs=1e-4)
    writer.upsert([IndexedEvent(2, vec(1, 0), "b2")])
    writer.delete([1])
    assert reader.similarities(vec(1, 0), [1, 2]) == pytest.approx({2: 1.0}, abs=1e-4)


def test_chroma_remembers_every_vector_at_warm_up_and_after_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``remember_vectors`` reads every stored vector, a page at a time: similarities
    then fetch nothing from Chroma, until a write changes the collection; then they
    fetch what they need until the files stay quiet and everything is read again."""
    from yescount.search import chroma_index, chroma_vectors

    monkeypatch.setattr(chroma_index, "_PAGE", 4)  # 10 rows: three pages
    monkeypatch.setattr(chroma_vectors, "REFILL_QUIET_S", 0.05)
    index = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    index.upsert([IndexedEvent(n, vec(1.0, n), f"h{n}") for n in range(1, 11)])
    assert index.remember_vectors() == 10
    fetched: list[list[int]] = []
    fetch = index._fetch_vectors

    def counted(ids: list[int]) -> object:
        fetched.append(ids)
        return fetch(ids)

    monkeypatch.setattr(index, "_fetch_vectors", counted)
    sims = index.similarities(vec(1.0, 3), [3, 7, 10])
    assert fetched == []
    expected = {n: float(vec(1.0, n) @ vec(1.0, 3)) for n in (3, 7, 10)}
    assert sims == pytest.approx(expected, abs=2e-3)  # remembered as 8-bit codes
    index.upsert([IndexedEvent(7, vec(0.0, 1.0), "h7b")])
    assert index.similarities(vec(0.0, 1.0), [7])[7] == pytest.approx(1.0, abs=2e-3)
    assert fetched == [[7]]  # the write dropped what was remembered...
    refill = index._vectors._refill
    assert refill is not None
    refill.join(30)  # ...and once the files stayed quiet, every vector was read again
    assert index._vectors.complete
    index.similarities(vec(1.0, 3), [3, 7, 10])
    assert fetched == [[7]]


def test_chroma_records_a_wider_search_for_a_large_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes record the ef_search the collection's size calls for; later opens load it
    (a loaded graph keeps the ef_search it was loaded with)."""
    from yescount.search import chroma_index

    monkeypatch.setattr(chroma_index, "LARGE_COLLECTION", 10)

    def stored(index: ChromaIndex) -> object:
        return (index._open().configuration or {}).get("hnsw", {}).get("ef_search")

    writer = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    items = [IndexedEvent(event_id=n + 1, vector=vec(1.0, n), content_hash="h") for n in range(9)]
    writer.upsert(items)
    assert stored(writer) == chroma_index.DEFAULT_EF_SEARCH
    writer.upsert([IndexedEvent(event_id=10, vector=vec(1.0, 10), content_hash="h")])
    assert stored(writer) == chroma_index.LARGE_EF_SEARCH
    reader = ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)
    assert stored(reader) == chroma_index.LARGE_EF_SEARCH
    assert reader.query(vec(1.0, 10), k=1)[0].event_id == 10
    swept = ChromaIndex(
        tmp_path / "chroma", model_name="test/hashing", dimension=384, ef_search=123
    )
    assert stored(swept) == 123

    def fresh() -> ChromaIndex:
        return ChromaIndex(tmp_path / "chroma", model_name="test/hashing", dimension=384)

    assert stored(fresh()) == 123
    fresh().finish_bulk()
    assert stored(fresh()) == chroma_index.LARGE_EF_SEARCH


@pytest.mark.postgres
def test_pgvector_searches_wider_on_a_large_table(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yescount.search import pgvector_index

    def chosen(ef: int | None = None) -> int:
        with pg_engine.connect() as conn:
            index = PgVectorIndex(pg_engine, model_name="m", dimension=384, ef_search=ef)
            return index._ef_search(conn)

    assert chosen() == pgvector_index.SMALL_EF_SEARCH  # an empty table
    monkeypatch.setattr(pgvector_index, "LARGE_TABLE", 0)
    assert chosen() == pgvector_index.DEFAULT_EF_SEARCH
    assert chosen(77) == 77
