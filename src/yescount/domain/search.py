"""What a search may return and what the full-text side found (no SQL here).

``SearchFilters`` are the caller's constraints (window, price cap, tags, sources);
the search repository (``storage/repositories/search.py``) turns them into SQL and
the vector index gets the part it can apply itself (``VectorFilter``). A
``LexicalHit`` is one full-text match: the event id, the engine's score and the
canonical event when the repository loaded it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from yescount.domain.events import VIBE_TAGS, Event
from yescount.errors import ValidationError


@dataclass(frozen=True, slots=True)
class VectorFilter:
    """Filters pushed into the index so selective ones still fill the candidate list."""

    window: tuple[date, date] | None = None
    max_price: float | None = None

    @property
    def empty(self) -> bool:
        return self.window is None and self.max_price is None


@dataclass(frozen=True, slots=True)
class LexicalHit:
    """A matching event id, its engine score and (when loaded) the canonical event."""

    event_id: int
    score: float
    event: Event | None = None


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What a search may return: a date window (overlap), a price cap, tags and sources.

    ``date_from``/``date_to`` keep events that may happen on some day in between
    (undated events included). ``max_price`` keeps events whose lowest price is at
    most the cap (unknown prices included). ``vibe_tags`` keeps events with any of
    the tags. Events already over on ``today`` are left out unless ``include_past``.
    """

    date_from: date | None = None
    date_to: date | None = None
    max_price: Decimal | None = None
    vibe_tags: tuple[str, ...] = ()
    sources: tuple[str, ...] | None = None
    include_past: bool = False

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValidationError("The end date is before the start date.", code="invalid_window")
        if self.max_price is not None and self.max_price < 0:
            raise ValidationError("The price cap cannot be negative.", code="invalid_price")
        unknown = sorted(set(self.vibe_tags) - set(VIBE_TAGS))
        if unknown:
            raise ValidationError(
                f"Unknown vibe tags: {', '.join(unknown)}. Use: {', '.join(VIBE_TAGS)}.",
                code="invalid_vibe_tags",
            )

    @property
    def narrows(self) -> bool:
        """True when the caller asked for more than "upcoming, not a duplicate"."""
        return bool(
            self.date_from
            or self.date_to
            or self.max_price is not None
            or self.vibe_tags
            or self.sources is not None
        )

    def first_day(self, today: date) -> date | None:
        """Events over before this day are left out (None: past events stay)."""
        return self.date_from or (None if self.include_past else today)

    def with_max_price(self, cap: Decimal | None) -> SearchFilters:
        """The tighter of the current cap and ``cap``."""
        if cap is None or (self.max_price is not None and self.max_price <= cap):
            return self
        return replace(self, max_price=cap)

    def vector_filter(self, today: date) -> VectorFilter:
        """The explicit filters a vector index can apply itself.

        "Not over yet" is left to the join with the rows: the index drops expired
        events on every sync, and a filtered index scan is much slower.
        """
        window = None
        if self.date_from is not None or self.date_to is not None:
            start = self.date_from or (date.min if self.include_past else today)
            window = (start, self.date_to or date.max)
        cap = float(self.max_price) if self.max_price is not None else None
        return VectorFilter(window=window, max_price=cap)
