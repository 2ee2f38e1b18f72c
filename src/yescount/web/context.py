"""Which settings (and clock) the Streamlit script runs with in this process.

The server registers its settings and container before it starts so the UI
and the JSON API share one engine; tests register theirs the same way. Without
a registration the script builds its container from the environment.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from yescount.bootstrap import Container
from yescount.config import Settings
from yescount.ports import Clock, system_clock


@dataclass(frozen=True)
class _Registration:
    settings: Settings
    clock: Clock
    container: Container | None


_current: _Registration | None = None


def configure(
    settings: Settings, *, clock: Clock | None = None, container: Container | None = None
) -> None:
    """Make ``settings`` (``clock``, ``container``) the ones the UI uses from now on."""
    global _current
    chosen = clock or (container.clock if container else system_clock)
    _current = _Registration(settings, chosen, container)


def reset() -> None:
    """Forget the registration (the environment applies again)."""
    global _current
    _current = None


def current_settings() -> Settings:
    """The registered settings, else settings read from the environment."""
    return _current.settings if _current else Settings.from_env()


def current_clock() -> Clock:
    return _current.clock if _current else system_clock


def registered_container() -> Container | None:
    """The container the server (or a test) built, if any."""
    return _current.container if _current else None


def cache_key() -> str:
    """Identifies the registration, so a cached container is rebuilt when it changes."""
    if _current is None:
        return "env"
    fingerprint = (
        _current.settings.model_dump_json()
        + repr(id(_current.clock))
        + repr(id(_current.container))
    )
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
