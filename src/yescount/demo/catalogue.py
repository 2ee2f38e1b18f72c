"""The demo catalogue: read, validate and date the hand-written demo events (no DB).

The catalogue (``yescount/demo/demo_events.yaml``, documented in its header) holds
schedules relative to the load day, so ``build_records(today)`` always yields events
spread over the next six weeks. Prices follow SPEC §3: ``(min, max)`` with NULL =
unknown and 0 = free. "Pay what you wish" is stored as ``(0, suggested amount)``
because ``(0, NULL)`` reads as free, which it is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time
from decimal import Decimal
from importlib import resources
from typing import Annotated, Any, Self
from urllib.parse import urlsplit

import pydantic
import yaml
from pydantic import Field, field_validator, model_validator

from yescount.demo.schedule import (
    MAX_OFFSET,
    Dates,
    MultipleSpec,
    SpecModel,
    UnclearSpec,
    multiple_dates,
    parse_range,
    range_dates,
    single_dates,
    unclear_dates,
)
from yescount.domain.events import VIBE_TAGS, WEBSITE_SOURCES, EventRecord
from yescount.errors import ValidationError

CATALOGUE_FILE = "demo_events.yaml"
EXTRACTION_METHOD = "demo"
# Prefixing stored ids keeps demo rows from ever colliding with ingested ones.
SOURCE_ID_PREFIX = "demo-"
IMAGE_BASE_URL = "https://images.yescount.example/demo/"
ERROR_CODE = "demo_catalogue_invalid"

# Host (and path prefix) each source's listing URLs live on. anisah_immersive has no
# public domain in the spec, so its demo URLs use a reserved .example domain.
SOURCE_URL_PREFIXES: Mapping[str, str] = {
    "secretnyc": "https://secretnyc.co/",  # pragma: allowlist secret (a site name)
    "timeout_newyork": "https://www.timeout.com/newyork/",
    "hiddennyc": "https://hiddennyc.net/",
    "untappedcities": "https://untappedcities.com/",
    "fever_newyork": "https://feverup.com/",
    "anisah_immersive": "https://anisah-immersive.example/",
}

_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_AMOUNT = r"\$?(\d+(?:\.\d{1,2})?)"
_PRICE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("pwyw", re.compile(rf"^pay what you wish,\s*suggested\s+{_AMOUNT}$", re.IGNORECASE)),
    ("from", re.compile(rf"^from\s+{_AMOUNT}$", re.IGNORECASE)),
    ("range", re.compile(rf"^{_AMOUNT}\s*[-–]\s*{_AMOUNT}$")),
    ("fixed", re.compile(rf"^{_AMOUNT}$")),
)
_TIME = re.compile(r"^(\d{1,2}:\d{2})(?:\s*-\s*(\d{1,2}:\d{2}))?$")

PriceRange = tuple[Decimal | None, Decimal | None]


def parse_price(value: object) -> PriceRange:
    """Catalogue price text -> ``(min, max)``; raises ValueError naming the accepted forms."""
    if isinstance(value, bool):
        raise ValueError("price must be text or a number, not true/false")
    if isinstance(value, int | float):
        amount = Decimal(str(value))
        return amount, amount
    text = str(value).strip()
    if text.lower() == "free":
        return Decimal(0), Decimal(0)
    if text.lower() == "unknown":
        return None, None
    for kind, pattern in _PRICE_PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        amounts = [Decimal(g) for g in match.groups()]
        if kind == "pwyw":
            return Decimal(0), amounts[0]
        if kind == "from":
            return amounts[0], None
        if kind == "range" and amounts[0] >= amounts[1]:
            raise ValueError(f"price range {text!r} must go from low to high")
        return amounts[0], amounts[-1]
    raise ValueError(
        f"price {text!r} is not one of: free, unknown, $25, $15–$40, from $35, "
        "pay what you wish, suggested $20"
    )


def parse_time(value: object) -> tuple[time, time | None]:
    """``"19:30"`` or ``"19:30-22:00"`` -> (start, end)."""
    if not isinstance(value, str):
        raise ValueError('time must be quoted text such as "19:30" (YAML reads 19:30 as a number)')
    match = _TIME.match(value.strip())
    if match is None:
        raise ValueError(f"time {value!r} must look like '19:30' or '19:30-22:00'")
    start = time.fromisoformat(match.group(1).zfill(5))
    end = time.fromisoformat(match.group(2).zfill(5)) if match.group(2) else None
    if end is not None and end <= start:
        raise ValueError(f"time {value!r} must end after it starts")
    return start, end


WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def snap_to_named_weekday(title: str, offset: int, today: date) -> int:
    """A one-day event whose title names a weekday ("Saturday Night …") falls on it:
    the offset moves forward (≤ 6 days) to the first such weekday."""
    words = title.lower()
    named = [i for i, name in enumerate(WEEKDAY_NAMES) if name in words]
    if len(named) != 1:
        return offset
    day = today.toordinal() + offset
    while date.fromordinal(day).weekday() != named[0]:
        day += 1
    return day - today.toordinal()


class DemoEntry(SpecModel):
    """One validated catalogue entry (schedule still relative to the load day)."""

    source: str
    id: str = Field(pattern=_SLUG, max_length=120)
    title: str = Field(min_length=3, max_length=80)
    description: str = Field(min_length=20, max_length=600)
    location: str = Field(min_length=3, max_length=200)
    url: str = Field(max_length=500)
    tags: tuple[str, ...] = Field(min_length=1)
    price: PriceRange = (None, None)
    time_: tuple[time, time | None] | None = Field(default=None, alias="time")
    image: bool = True
    single: Annotated[int, Field(ge=0, le=MAX_OFFSET)] | None = None
    range_: str | None = Field(default=None, alias="range")
    multiple: MultipleSpec | None = None
    unclear: str | UnclearSpec | None = None

    @field_validator("price", mode="before")
    @classmethod
    def _price(cls, value: object) -> PriceRange:
        return parse_price(value)

    @field_validator("time_", mode="before")
    @classmethod
    def _time(cls, value: object) -> tuple[time, time | None] | None:
        return None if value is None else parse_time(value)

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        if value not in WEBSITE_SOURCES:
            raise ValueError(f"unknown source {value!r}; use one of {', '.join(WEBSITE_SOURCES)}")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [t for t in value if t not in VIBE_TAGS]
        if unknown:
            raise ValueError(f"unknown vibe tags {unknown}; the vocabulary is {list(VIBE_TAGS)}")
        if len(set(value)) != len(value):
            raise ValueError("tags repeat")
        return value

    @field_validator("range_")
    @classmethod
    def _range(cls, value: str | None) -> str | None:
        if value is not None:
            parse_range(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        given = [self.single, self.range_, self.multiple, self.unclear]
        if sum(v is not None for v in given) != 1:
            raise ValueError("give exactly one schedule: single, range, multiple or unclear")
        prefix = SOURCE_URL_PREFIXES[self.source]
        if not self.url.startswith(prefix) or len(self.url) <= len(prefix):
            raise ValueError(f"url must be an https page under {prefix}")
        if urlsplit(self.url).netloc != urlsplit(prefix).netloc:
            raise ValueError(f"url host must be {urlsplit(prefix).netloc}")
        is_free = self.price == (Decimal(0), Decimal(0))
        if is_free != ("free" in self.tags):
            raise ValueError('the "free" tag goes on free events, and only on them')
        return self

    def dates(self, today: date) -> Dates:
        """This entry's schedule made absolute for ``today``."""
        if self.single is not None:
            offset = snap_to_named_weekday(self.title, self.single, today)
            return single_dates(offset, today, self.time_[0] if self.time_ else None)
        if self.range_ is not None:
            return range_dates(self.range_, today)
        if self.multiple is not None:
            return multiple_dates(self.multiple, today)
        assert self.unclear is not None
        return unclear_dates(self.unclear, today)

    def to_record(self, today: date) -> EventRecord:
        """The event as stored when the demo set is loaded on ``today``."""
        when = self.dates(today)
        return EventRecord(
            source=self.source,
            source_id=SOURCE_ID_PREFIX + self.id,
            title=self.title,
            url=self.url,
            date_status=when.status,
            extraction_method=EXTRACTION_METHOD,
            description=" ".join(self.description.split()),
            date_start=when.start,
            date_end=when.end,
            time_start=self.time_[0] if self.time_ else None,
            time_end=self.time_[1] if self.time_ else None,
            date_confidence=when.confidence,
            date_evidence=when.evidence,
            location=self.location,
            price_min=self.price[0],
            price_max=self.price[1],
            image_url=f"{IMAGE_BASE_URL}{self.source}-{self.id}.jpg" if self.image else None,
            vibe_tags=self.tags,
            raw_payload={"demo_catalogue": CATALOGUE_FILE, "schedule": when.rule},
            is_demo=True,
        )


def catalogue_text() -> str:
    """The packaged catalogue, found through importlib.resources (works when installed)."""
    return resources.files("yescount.demo").joinpath(CATALOGUE_FILE).read_text("utf-8")


def load_catalogue(text: str | None = None) -> tuple[DemoEntry, ...]:
    """Parse and validate the catalogue (the packaged one unless ``text`` is given)."""
    try:
        document = yaml.safe_load(catalogue_text() if text is None else text)
    except yaml.YAMLError as exc:
        raise _invalid(f"not valid YAML: {exc}") from exc
    raw_entries = document.get("events") if isinstance(document, dict) else None
    if not isinstance(raw_entries, list) or not raw_entries:
        raise _invalid("expected a top-level `events:` list with at least one entry")
    entries = tuple(_entry(number, raw) for number, raw in enumerate(raw_entries, start=1))
    _check_unique(entries)
    return entries


def build_records(today: date, entries: Sequence[DemoEntry] | None = None) -> list[EventRecord]:
    """Every demo event as stored when loaded on ``today`` (same ``today`` -> same records)."""
    chosen = load_catalogue() if entries is None else entries
    return [entry.to_record(today) for entry in chosen]


def _entry(number: int, raw: object) -> DemoEntry:
    label = _label(number, raw)
    if not isinstance(raw, dict):
        raise _invalid(f"{label} must be a mapping of fields", entry=number)
    try:
        return DemoEntry.model_validate(raw)
    except pydantic.ValidationError as exc:
        problems = "; ".join(_describe(error) for error in exc.errors()[:3])
        raise _invalid(f"{label}: {problems}", entry=number) from exc


def _describe(error: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()))
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _label(number: int, raw: object) -> str:
    if isinstance(raw, dict):
        return f"entry #{number} ({raw.get('source', '?')}/{raw.get('id', '?')})"
    return f"entry #{number}"


def _check_unique(entries: Iterable[DemoEntry]) -> None:
    seen_keys: dict[tuple[str, str], int] = {}
    seen_urls: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        key = (entry.source, entry.id)
        if key in seen_keys:
            raise _invalid(
                f"entry #{number} ({entry.source}/{entry.id}) repeats entry #{seen_keys[key]}",
                entry=number,
            )
        if entry.url in seen_urls:
            raise _invalid(
                f"entry #{number} ({entry.source}/{entry.id}) reuses the url of entry "
                f"#{seen_urls[entry.url]}",
                entry=number,
            )
        seen_keys[key] = seen_urls[entry.url] = number


def _invalid(message: str, **details: Any) -> ValidationError:
    return ValidationError(
        f"Demo catalogue {CATALOGUE_FILE}: {message}", code=ERROR_CODE, details=details
    )
