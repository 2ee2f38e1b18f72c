"""The source registry file (``config/sources.yaml``): typed, validated on load."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError
from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from yescount.errors import ConfigError


class Politeness(BaseModel):
    """How gently one source's site is fetched."""

    model_config = ConfigDict(extra="forbid")

    per_host_delay_seconds: float = Field(2.0, ge=0)
    connect_timeout_seconds: float = Field(5.0, gt=0)
    read_timeout_seconds: float = Field(20.0, gt=0)
    max_retries: int = Field(3, ge=0, le=10)
    backoff_seconds: float = Field(1.0, ge=0)
    max_backoff_seconds: float = Field(60.0, ge=0)
    max_page_bytes: int = Field(10_000_000, ge=1024)
    respect_robots: bool = True


class FollowRule(BaseModel):
    """Which links of a start page lead to event pages, and how many to fetch."""

    model_config = ConfigDict(extra="forbid")

    pattern: str = Field(description="Regular expression an absolute link URL must match.")
    selector: str = Field("a[href]", description="CSS selector of candidate links.")
    max_pages: int = Field(10, ge=0, le=200)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value


class SocrataOptions(BaseModel):
    """NYC Open Data (Socrata SODA) settings; the dataset id may come from the environment."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = "https://data.cityofnewyork.us"
    dataset_id: str = ""
    date_field: str = Field("start_date_time", pattern=r"^[a-z_][a-z0-9_]*$")
    order_field: str = Field("event_id", pattern=r"^[a-z_][a-z0-9_]*$")
    page_size: int = Field(1000, ge=1, le=50_000)
    max_pages: int = Field(5, ge=1, le=100)


class SourceConfig(BaseModel):
    """One source of the registry."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    site: str
    start_urls: list[str] = Field(default_factory=list)
    required: bool = False
    enabled: bool = True
    follow: FollowRule | None = None
    politeness: Politeness = Field(default_factory=Politeness)
    socrata: SocrataOptions | None = None
    hint: str | None = Field(
        None,
        max_length=500,
        description="CSS selector of the item elements of this site's listing pages, when the "
        "generic block finder needs help (optional).",
    )
    cards: bool = Field(True, description="Whether this source's events may become voting cards.")
    notes: str = ""

    @field_validator("hint")
    @classmethod
    def _selector_parses(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            LexborHTMLParser("<p></p>").css(value)
        except SelectolaxError as exc:
            raise ValueError(f"not a valid CSS selector: {exc}") from exc
        return value


class Registry(BaseModel):
    """The whole file: defaults, the vibe-tag vocabulary path and the sources."""

    model_config = ConfigDict(extra="forbid")

    vibe_tags: Path = Path("vibe_tags.yaml")
    sources: list[SourceConfig]
    path: Path | None = None

    @property
    def card_sources(self) -> tuple[str, ...]:
        """Sources whose events may become voting cards (``cards: true``, the default)."""
        return tuple(s.name for s in self.sources if s.cards)

    def get(self, name: str) -> SourceConfig:
        """The named source, or ConfigError listing the known ones."""
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources)
        raise ConfigError(f"Unknown source {name!r}; known: {known}", code="unknown_source")

    @property
    def vibe_tags_path(self) -> Path:
        base = self.path.parent if self.path else Path()
        return self.vibe_tags if self.vibe_tags.is_absolute() else base / self.vibe_tags


def load_registry(path: Path) -> Registry:
    """Read ``sources.yaml``; every source must have a unique name.

    A source reads its pages with the adapter registered under its name when there
    is one, else with the generic HTML path (``yescount.ingest.registry``).
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"Cannot read the sources file {path}: {exc.strerror} (set SOURCES_CONFIG_PATH)",
            code="sources_config_missing",
        ) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML ({exc})", code="sources_config_invalid") from exc
    return registry_from_mapping(raw, path=path)


def registry_from_mapping(raw: Any, *, path: Path | None = None) -> Registry:
    """Validate an already-parsed registry mapping (defaults merged into each source)."""
    origin = str(path or "sources config")
    if not isinstance(raw, dict) or not isinstance(raw.get("sources"), list):
        raise ConfigError(f"{origin}: expected a `sources:` list", code="sources_config_invalid")
    defaults = raw.get("defaults", {}).get("politeness", {}) if raw.get("defaults") else {}
    sources = []
    for entry in raw["sources"]:
        if isinstance(entry, dict):
            entry = {**entry, "politeness": {**defaults, **(entry.get("politeness") or {})}}
        sources.append(entry)
    data = {k: v for k, v in raw.items() if k not in ("defaults", "sources")}
    try:
        registry = Registry(**data, sources=sources, path=path)
    except PydanticValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{origin}: {problems}", code="sources_config_invalid") from exc
    names = [s.name for s in registry.sources]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ConfigError(
            f"{origin}: duplicate sources {duplicated}", code="sources_config_invalid"
        )
    return registry
