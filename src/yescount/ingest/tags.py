"""Vibe tags from a vocabulary file (``config/vibe_tags.yaml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from yescount.domain.events import VIBE_TAGS
from yescount.errors import ConfigError

_TOKEN = re.compile(r"[\w-]+")


@dataclass(frozen=True, slots=True)
class TagVocabulary:
    """Compiled keyword patterns per vibe tag, in the product's tag order."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    # The same keywords split for speed: one-token keywords ("immersive", "walk-through")
    # as a set, tested against the text's tokens, and a pattern of the others ("r&b").
    fast: tuple[tuple[str, frozenset[str], re.Pattern[str] | None], ...] = ()

    def tag(
        self, text: str, *, price_min: Decimal | None, price_max: Decimal | None
    ) -> tuple[str, ...]:
        """Tags whose keywords appear in ``text``; ``free`` also when the price is 0."""
        lowered = text.lower()
        if self.fast:
            # A keyword bounded by non-[\w-] characters is exactly one maximal [\w-] run.
            tokens = set(_TOKEN.findall(lowered))
            found = {
                name
                for name, words, phrases in self.fast
                if not words.isdisjoint(tokens) or (phrases is not None and phrases.search(lowered))
            }
        else:
            found = {name for name, pattern in self.patterns if pattern.search(lowered)}
        if price_min == 0 and (price_max is None or price_max == 0):
            found.add("free")
        elif price_min is not None and price_min > 0:
            found.discard("free")
        return tuple(t for t in VIBE_TAGS if t in found)


def vocabulary_from_mapping(data: object, *, origin: str = "vibe tags") -> TagVocabulary:
    """Validate ``{"tags": {tag: [keyword, ...]}}`` and compile it."""
    tags = data.get("tags") if isinstance(data, dict) else None
    if not isinstance(tags, dict) or not tags:
        raise ConfigError(f"{origin}: expected a `tags:` mapping", code="vibe_tags_invalid")
    unknown = sorted(set(tags) - set(VIBE_TAGS))
    if unknown:
        raise ConfigError(
            f"{origin}: unknown tags {unknown}; allowed: {', '.join(VIBE_TAGS)}",
            code="vibe_tags_invalid",
        )
    compiled = []
    fast: list[tuple[str, frozenset[str], re.Pattern[str] | None]] = []
    for name in VIBE_TAGS:
        words = tags.get(name) or []
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ConfigError(
                f"{origin}: `{name}` must be a list of words", code="vibe_tags_invalid"
            )
        if words:
            compiled.append((name, _keyword_pattern(words)))
            single = frozenset(w.lower() for w in words if _TOKEN.fullmatch(w.lower()))
            others = [w for w in words if not _TOKEN.fullmatch(w.lower())]
            fast.append((name, single, _keyword_pattern(others) if others else None))
    return TagVocabulary(tuple(compiled), tuple(fast))


def _keyword_pattern(words: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def load_vocabulary(path: Path) -> TagVocabulary:
    """Read and validate the vocabulary file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"Cannot read vibe tags file {path}: {exc.strerror}", code="vibe_tags_missing"
        ) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML ({exc})", code="vibe_tags_invalid") from exc
    return vocabulary_from_mapping(data, origin=str(path))
