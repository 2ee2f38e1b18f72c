"""Source adapters: one generic HTML path for every site, plus the few sources that are not HTML.

A source of ``sources.yaml`` reads its pages with the adapter registered under its
name when there is one (``nyc_open_data``: Socrata JSON rows), and with the generic
adapter otherwise — so a new site is ingested as soon as it is configured, with
an optional ``hint`` (CSS selector of its item elements) when its pages need one.
"""

from __future__ import annotations

from pathlib import Path

from yescount.ingest.config import Registry, load_registry
from yescount.ingest.sources import nyc_open_data
from yescount.ingest.sources.base import SourceAdapter
from yescount.ingest.sources.generic import GenericAdapter

ADAPTERS: tuple[SourceAdapter, ...] = (nyc_open_data.ADAPTER,)
_BY_NAME = {adapter.name: adapter for adapter in ADAPTERS}


def adapter_for(name: str, *, hint: str | None = None) -> SourceAdapter:
    """The adapter of a source: its own module when it has one, else the generic path."""
    own = _BY_NAME.get(name)
    return own if own is not None else GenericAdapter(name, hint=hint)


def registry(path: Path) -> Registry:
    """Load and validate ``sources.yaml``."""
    return load_registry(path)
