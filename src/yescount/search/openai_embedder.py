"""Optional OpenAI embeddings (only with OPENAI_API_KEY and EMBEDDING_BACKEND=openai).

Vectors are requested at 384 dimensions so they fit the same indexes as the
local model; the model name records that, so mixing the two is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from yescount.errors import SearchError
from yescount.llm.openai_http import OpenAIHttp
from yescount.search.embedder import Vectors, normalize

DEFAULT_MODEL = "text-embedding-3-small"
DEFAULT_DIMENSION = 384
MAX_BATCH = 256


class OpenAIEmbedder:
    """Embeddings from the OpenAI API, normalised, in batches."""

    def __init__(
        self,
        http: OpenAIHttp,
        *,
        model: str = DEFAULT_MODEL,
        dimension: int = DEFAULT_DIMENSION,
        batch_size: int = MAX_BATCH,
    ) -> None:
        self._http = http
        self._model = model
        self._dimension = dimension
        self._batch = max(1, min(batch_size, MAX_BATCH))

    @property
    def model_name(self) -> str:
        return f"openai/{self._model}@{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        rows: list[list[float]] = []
        for start in range(0, len(texts), self._batch):
            rows.extend(self._request(list(texts[start : start + self._batch])))
        return normalize(rows)

    def embed_query(self, text: str) -> Vectors:
        row: Vectors = self.embed([text])[0]
        return row

    def _request(self, batch: list[str]) -> list[list[float]]:
        data = self._http.post(
            "/embeddings",
            {"model": self._model, "input": batch, "dimensions": self._dimension},
        )
        items = data.get("data")
        if not isinstance(items, list) or len(items) != len(batch):
            raise SearchError("OpenAI returned an unexpected embeddings answer.", code="openai_bad")
        ordered = sorted(items, key=lambda item: int(item.get("index", 0)))
        vectors = [list(map(float, item["embedding"])) for item in ordered]
        if any(len(v) != self._dimension for v in vectors):
            raise SearchError(
                f"OpenAI returned vectors of another size than {self._dimension}.",
                code="openai_bad",
            )
        return vectors
