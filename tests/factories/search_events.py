"""The search fixture catalogue (tests/fixtures/search/*.yaml) as event records."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml
from sqlalchemy import Engine

from yescount.domain.events import DateStatus, EventRecord
from yescount.search.embedder import normalize
from yescount.storage.uow import UnitOfWork

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "search"
STORED_AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
WRITTEN_FOR = date(2026, 11, 25)


@dataclass(frozen=True, slots=True)
class LabelledQuery:
    text: str
    relevant: tuple[str, ...]


def _price(value: Any) -> tuple[Decimal | None, Decimal | None]:
    if value is None:
        return None, None
    text = str(value)
    if text == "free":
        return Decimal(0), Decimal(0)
    if text.startswith("from "):
        return Decimal(text[5:]), None
    low, _, high = text.partition("-")
    return Decimal(low), Decimal(high or low)


def _dates(value: str) -> tuple[DateStatus, date | None, date | None]:
    if value.startswith("unclear"):
        _, _, until = value.partition("..")
        return DateStatus.UNCLEAR, None, date.fromisoformat(until) if until else None
    status = DateStatus.SINGLE
    if value.startswith("multiple "):
        status, value = DateStatus.MULTIPLE, value.removeprefix("multiple ")
    first, _, last = value.partition("..")
    if last and status is DateStatus.SINGLE:
        status = DateStatus.RANGE
    return status, date.fromisoformat(first), date.fromisoformat(last) if last else None


def _record(item: dict[str, Any]) -> EventRecord:
    status, start, end = _dates(str(item["date"]))
    low, high = _price(item.get("price"))
    return EventRecord(
        source=item["source"],
        source_id=item["id"],
        title=item["title"],
        url=f"https://example.org/{item['source']}/{item['id']}",
        date_status=status,
        extraction_method="fixture",
        description=item["desc"],
        date_start=start,
        date_end=end,
        date_confidence=float(item.get("conf", 0.9)),
        location=item.get("loc"),
        price_min=low,
        price_max=high,
        image_url=f"https://images.example.org/{item['id']}.jpg",
        vibe_tags=tuple(item.get("tags", ())),
    )


def search_event_records(*, today: date | None = None) -> list[EventRecord]:
    """Every fixture event as a record, in file order.

    The file is written for 2026-11-25; ``today`` shifts every date by the same
    number of days (for tests that run against the real clock).
    """
    data = yaml.safe_load((FIXTURES / "events.yaml").read_text(encoding="utf-8"))
    records = [_record(item) for item in data["events"]]
    if today is None or today == WRITTEN_FOR:
        return records
    shift = today - WRITTEN_FOR
    return [
        replace(
            r,
            date_start=r.date_start + shift if r.date_start else None,
            date_end=r.date_end + shift if r.date_end else None,
        )
        for r in records
    ]


def labelled_queries() -> list[LabelledQuery]:
    data = yaml.safe_load((FIXTURES / "queries.yaml").read_text(encoding="utf-8"))
    return [LabelledQuery(q["q"], tuple(q["relevant"])) for q in data["queries"]]


def store_search_events(engine: Engine, records: list[EventRecord] | None = None) -> dict[str, int]:
    """Upsert the fixture events; returns slug -> database id."""
    ids: dict[str, int] = {}
    with UnitOfWork(engine) as uow:
        for record in records or search_event_records():
            ids[record.source_id], _ = uow.events.upsert(record, now=STORED_AT)
        uow.commit()
    return ids


class HashingEmbedder:
    """A deterministic stand-in for the model: a normalised bag of hashed words.

    Texts sharing words get similar vectors, so index behaviour is testable
    without loading the real model. ``fail`` makes every call raise.
    """

    def __init__(self, *, model_name: str = "test/hashing", dimension: int = 384) -> None:
        self._model = model_name
        self._dimension = dimension
        self.calls = 0
        self.fail = False

    @property
    def model_name(self) -> str:
        return self._model

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if self.fail:
            raise RuntimeError("embedder failure (test)")
        self.calls += 1
        rows = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.sha256(word.encode()).digest()
                seed = int.from_bytes(digest[:8], "little")
                rows[row] += np.random.default_rng(seed).standard_normal(self._dimension)
        return normalize(rows)

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        row: npt.NDArray[np.float32] = self.embed([text])[0]
        return row
