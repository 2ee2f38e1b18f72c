"""Event vectors for ``search_bench.py``: composed from real embeddings, random, or the model.

Embedding 200,000 synthetic events with the local model takes ~25 min on 2 cores, and
pure pseudo-random vectors have no structure at all: every point is about equally far
from every other, the worst case for an HNSW graph and unlike real embeddings, where
events of one kind cluster. ``composed`` vectors keep the real structure at a fraction
of the cost: each synthetic document is title + place + the kind's two sentences + two
extras, and the model embeds the ~3,400 distinct parts once. An event's vector is the
weighted sum of its parts' embeddings, the weights fitted by least squares to the real
embeddings of a sample of whole documents, plus per-event noise sized so the cosine to
the model's own vector matches the fit (printed: ~0.9) and shaped like the fit's
residuals (their covariance over the sample). Everything is cached under
``data/bench-cache/``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from yescount.domain.events import EventRecord
from yescount.search.embedder import LocalEmbedder, Vectors, normalize
from yescount.search.sync import event_document

KINDS = ("composed", "hash", "model")
FIT_SAMPLE = 1_500
DIM = 384
Parts = tuple[str, ...]


@dataclass(frozen=True)
class Composition:
    """Fitted part weights and how close composed vectors come to the model's."""

    weights: tuple[float, ...]
    cosine: float  # mean cosine of the noiseless composition to the real embedding
    noisy_cosine: float  # the same, after the per-event noise


def event_vectors(
    kind: str,
    events: list[tuple[EventRecord, Parts]],
    embedder: LocalEmbedder,
    cache: Path,
    *,
    seed: int,
) -> tuple[Vectors, Composition | None]:
    """One unit vector per event, of the given kind (see the module docstring)."""
    if kind == "hash":
        return hash_vectors(len(events), seed), None
    if kind == "model":
        return model_vectors([r for r, _ in events], embedder, cache), None
    return composed_vectors(events, embedder, cache, seed=seed)


def hash_vectors(count: int, seed: int) -> Vectors:
    """Deterministic pseudo-random unit vectors: no structure (the worst case)."""
    rng = np.random.default_rng(seed + 5)
    matrix = rng.standard_normal((count, DIM)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix


def _cached_embed(texts: list[str], embedder: LocalEmbedder, cache: Path, label: str) -> Vectors:
    digest = hashlib.sha256("\n".join([embedder.model_name, *texts]).encode()).hexdigest()[:16]
    path = cache / f"{label}-{len(texts)}-{digest}.npy"
    if path.exists():
        cached: Vectors = np.load(path)
        return cached
    started = time.perf_counter()
    vectors = embedder.embed(texts)
    elapsed = time.perf_counter() - started
    print(f"  embedded {len(texts)} {label} in {elapsed:.1f} s ({len(texts) / elapsed:.0f}/s)")
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def _embed_texts(texts: list[str], embedder: LocalEmbedder, cache: Path) -> Vectors:
    """Embeddings of ``texts`` from a growing text-to-vector store; only new texts are embedded."""
    path = cache / f"parts-{hashlib.sha256(embedder.model_name.encode()).hexdigest()[:12]}.npz"
    known: dict[str, int] = {}
    table = np.zeros((0, DIM), dtype=np.float32)
    if path.exists():
        with np.load(path) as stored:
            table = stored["vectors"]
            known = {str(t): n for n, t in enumerate(stored["texts"])}
    missing = [t for t in texts if t not in known]
    if missing:
        started = time.perf_counter()
        table = np.concatenate([table, embedder.embed(missing)])
        elapsed = time.perf_counter() - started
        print(f"  embedded {len(missing)} new parts in {elapsed:.1f} s")
        known.update({t: len(known) + n for n, t in enumerate(missing)})
        cache.mkdir(parents=True, exist_ok=True)
        ordered = sorted(known, key=known.__getitem__)
        np.savez(path, texts=np.array(ordered), vectors=table)
    out: Vectors = table[[known[t] for t in texts]]
    return out


def _document(record: EventRecord) -> str:
    return event_document(record.title, record.description, record.location)


def model_vectors(records: list[EventRecord], embedder: LocalEmbedder, cache: Path) -> Vectors:
    """The model's embedding of every event document (slow: ~150 events/s)."""
    return _cached_embed([_document(r) for r in records], embedder, cache, "embeddings")


def _part_stack(
    events: list[tuple[EventRecord, Parts]], table: Vectors, row: dict[str, int]
) -> Vectors:
    """(events, 4, DIM): title, place, sentences and the sum of the extras' embeddings."""
    stack = np.zeros((len(events), 4, DIM), dtype=np.float32)
    for n, (_, parts) in enumerate(events):
        title, place, core, *extras = parts
        stack[n, 0] = table[row[title]]
        stack[n, 1] = table[row[place]]
        stack[n, 2] = table[row[core]]
        for extra in extras:
            stack[n, 3] += table[row[extra]]
    return stack


def composed_vectors(
    events: list[tuple[EventRecord, Parts]],
    embedder: LocalEmbedder,
    cache: Path,
    *,
    seed: int,
) -> tuple[Vectors, Composition]:
    """Weighted sums of real part embeddings plus calibrated per-event noise."""
    texts = sorted({p for _, parts in events for p in parts})
    table = _embed_texts(texts, embedder, cache)
    row = {t: n for n, t in enumerate(texts)}
    # Fit on a fixed sample of the seed-7 catalogue's first events (same for every size).
    sample = events[:FIT_SAMPLE]
    truth = _cached_embed([_document(r) for r, _ in sample], embedder, cache, "fit-docs")
    sample_stack = _part_stack(sample, table, row)
    design = sample_stack.transpose(0, 2, 1).reshape(-1, 4)  # (sample * DIM, 4)
    weights, *_ = np.linalg.lstsq(design, truth.reshape(-1), rcond=None)
    fitted = normalize(np.einsum("p,npd->nd", weights, sample_stack))
    cosine = float(np.mean(np.sum(fitted * truth, axis=1)))
    # The noise has the covariance of the fit's residuals: real embeddings differ from
    # their composition in a few directions, not uniformly in all 384 (which would
    # make every neighbourhood as structureless as random vectors).
    residuals = truth - fitted
    shape = np.linalg.cholesky(residuals.T @ residuals / len(sample) + 1e-6 * np.eye(DIM))
    vectors = np.empty((len(events), DIM), dtype=np.float32)
    rng = np.random.default_rng(seed + 11)
    step = 20_000
    for start in range(0, len(events), step):
        chunk = events[start : start + step]
        clean = normalize(np.einsum("p,npd->nd", weights, _part_stack(chunk, table, row)))
        noise = rng.standard_normal(clean.shape).astype(np.float32) @ shape.T.astype(np.float32)
        vectors[start : start + len(chunk)] = _with_noise(clean, noise, cosine)
    noisy = float(np.mean(np.sum(vectors[: len(sample)] * truth, axis=1)))
    return vectors, Composition(tuple(float(w) for w in weights), cosine, noisy)


def _with_noise(clean: Vectors, noise: Vectors, cosine: float) -> Vectors:
    """Each row turned towards its noise row so its cosine to the clean row is ``cosine``."""
    noise = noise - np.sum(noise * clean, axis=1, keepdims=True) * clean  # orthogonal
    noise = normalize(noise)
    out: Vectors = normalize(cosine * clean + np.sqrt(1 - cosine**2) * noise)
    return out
