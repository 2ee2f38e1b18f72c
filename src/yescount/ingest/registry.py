"""The one list of source adapters, and the registry file bound to it."""

from __future__ import annotations

from pathlib import Path

from yescount.errors import ConfigError
from yescount.ingest.config import Registry, load_registry
from yescount.ingest.sources import (
    anisah_immersive,
    fever_newyork,
    generic,
    hiddennyc,
    nyc_open_data,
    secretnyc,
    timeout_newyork,
    untappedcities,
)
from yescount.ingest.sources.base import SourceAdapter

ADAPTERS: tuple[SourceAdapter, ...] = (
    secretnyc.ADAPTER,
    timeout_newyork.ADAPTER,
    hiddennyc.ADAPTER,
    untappedcities.ADAPTER,
    fever_newyork.ADAPTER,
    anisah_immersive.ADAPTER,
    nyc_open_data.ADAPTER,
)
_BY_NAME = {adapter.name: adapter for adapter in ADAPTERS}


def adapter_for(name: str) -> SourceAdapter:
    """The adapter of a source name (ConfigError when there is none)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(_BY_NAME))
        raise ConfigError(
            f"No adapter for source {name!r}; known: {known}", code="unknown_source"
        ) from None


def adapter_or_generic(name: str) -> SourceAdapter:
    """The adapter of a source name, or the generic one for a site with no module of its own."""
    return _BY_NAME.get(name, generic.ADAPTER)


def registry(path: Path) -> Registry:
    """Load ``sources.yaml``, checking that every source has an adapter."""
    return load_registry(path, adapters=frozenset(_BY_NAME))
