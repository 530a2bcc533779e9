"""Cross-lingual coverage: which words of a segment have a counterpart on the other side.

Owns the word-alignment evidence that the omission/addition check (``checks_coverage``) and
the learned estimator (``qe_features``) share. Every whitespace-separated word with a letter or
digit is embedded *in its context* with the multilingual sentence encoder
(``SentenceEncoder.states`` + ``pool``: the encoder's pooling is a sum, so a word's vector is
the pooled sum of its own pieces after the CNN has read the neighbours); a word's *support* is
its best cosine with any word of the other side. A translated word finds its counterpart
(«Германии» ~ "German" 0.67), a dropped one only finds chance neighbours (0.1-0.3).

Bounded work: a word is compared with the other side's words in a band of ``BAND`` words around
its proportional position, so a long segment costs linear time; the encoder reads at most its
``MAX_CHARS`` first characters of a text. Results are cached per (source, target) so the check
and the estimator do the work once.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from transpipe.embeddings import SentenceEncoder, TextStates, shared_encoder

BAND = 96  # words of the other side a word is compared with (around its relative position)
CACHE_SIZE = 4096  # (source, target) pairs kept
_CONTENT_RE = re.compile(r"\w")

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class SideCoverage:
    """One side's content words (character spans) and each word's support on the other side."""

    spans: tuple[tuple[int, int], ...]
    support: Vector

    def window_support(self, width: int) -> Vector:
        """Mean support of every run of ``width`` consecutive words (all words when fewer)."""
        if not len(self.support):
            return self.support
        if len(self.support) <= width:
            return np.array([self.support.mean()], dtype=np.float32)
        sums = np.cumsum(np.concatenate([[0.0], self.support]))
        return np.asarray((sums[width:] - sums[:-width]) / width, dtype=np.float32)


@dataclass(frozen=True)
class Coverage:
    """Both sides' word support and the two sentence embeddings (unit vectors) and cosine."""

    source: SideCoverage
    target: SideCoverage
    similarity: float
    source_vector: Vector
    target_vector: Vector


_cache: OrderedDict[tuple[str, str], Coverage] = OrderedDict()


def coverage(
    sources: Sequence[str], targets: Sequence[str], *, encoder: SentenceEncoder | None = None
) -> list[Coverage]:
    """Coverage of every (source, target) pair, computed in batches and cached."""
    if len(sources) != len(targets):
        raise ValueError(f"{len(sources)} sources but {len(targets)} targets")
    pairs = list(zip(sources, targets, strict=True))
    missing = [p for p in dict.fromkeys(pairs) if p not in _cache]
    if missing:
        encoder = encoder or shared_encoder()
        texts = sorted({t for pair in missing for t in pair})
        states = dict(zip(texts, encoder.states(texts), strict=True))
        words = {t: _content_words(t, states[t], encoder) for t in texts}
        sentences = dict(
            zip(
                texts,
                encoder.pool(
                    np.stack([states[t].total for t in texts]),
                    np.array([states[t].total_count for t in texts], dtype=np.float32),
                ),
                strict=True,
            )
        )
        for source, target in missing:
            found = _align(words[source], words[target])
            similarity = (
                float(sentences[source] @ sentences[target])
                if source.strip() and target.strip()
                else 0.0
            )
            _remember(
                (source, target),
                Coverage(found[0], found[1], similarity, sentences[source], sentences[target]),
            )
    out = []
    for pair in pairs:
        cached = _cache.get(pair)
        if cached is None:  # evicted while this batch was filled (a batch above CACHE_SIZE)
            cached = coverage([pair[0]], [pair[1]], encoder=encoder)[0]
        out.append(cached)
    return out


def _remember(key: tuple[str, str], value: Coverage) -> None:
    _cache[key] = value
    _cache.move_to_end(key)
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)


def _content_words(
    text: str, states: TextStates, encoder: SentenceEncoder
) -> tuple[tuple[tuple[int, int], ...], Vector]:
    keep = [i for i, (a, b) in enumerate(states.spans) if _CONTENT_RE.search(text[a:b])]
    if not keep:
        return (), np.zeros((0, states.total.shape[0]), dtype=np.float32)
    vectors = encoder.pool(states.sums[keep], states.counts[keep])
    return tuple(states.spans[i] for i in keep), vectors


def _align(
    source: tuple[tuple[tuple[int, int], ...], Vector],
    target: tuple[tuple[tuple[int, int], ...], Vector],
) -> tuple[SideCoverage, SideCoverage]:
    """Best cosine of each word with the other side's words in a band around its position."""
    (s_spans, s_vec), (t_spans, t_vec) = source, target
    s_best = np.zeros(len(s_spans), dtype=np.float32)
    t_best = np.zeros(len(t_spans), dtype=np.float32)
    n, m = len(s_spans), len(t_spans)
    if n and m:
        step = BAND // 2
        for start in range(0, n, step):
            stop = min(n, start + step)
            lo = max(0, start * m // n - step)
            hi = min(m, -(-stop * m // n) + step)
            sims = s_vec[start:stop] @ t_vec[lo:hi].T
            s_best[start:stop] = np.maximum(s_best[start:stop], sims.max(axis=1))
            t_best[lo:hi] = np.maximum(t_best[lo:hi], sims.max(axis=0))
    return SideCoverage(s_spans, s_best), SideCoverage(t_spans, t_best)
