"""The cache port for generated text, and its key (a hash of the kind, model and prompt)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Protocol

# The SQL implementation is ``storage/repositories/llm_cache.py``; ``bootstrap`` wires it.
__all__ = ["TextCache", "cache_key"]


def cache_key(kind: str, model: str, prompt: Any) -> str:
    """SHA-256 over the kind, model and prompt (canonical JSON)."""
    body = json.dumps([kind, model, prompt], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class TextCache(Protocol):
    def get(self, key: str) -> str | None: ...

    def put(self, key: str, *, kind: str, model: str, response: str) -> None: ...
