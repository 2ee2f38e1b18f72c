"""Parity: does a vector index hold exactly the canonical rows, made by the right model?

``check_parity`` lists ids missing from the index, extra ids and stale hashes;
``compare_backends`` measures how much two indexes agree on the top 20 of a
fixed query set (both are approximate, so a small disagreement is expected).
"""

from __future__ import annotations

from collections.abc import Sequence

from yescount.domain import newyork
from yescount.domain.indexing import ParityReport
from yescount.ports import Clock, UnitOfWorkFactory
from yescount.search.embedder import Embedder
from yescount.search.index import VectorIndex
from yescount.search.sync import indexable_events

TOP_K = 20

PARITY_QUERIES: tuple[str, ...] = (
    "free outdoor music in brooklyn",
    "cheap immersive art",
    "stand-up comedy night",
    "family friendly activities for kids",
    "jazz bar in the west village",
    "food festival with tastings",
    "rooftop party with a dj",
    "museum exhibit about history",
    "walking tour of hidden places",
    "theater show on broadway",
    "holiday market",
    "yoga in the park",
    "late night dance club",
    "wine tasting under $40",
    "art gallery opening",
    "pop-up experience in manhattan",
    "film screening outdoors",
    "sports game to watch with friends",
    "low-key evening with drinks",
    "light show and installations",
)


def check_parity(
    *, uow_factory: UnitOfWorkFactory, index: VectorIndex, clock: Clock
) -> ParityReport:
    """Compare ``index`` with the events that belong in it."""
    today = newyork.today(clock)
    info = index.info()
    wanted = {e.id: e.content_hash for e in indexable_events(uow_factory, today)}
    model_ok = info.model is None or info.model == index.model_name
    # A foreign model's vectors are not compared: the whole index must be rebuilt.
    current = index.content_hashes() if info.count and model_ok else {}
    return ParityReport(
        backend=index.backend,
        expected_model=index.model_name,
        stored_model=info.model,
        rows=len(wanted),
        indexed=len(current),
        missing=tuple(sorted(set(wanted) - set(current))),
        extra=tuple(sorted(set(current) - set(wanted))),
        stale=tuple(sorted(i for i, h in current.items() if i in wanted and wanted[i] != h)),
    )


def compare_backends(
    first: VectorIndex,
    second: VectorIndex,
    embedder: Embedder,
    *,
    queries: Sequence[str] = PARITY_QUERIES,
    k: int = TOP_K,
) -> float:
    """Mean share of the top-``k`` ids both indexes return for each query."""
    vectors = embedder.embed(list(queries))
    shares = []
    for vector in vectors:
        a = {h.event_id for h in first.query(vector, k=k)}
        b = {h.event_id for h in second.query(vector, k=k)}
        expected = max(len(a), len(b))
        shares.append(len(a & b) / expected if expected else 1.0)
    return round(sum(shares) / len(shares), 4) if shares else 1.0
