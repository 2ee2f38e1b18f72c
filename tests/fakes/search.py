"""In-memory search repository: the same filters as the SQL one, a crude word match.

Words match whole tokens, case-folded, with a trailing "s" dropped (the databases stem
properly); the score weighs a title match 10, a place 4 and a description 1, like the
SQLite BM25 weights. Good enough to drive ``services.search`` without a database.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date

from tests.fakes.planning import Tables
from yescount.domain.events import Event
from yescount.domain.search import LexicalHit, SearchFilters

_TOKEN = re.compile(r"[a-z0-9$]+")
_WEIGHTS = (10.0, 4.0, 1.0)


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _words(text: str | None) -> set[str]:
    return {_stem(w) for w in _TOKEN.findall((text or "").lower())}


def passes(event: Event, filters: SearchFilters, today: date, duplicates: Collection[int]) -> bool:
    """``repositories.search.filter_conditions`` over one event."""
    first = filters.first_day(today)
    last = event.last_day()
    return (
        event.id not in duplicates
        and (first is None or last is None or last >= first)
        and (
            filters.date_to is None
            or event.date_start is None
            or event.date_start <= filters.date_to
        )
        and (
            filters.max_price is None
            or event.price_min is None
            or event.price_min <= filters.max_price
        )
        and (filters.sources is None or event.source in filters.sources)
        and (not filters.vibe_tags or bool(set(filters.vibe_tags) & set(event.vibe_tags)))
    )


class FakeSearchRepository:
    def __init__(self, tables: Tables, database_key: str) -> None:
        self.t = tables
        self._key = database_key

    @property
    def database_key(self) -> str:
        return self._key

    def _passing(self, filters: SearchFilters, today: date) -> list[Event]:
        dup = self.t.duplicate_of
        return [e for _, e in sorted(self.t.events.items()) if passes(e, filters, today, dup)]

    def _ranked(
        self, terms: Sequence[str], filters: SearchFilters, today: date, *, every: bool
    ) -> list[LexicalHit]:
        wanted = [_stem(t) for t in terms]
        hits = []
        for event in self._passing(filters, today):
            fields = [_words(event.title), _words(event.location), _words(event.description)]
            found = [t for t in wanted if any(t in f for f in fields)]
            if not found or (every and len(found) < len(wanted)):
                continue
            score = sum(w for t in found for w, f in zip(_WEIGHTS, fields, strict=True) if t in f)
            hits.append(LexicalHit(event.id, score, event))
        hits.sort(key=lambda h: (-h.score, h.event_id))
        return hits

    def lexical_search(
        self, terms: Sequence[str], *, filters: SearchFilters, today: date, limit: int = 50
    ) -> list[LexicalHit]:
        if not terms:
            return []
        hits = self._ranked(terms, filters, today, every=True)[:limit]
        if len(terms) > 1 and len(hits) < limit // 2:
            found = {h.event_id for h in hits}
            extra = self._ranked(terms, filters, today, every=False)
            hits.extend(h for h in extra[:limit] if h.event_id not in found)
        return hits[:limit]

    def any_term_search(
        self, terms: Sequence[str], *, filters: SearchFilters, today: date, limit: int = 50
    ) -> list[LexicalHit]:
        terms = list(dict.fromkeys(t for t in terms if t.strip()))
        return self._ranked(terms, filters, today, every=False)[:limit] if terms else []

    def warm_counts(self, words: Sequence[str], concepts: Sequence[Sequence[str]]) -> None:
        return None  # the fake keeps no counts to warm

    def tagged(
        self, tags: Sequence[str], *, filters: SearchFilters, today: date, limit: int = 50
    ) -> list[LexicalHit]:
        wanted = set(tags)
        found = [e for e in self._passing(filters, today) if wanted & set(e.vibe_tags)]
        return [LexicalHit(e.id, 0.0, e) for e in found[:limit]]

    def browse(self, *, filters: SearchFilters, today: date, limit: int = 100) -> list[LexicalHit]:
        found = self._passing(filters, today)
        # Soonest first; on one day, open-ended (no end) first, then by end; undated last.
        found.sort(
            key=lambda e: (
                e.date_start is None,
                e.date_start or date.min,
                e.date_end is not None,
                e.date_end or date.min,
                e.id,
            )
        )
        return [LexicalHit(e.id, 0.0, e) for e in found[:limit]]

    def passing(
        self, ids: Collection[int], *, filters: SearchFilters, today: date
    ) -> dict[int, Event]:
        return {e.id: e for e in self._passing(filters, today) if e.id in ids}

    def indexable(self, today: date, *, ids: Collection[int] | None = None) -> list[Event]:
        found = self._passing(SearchFilters(), today)
        return [e for e in found if ids is None or e.id in ids]

    def titles_and_places(self) -> list[tuple[str, str | None]]:
        return [(e.title, e.location) for _, e in sorted(self.t.events.items())]
