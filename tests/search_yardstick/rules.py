"""Relevance rules over event fields and the grade they give (format: blind_queries.yaml).

A clause answers YES, NO or UNKNOWN (the fields cannot settle it: unknown price,
no location, no start time). A query grades an event 2, 1 or 0:

- 0 when the concept is not met or a stated constraint (``require``) is broken;
- at most 1 when a constraint is UNKNOWN or a preference (``prefer``) is not YES;
- 2 otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import IntEnum

from tests.search_yardstick.fields import EventFields, EventLike, as_fields
from tests.search_yardstick.text import BOROUGHS, Places, Terms
from yescount.domain.events import VIBE_TAGS

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DAY_OFFSET = 60


class Verdict(IntEnum):
    """Ordered so that AND is ``min`` and OR is ``max``."""

    NO = 0
    UNKNOWN = 1
    YES = 2


def _yes_no(value: bool) -> Verdict:
    return Verdict.YES if value else Verdict.NO


@dataclass(frozen=True)
class Context:
    places: Places
    today: date | None


@dataclass(frozen=True)
class When:
    days: tuple[int, int] | None = None
    weekdays: frozenset[int] = frozenset()
    starts_after: time | None = None
    starts_before: time | None = None

    @classmethod
    def parse(cls, raw: object) -> When:
        spec = mapping_of(raw, "when", {"days", "weekdays", "starts_after", "starts_before"})
        days = _days(spec["days"]) if "days" in spec else None
        listed = list_of(spec["weekdays"], "when.weekdays") if "weekdays" in spec else ()
        weekdays = frozenset(_weekday(day) for day in listed)
        if weekdays and days is None:
            raise ValueError("when: weekdays need days: [first, last]")
        when = cls(days, weekdays, _clock(spec, "starts_after"), _clock(spec, "starts_before"))
        if when == cls():
            raise ValueError("when: give days and/or starts_after / starts_before")
        return when

    def verdict(self, fields: EventFields, today: date | None) -> Verdict:
        verdicts = [Verdict.YES]
        if self.days is not None:
            if today is None:
                raise ValueError("this query has a day rule: pass today=")
            first, last = (today + timedelta(days=offset) for offset in self.days)
            possible = fields.details.possible_dates(first, last)
            verdicts.append(_yes_no(any(self._weekday_fits(day) for day in possible)))
        start = fields.details.time_start
        if self.starts_after is not None or self.starts_before is not None:
            verdicts.append(self._start_verdict(start))
        return min(verdicts)

    def _start_verdict(self, start: time | None) -> Verdict:
        if start is None:
            return Verdict.UNKNOWN
        after = self.starts_after is None or start >= self.starts_after
        before = self.starts_before is None or start < self.starts_before
        return _yes_no(after and before)

    def _weekday_fits(self, day: date) -> bool:
        return not self.weekdays or day.weekday() in self.weekdays


_CLAUSE_KEYS = frozenset(
    {"any_tags", "text_any", "none_tags", "text_none", "all_of", "any_of", "borough"}
    | {"place_any", "max_price", "min_price", "free", "when"}
)


@dataclass(frozen=True)
class Clause:
    """Every key given must hold (see the header of blind_queries.yaml)."""

    any_tags: frozenset[str] = frozenset()
    text_any: Terms | None = None
    none_tags: frozenset[str] = frozenset()
    text_none: Terms | None = None
    all_of: tuple[Clause, ...] = ()
    any_of: tuple[Clause, ...] = ()
    borough: str | None = None
    place_any: Terms | None = None
    max_price: Decimal | None = None
    min_price: Decimal | None = None
    free: bool = False
    when: When | None = None

    @classmethod
    def parse(cls, raw: object, where: str = "clause") -> Clause:
        spec = mapping_of(raw, where, _CLAUSE_KEYS)
        if not spec:
            raise ValueError(f"{where}: an empty clause says nothing; leave it out")
        if "free" in spec and spec["free"] is not True:
            raise ValueError(f"{where}: free must be true (leave it out otherwise)")
        return cls(
            any_tags=_tags(spec.get("any_tags")),
            text_any=_terms(spec.get("text_any")),
            none_tags=_tags(spec.get("none_tags")),
            text_none=_terms(spec.get("text_none")),
            all_of=_clauses(spec.get("all_of"), f"{where}.all_of"),
            any_of=_clauses(spec.get("any_of"), f"{where}.any_of"),
            borough=_borough(spec.get("borough")),
            place_any=_terms(spec.get("place_any")),
            max_price=_price(spec.get("max_price"), "max_price"),
            min_price=_price(spec.get("min_price"), "min_price"),
            free="free" in spec,
            when=When.parse(spec["when"]) if "when" in spec else None,
        )

    def verdict(self, fields: EventFields, context: Context) -> Verdict:
        return min((check(fields, context) for check in self._checks()), default=Verdict.YES)

    def _checks(self) -> Iterable[Callable[[EventFields, Context], Verdict]]:
        if self.any_tags or self.text_any:
            yield self._signal
        if self.none_tags or self.text_none:
            yield self._absent
        for sub in self.all_of:
            yield sub.verdict
        if self.any_of:
            yield lambda f, c: max(sub.verdict(f, c) for sub in self.any_of)
        if self.borough is not None or self.place_any is not None:
            yield self._place
        if self.max_price is not None or self.min_price is not None:
            yield lambda f, c: _price_verdict(f, self.max_price, self.min_price)
        if self.free:
            yield lambda f, c: _free_verdict(f)
        if self.when is not None:
            yield self._when

    def _when(self, fields: EventFields, context: Context) -> Verdict:
        return self.when.verdict(fields, context.today) if self.when else Verdict.YES

    def _signal(self, fields: EventFields, context: Context) -> Verdict:
        tagged = bool(self.any_tags & fields.tags)
        said = self.text_any is not None and self.text_any.found_in(fields.text)
        return _yes_no(tagged or said)

    def _absent(self, fields: EventFields, context: Context) -> Verdict:
        tagged = bool(self.none_tags & fields.tags)
        said = self.text_none is not None and self.text_none.found_in(fields.text)
        return _yes_no(not tagged and not said)

    def _place(self, fields: EventFields, context: Context) -> Verdict:
        if fields.location is None:
            return Verdict.UNKNOWN
        verdicts = [Verdict.YES]
        if self.place_any is not None:
            verdicts.append(_yes_no(self.place_any.found_in(fields.location)))
        if self.borough is not None:
            found = context.places.borough_of(fields.location)
            verdicts.append(Verdict.UNKNOWN if found is None else _yes_no(found == self.borough))
        return min(verdicts)


def _price_verdict(fields: EventFields, cap: Decimal | None, floor: Decimal | None) -> Verdict:
    low, high = fields.details.price_min, fields.details.price_max
    if low is None:
        return Verdict.UNKNOWN
    verdicts = [Verdict.YES]
    if cap is not None:
        verdicts.append(_yes_no(low <= cap))
    if floor is not None:
        verdicts.append(_yes_no((high if high is not None else low) >= floor))
    return min(verdicts)


def _free_verdict(fields: EventFields) -> Verdict:
    if fields.details.is_free or "free" in fields.tags:
        return Verdict.YES
    return Verdict.UNKNOWN if fields.details.price_min is None else Verdict.NO


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    kinds: tuple[str, ...] = ()
    concept: Clause | None = None
    require: Clause | None = None
    prefer: tuple[Clause, ...] = ()
    places: Places = field(default_factory=Places.from_table, compare=False)

    def grade(self, event: EventLike | EventFields, *, today: date | None = None) -> int:
        """2, 1 or 0 for this event (module docstring); ``today`` anchors day rules."""
        fields = as_fields(event)
        context = Context(self.places, today)
        if self.concept is not None and self.concept.verdict(fields, context) is not Verdict.YES:
            return 0
        stated = self.require.verdict(fields, context) if self.require else Verdict.YES
        if stated is Verdict.NO:
            return 0
        preferred = all(p.verdict(fields, context) is Verdict.YES for p in self.prefer)
        return 2 if stated is Verdict.YES and preferred else 1


def grade(query: Query, event: EventLike | EventFields, *, today: date | None = None) -> int:
    return query.grade(event, today=today)


def mapping_of(raw: object, where: str, allowed: Iterable[str]) -> Mapping[str, object]:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected a mapping, got {raw!r}")
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(map(str, unknown))}")
    return raw


def list_of(raw: object, where: str) -> Sequence[object]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: expected a non-empty list, got {raw!r}")
    return raw


def _tags(raw: object) -> frozenset[str]:
    if raw is None:
        return frozenset()
    tags = frozenset(str(tag) for tag in list_of(raw, "tags"))
    unknown = sorted(tags - set(VIBE_TAGS))
    if unknown:
        raise ValueError(f"unknown vibe tag(s) {', '.join(unknown)}; one of {', '.join(VIBE_TAGS)}")
    return tags


def _terms(raw: object) -> Terms | None:
    return None if raw is None else Terms.of(list_of(raw, "terms"))


def _clauses(raw: object, where: str) -> tuple[Clause, ...]:
    if raw is None:
        return ()
    return tuple(Clause.parse(item, f"{where}[{i}]") for i, item in enumerate(list_of(raw, where)))


def _borough(raw: object) -> str | None:
    if raw is None:
        return None
    if raw not in BOROUGHS:
        raise ValueError(f"unknown borough {raw!r}; one of {', '.join(BOROUGHS)}")
    return str(raw)


def _price(raw: object, name: str) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError(f"{name}: expected a number of dollars, got {raw!r}")
    try:
        amount = Decimal(str(raw))
    except InvalidOperation as exc:
        raise ValueError(f"{name}: expected a number of dollars, got {raw!r}") from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{name}: expected a number of dollars >= 0, got {raw!r}")
    return amount


def _days(raw: object) -> tuple[int, int]:
    given = list_of(raw, "when.days")
    offsets = [d for d in given if isinstance(d, int) and not isinstance(d, bool)]
    if len(offsets) != 2 or len(given) != 2:
        raise ValueError(f"when.days: expected [first, last] day offsets, got {raw!r}")
    first, last = offsets
    if not 0 <= first <= last <= MAX_DAY_OFFSET:
        raise ValueError(f"when.days: need 0 <= first <= last <= {MAX_DAY_OFFSET}, got {raw!r}")
    return first, last


def _weekday(raw: object) -> int:
    if raw not in WEEKDAYS:
        raise ValueError(f"unknown weekday {raw!r}; one of {', '.join(WEEKDAYS)}")
    return WEEKDAYS.index(str(raw))


def _clock(spec: Mapping[str, object], name: str) -> time | None:
    raw = spec.get(name)
    if raw is None:
        return None
    try:
        return time.fromisoformat(str(raw))
    except ValueError as exc:
        raise ValueError(f"when.{name}: expected HH:MM, got {raw!r}") from exc
