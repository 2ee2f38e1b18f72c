"""OpenAI embeddings and card copy over a mocked HTTP transport: retries, fallbacks, cache."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import httpx
import numpy as np
import pytest

from yescount.domain.events import DateStatus, Event
from yescount.errors import SearchError
from yescount.llm.copy import ExtractiveCopywriter, OpenAICopywriter
from yescount.llm.openai_http import OpenAIHttp
from yescount.search.openai_embedder import OpenAIEmbedder

Handler = Callable[[httpx.Request], httpx.Response]

EVENT = Event(
    id=7,
    source="timeout_newyork",
    source_id="jazz",
    title="Late Set at the Village Vanguard | Time Out New York",
    url="https://example.org/jazz",
    date_status=DateStatus.SINGLE,
    description="A piano trio plays the 10pm set. Tiny room, strict no-talking policy.",
    date_start=date(2026, 12, 5),
    location="Village Vanguard, West Village",
    price_min=Decimal(40),
    price_max=Decimal(40),
)


class MemoryCache:
    def __init__(self) -> None:
        self.rows: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.rows.get(key)

    def put(self, key: str, *, kind: str, model: str, response: str) -> None:
        self.rows[key] = response


def http_for(
    handler: Handler, calls: list[httpx.Request], attempts: int = 3, cooldown_s: float = 0.0
) -> OpenAIHttp:
    def record(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return handler(request)

    client = httpx.Client(transport=httpx.MockTransport(record))
    return OpenAIHttp(
        "sk-test",
        client=client,
        max_attempts=attempts,
        sleep=lambda _s: None,
        cooldown_s=cooldown_s,
    )


def chat(content: str) -> httpx.Response:
    return httpx.Response(200, json={"choices": [{"message": {"content": content}}]})


def embeddings(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    data = [
        {"index": i, "embedding": [float(len(text)), 1.0] + [0.0] * (body["dimensions"] - 2)}
        for i, text in enumerate(body["input"])
    ]
    return httpx.Response(200, json={"data": list(reversed(data))})


def test_embeddings_are_ordered_normalised_and_batched() -> None:
    calls: list[httpx.Request] = []
    embedder = OpenAIEmbedder(http_for(embeddings, calls), batch_size=2)
    vectors = embedder.embed(["a", "bbb", "cc"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert vectors[1][0] > vectors[2][0] > vectors[0][0]
    assert len(calls) == 2
    assert calls[0].headers["Authorization"] == "Bearer sk-test"
    assert embedder.model_name == "openai/text-embedding-3-small@384"
    assert embedder.embed([]).shape == (0, 384)


def test_embeddings_retry_rate_limits_then_succeed() -> None:
    calls: list[httpx.Request] = []
    answers = iter([httpx.Response(429), httpx.Response(503)])

    def handler(request: httpx.Request) -> httpx.Response:
        return next(answers, None) or embeddings(request)

    vector = OpenAIEmbedder(http_for(handler, calls)).embed_query("jazz")
    assert vector.shape == (384,)
    assert len(calls) == 3


def test_embeddings_give_up_after_the_bounded_attempts() -> None:
    calls: list[httpx.Request] = []
    embedder = OpenAIEmbedder(http_for(lambda _r: httpx.Response(500), calls, attempts=3))
    with pytest.raises(SearchError) as err:
        embedder.embed(["x"])
    assert err.value.code == "openai_unavailable"
    assert len(calls) == 3


def test_after_a_failure_calls_fail_fast_during_the_cooldown() -> None:
    calls: list[httpx.Request] = []
    writer = OpenAICopywriter(
        http_for(lambda _r: httpx.Response(503), calls, attempts=2, cooldown_s=60), MemoryCache()
    )
    first = writer.card_copy(EVENT)
    second = writer.card_copy(EVENT)
    assert first == second == ExtractiveCopywriter().card_copy(EVENT)
    assert len(calls) == 2


def test_timeouts_are_retried_and_reported() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(SearchError) as err:
        OpenAIEmbedder(http_for(handler, calls, attempts=2)).embed(["x"])
    assert err.value.code == "openai_unavailable"
    assert len(calls) == 2


def test_a_bad_key_is_not_retried() -> None:
    calls: list[httpx.Request] = []
    with pytest.raises(SearchError) as err:
        OpenAIEmbedder(http_for(lambda _r: httpx.Response(401), calls)).embed(["x"])
    assert err.value.code == "openai_rejected"
    assert len(calls) == 1


def test_wrong_vector_size_is_refused() -> None:
    def handler(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [{"index": 0, "embedding": [1.0, 2.0]}]})

    with pytest.raises(SearchError):
        OpenAIEmbedder(http_for(handler, [])).embed(["x"])


def test_no_key_no_client() -> None:
    with pytest.raises(SearchError):
        OpenAIHttp("")


def test_card_copy_from_the_model_is_used_clipped_and_cached() -> None:
    calls: list[httpx.Request] = []
    answer = json.dumps({"title": "Vanguard Late Set", "summary": "Piano trio, tiny room. " * 20})
    cache = MemoryCache()
    writer = OpenAICopywriter(http_for(lambda _r: chat(answer), calls), cache)
    copy = writer.card_copy(EVENT)
    assert copy.generated
    assert copy.title == "Vanguard Late Set"
    assert len(copy.summary) <= 140
    prompt = json.loads(calls[0].content)
    facts = json.loads(prompt["messages"][1]["content"])
    assert set(facts) == {"title", "description", "location", "when", "price"}
    assert writer.card_copy(EVENT) == copy
    assert len(calls) == 1
    assert len(cache.rows) == 1


@pytest.mark.parametrize(
    "handler",
    [
        lambda _r: httpx.Response(429),
        lambda _r: httpx.Response(500),
        lambda r: (_ for _ in ()).throw(httpx.ConnectTimeout("down", request=r)),
        lambda _r: chat("not json at all"),
        lambda _r: chat(json.dumps({"title": ""})),
        lambda _r: httpx.Response(200, json={"unexpected": True}),
    ],
    ids=["429", "500", "timeout", "malformed", "empty-title", "odd-shape"],
)
def test_card_copy_falls_back_to_the_extractive_copy(handler: Handler) -> None:
    writer = OpenAICopywriter(http_for(handler, []), MemoryCache())
    assert writer.card_copy(EVENT) == ExtractiveCopywriter().card_copy(EVENT)


def test_extractive_copy_is_short_and_deterministic() -> None:
    copy = ExtractiveCopywriter().card_copy(EVENT)
    assert copy.title == "Late Set at the Village Vanguard"
    assert copy.summary.startswith("A piano trio plays the 10pm set.")
    assert not copy.generated


def test_search_answer_uses_the_model_or_the_fallback() -> None:
    good = OpenAICopywriter(
        http_for(lambda _r: chat("Try the Vanguard late set."), []), MemoryCache()
    )
    assert good.search_answer("jazz", [EVENT]) == "Try the Vanguard late set."
    failing = OpenAICopywriter(http_for(lambda _r: httpx.Response(500), []), MemoryCache())
    fallback = failing.search_answer("jazz", [EVENT])
    assert fallback == ExtractiveCopywriter().search_answer("jazz", [EVENT])
    assert fallback.startswith(
        "Best match for “jazz”: Late Set at the Village Vanguard (Sat, Dec 5"
    )
    assert "No events matched" in failing.search_answer("jazz", [])
