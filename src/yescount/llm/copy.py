"""Card titles/summaries and a one-paragraph search answer.

``ExtractiveCopywriter`` is the default and the fallback: it only cuts and
joins stored fields. ``OpenAICopywriter`` (with a key) asks a chat model,
prompted with stored fields only, caches every answer in the database and
falls back to the extractive copy on any failure or malformed answer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from yescount.domain.curation import SUMMARY_CHARS, TITLE_CHARS, card_summary, card_title
from yescount.domain.events import Event
from yescount.errors import YesCountError
from yescount.llm.cache import TextCache, cache_key
from yescount.llm.openai_http import OpenAIHttp
from yescount.observability import get_logger

DEFAULT_CHAT_MODEL = "gpt-4o-mini"
ANSWER_EVENTS = 5
ANSWER_CHARS = 600


@dataclass(frozen=True, slots=True)
class CardCopy:
    title: str
    summary: str
    generated: bool = False


class Copywriter(Protocol):
    def card_copy(self, event: Event) -> CardCopy: ...

    def search_answer(self, query: str, events: Sequence[Event]) -> str: ...


class ExtractiveCopywriter:
    """Deterministic copy cut from the stored fields."""

    def card_copy(self, event: Event) -> CardCopy:
        return CardCopy(card_title(event.title), card_summary(event))

    def search_answer(self, query: str, events: Sequence[Event]) -> str:
        if not events:
            return f"No events matched “{query}”. Try fewer or different words."
        parts = [_one_line(e) for e in events[:ANSWER_EVENTS]]
        lead = "Best match" if len(parts) == 1 else f"Top {len(parts)} matches"
        return f"{lead} for “{query}”: " + "; ".join(parts) + "."


def _one_line(event: Event) -> str:
    details = [event.schedule_label(), event.location, event.price_label()]
    return f"{card_title(event.title)} ({', '.join(d for d in details if d)})"


def _event_facts(event: Event) -> dict[str, Any]:
    """The stored fields a prompt may use — nothing else reaches the model."""
    return {
        "title": event.title,
        "description": event.description[:800],
        "location": event.location,
        "when": event.schedule_label(),
        "price": event.price_label(),
    }


class OpenAICopywriter:
    """Chat-model copy, cached; the extractive copy whenever anything goes wrong."""

    def __init__(
        self, http: OpenAIHttp, cache: TextCache, *, model: str = DEFAULT_CHAT_MODEL
    ) -> None:
        self._http = http
        self._cache = cache
        self._model = model
        self._fallback = ExtractiveCopywriter()

    def card_copy(self, event: Event) -> CardCopy:
        facts = _event_facts(event)
        messages = [
            {
                "role": "system",
                "content": "You write copy for event cards. Use only the facts given. "
                'Answer with JSON {"title": ..., "summary": ...}: a title of at most '
                f"{TITLE_CHARS} characters and a summary of at most {SUMMARY_CHARS} "
                "characters (two short lines). No invented details, no emojis.",
            },
            {"role": "user", "content": json.dumps(facts, ensure_ascii=False)},
        ]
        answer = self._complete("card_copy", messages, json_mode=True)
        parsed = _parse_card(answer) if answer else None
        return parsed or self._fallback.card_copy(event)

    def search_answer(self, query: str, events: Sequence[Event]) -> str:
        if not events:
            return self._fallback.search_answer(query, events)
        facts = [_event_facts(e) for e in events[:ANSWER_EVENTS]]
        messages = [
            {
                "role": "system",
                "content": "Answer the search in one short paragraph (at most "
                f"{ANSWER_CHARS} characters) using only the listed events. Mention titles "
                "exactly as given. Do not add facts that are not listed.",
            },
            {"role": "user", "content": json.dumps({"search": query, "events": facts})},
        ]
        answer = self._complete("search_answer", messages, json_mode=False)
        if not answer or len(answer) > ANSWER_CHARS * 2:
            return self._fallback.search_answer(query, events)
        return " ".join(answer.split())

    def _complete(
        self, kind: str, messages: list[dict[str, str]], *, json_mode: bool
    ) -> str | None:
        key = cache_key(kind, self._model, messages)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        payload: dict[str, Any] = {"model": self._model, "messages": messages, "temperature": 0}
        if json_mode:
            payload["response_format"] = {"type": "json_object"}
        try:
            data = self._http.post("/chat/completions", payload)
            content = str(data["choices"][0]["message"]["content"]).strip()
        except (YesCountError, KeyError, IndexError, TypeError) as exc:
            get_logger().warning("llm_copy_fallback", kind=kind, error=str(exc)[:200])
            return None
        if not content:
            return None
        self._cache.put(key, kind=kind, model=self._model, response=content)
        return content


def _parse_card(answer: str) -> CardCopy | None:
    try:
        data = json.loads(answer)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    title = " ".join(str(data.get("title") or "").split())
    summary = " ".join(str(data.get("summary") or "").split())
    if not title or not summary:
        return None
    return CardCopy(card_title(title), _clip(summary, SUMMARY_CHARS), generated=True)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-") + "…"
