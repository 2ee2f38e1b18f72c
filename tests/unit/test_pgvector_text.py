"""The query vector's text form sent to pgvector (one bound text per search)."""

from __future__ import annotations

import numpy as np

from yescount.search import pgvector_index


def test_the_query_vectors_text_gives_back_every_float32_and_is_made_once() -> None:
    rng = np.random.default_rng(5)
    extremes = np.array([1e-38, -3.4e38, 0.1, 1 / 3] * 96, dtype=np.float32)
    for vector in (rng.standard_normal(384).astype(np.float32), extremes):
        text = pgvector_index._vec(vector)
        assert text.startswith("[")
        assert text.endswith("]")
        back = np.array(text[1:-1].split(","), dtype=np.float32)
        assert np.array_equal(back, vector)
        # The index query and the similarities of one search format it once.
        assert pgvector_index._vec(vector.astype(np.float64)) is text
