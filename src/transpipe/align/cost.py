"""Bead costs: how the search prices linking a source block to a target block.

Owns the cost models the dynamic programme in ``transpipe.align.search`` minimises, and the
per-link confidence derived from them. A *bead* ``(a, b)`` links ``a`` source sentences ending
before row ``i`` to ``b`` target sentences ending before column ``j``; ``a, b <= 2``.

* ``SignalCost`` (transpipe's aligner): embedding distance normalised against each block's
  average distance to random sentences of the other side (Vecalign's hubness correction),
  plus weighted Gale-Church length cost, anchor mismatch and paragraph penalties. With
  ``AlignWeights.embeddings_only()`` it is the embeddings-only baseline.
* ``GaleChurchCost``: the classic length-only aligner (Gale & Church 1993 priors), a baseline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import numpy.typing as npt

from transpipe.align.signals import SideBlocks, anchor_mismatch, gale_church_cost

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CONTENT_BEADS = ((1, 1), (1, 2), (2, 1), (2, 2))


class CostModel(Protocol):
    """What the search needs: bead costs for a row, and per-sentence skip (1-0 / 0-1) costs."""

    @property
    def n(self) -> int: ...

    @property
    def m(self) -> int: ...

    def bead_costs(self, a: int, b: int, i: int, js: IntArray) -> FloatArray:
        """Cost of linking source ``[i-a, i)`` to target ``[j-b, j)`` for each ``j`` in ``js``."""

    def skip_source(self, i: int) -> float:
        """Cost of leaving source sentence ``i`` unaligned (a 1-0 link)."""

    def skip_targets(self, js: IntArray) -> FloatArray:
        """Cost of leaving each target sentence ``j`` in ``js`` unaligned (0-1 links)."""

    def confidence(
        self, source: tuple[int, ...], target: tuple[int, ...], at: tuple[int, int]
    ) -> float:
        """Confidence in [0, 1] that a link starting at path point ``at`` (row, col) is right."""


@dataclass(frozen=True)
class AlignWeights:
    """Weights of the signals in ``SignalCost`` (tuned on newstest2021 ru-en documents).

    Costs are per sentence of the bead: a 1-1 link pays twice the per-sentence cost, a 2-1 link
    three times. ``skip`` is the cost of one unaligned sentence; ``low_confidence`` is the
    threshold below which a link is flagged for review.
    """

    embedding: float = 1.0
    length: float = 0.1
    anchors: float = 0.08
    paragraph: float = 0.1
    skip: float = 1.0
    merge: float = 0.4  # extra per-bead cost of 1-2 / 2-1
    merge22: float = 1.2  # extra per-bead cost of 2-2
    hubness: bool = True  # divide distances by each block's mean distance to random sentences
    encode_pairs_up_to: int = 200  # longer sides: two passes, see aligner.align_segments
    confidence_scale: float = 10.0
    low_confidence: float = 0.9

    @classmethod
    def embeddings_only(cls) -> AlignWeights:
        """The embeddings-only baseline: same search, similarity is the only signal."""
        return replace(cls(), length=0.0, anchors=0.0, paragraph=0.0)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 50.0), -50.0)))


class SignalCost:
    """Embeddings + length + anchors + paragraphs, weighted by ``AlignWeights``."""

    def __init__(
        self,
        src: SideBlocks,
        tgt: SideBlocks,
        weights: AlignWeights,
        *,
        hub_sample: int = 48,
        seed: int = 0,
    ) -> None:
        self.src = src
        self.tgt = tgt
        self.w = weights
        self._n = src.size
        self._m = tgt.size
        total_src = float(src.lengths1.sum())
        total_tgt = float(tgt.lengths1.sum())
        self.ratio = total_tgt / total_src if total_src > 0 and total_tgt > 0 else 1.0
        rng = np.random.default_rng(seed)
        tgt_sample = tgt.vectors1[rng.choice(self._m, min(self._m, hub_sample), replace=False)]
        src_sample = src.vectors1[rng.choice(self._n, min(self._n, hub_sample), replace=False)]
        self._hub_src = (
            _hub(src.vectors1, tgt_sample),
            _hub(src.vectors2, tgt_sample),
        )
        self._hub_tgt = (
            _hub(tgt.vectors1, src_sample),
            _hub(tgt.vectors2, src_sample),
        )
        self._tgt_anchor_counts = (
            np.array([a.bit_count() for a in tgt.anchors1], dtype=np.int64),
            np.array([a.bit_count() for a in tgt.anchors2], dtype=np.int64),
        )
        self._use_paragraphs = src.has_paragraphs and tgt.has_paragraphs

    @property
    def n(self) -> int:
        return self._n

    @property
    def m(self) -> int:
        return self._m

    def _side(self, side: SideBlocks, size: int) -> tuple[npt.NDArray[np.float32], tuple[int, ...]]:
        if size == 1:
            return side.vectors1, side.anchors1
        return side.vectors2, side.anchors2

    def similarity(self, a: int, b: int, i: int, js: IntArray) -> FloatArray:
        """Raw cosine of source block ``[i-a, i)`` with target blocks ``[j-b, j)``."""
        src_vecs, _ = self._side(self.src, a)
        tgt_vecs, _ = self._side(self.tgt, b)
        return np.asarray(tgt_vecs[js - b] @ src_vecs[i - a], dtype=np.float64)

    def bead_costs(self, a: int, b: int, i: int, js: IntArray) -> FloatArray:
        w = self.w
        k = js - b
        cos = self.similarity(a, b, i, js)
        hub = (self._hub_src[a - 1][i - a] + self._hub_tgt[b - 1][k]) / 2.0
        per_sentence = w.embedding * (1.0 - cos)
        if w.hubness:
            per_sentence = per_sentence / np.maximum(hub, 0.05)
        if w.anchors:
            per_sentence = per_sentence + w.anchors * self._anchor_mismatch(a, b, i, k)
        cost = (a + b) * per_sentence
        if w.length:
            src_len = self.src.lengths1[i - 1] if a == 1 else self.src.lengths2[i - 2]
            tgt_len = self.tgt.lengths1[k] if b == 1 else self.tgt.lengths2[k]
            cost = cost + w.length * gale_church_cost(src_len, tgt_len, self.ratio)
        if w.paragraph and self._use_paragraphs:
            cost = cost + w.paragraph * self._paragraph_penalty(a, b, i, k)
        if a + b == 3:
            cost = cost + w.merge
        elif a + b == 4:
            cost = cost + w.merge22
        return np.asarray(cost, dtype=np.float64)

    def _anchor_mismatch(self, a: int, b: int, i: int, k: IntArray) -> FloatArray:
        _, src_anchors = self._side(self.src, a)
        _, tgt_anchors = self._side(self.tgt, b)
        s = src_anchors[i - a]
        if s == 0:
            return np.asarray(self._tgt_anchor_counts[b - 1][k] > 0, dtype=np.float64)
        return np.array([anchor_mismatch(s, tgt_anchors[x]) for x in k.tolist()], dtype=np.float64)

    def _paragraph_penalty(self, a: int, b: int, i: int, k: IntArray) -> FloatArray:
        src_start = self.src.para_start1[i - 1] if a == 1 else self.src.para_start2[i - 2]
        tgt_start = self.tgt.para_start1[k] if b == 1 else self.tgt.para_start2[k]
        penalty = np.asarray(tgt_start != src_start, dtype=np.float64)
        if a == 2 and self.src.crosses2[i - 2]:
            penalty = penalty + 1.0
        if b == 2:
            penalty = penalty + self.tgt.crosses2[k]
        return penalty

    def _one_cost(self, source: tuple[int, ...], target: tuple[int, ...]) -> float:
        js = np.array([target[-1] + 1], dtype=np.int64)
        return float(self.bead_costs(len(source), len(target), source[-1] + 1, js)[0])

    def _split_costs(self, source: tuple[int, ...], target: tuple[int, ...]) -> list[float]:
        """Costs of the ways to cut a merged link in two (each part a link or a null link)."""
        out: list[float] = []
        if len(source) == 2 and len(target) == 2:
            out.append(
                self._one_cost(source[:1], target[:1]) + self._one_cost(source[1:], target[1:])
            )
        for first, second in _halves(source):
            if len(target) == 1:
                out.append(self._one_cost(first, target) + self.w.skip)
                out.append(self.w.skip + self._one_cost(second, target))
        for first, second in _halves(target):
            if len(source) == 1:
                out.append(self._one_cost(source, first) + self.w.skip)
                out.append(self.w.skip + self._one_cost(source, second))
        return out or [math.inf]

    def skip_source(self, i: int) -> float:
        return self.w.skip

    def skip_targets(self, js: IntArray) -> FloatArray:
        return np.full(len(js), self.w.skip, dtype=np.float64)

    def confidence(
        self, source: tuple[int, ...], target: tuple[int, ...], at: tuple[int, int]
    ) -> float:
        """Sigmoid of how much better the link is than leaving its sentences unaligned.

        A merged link (2-1, 1-2, 2-2) is capped by its margin over the cheapest way to split it
        into two links (one may be a null link): an absorbed deleted sentence scores low.
        For a null link starting at path point ``at``: how much better leaving the sentence
        unaligned is than its best 1-1 link with a sentence within ``NEAR`` positions.
        """
        w = self.w
        if source and target:
            cost = self._one_cost(source, target)
            per_sentence = cost / (len(source) + len(target))
            absolute = _sigmoid(w.confidence_scale * (w.skip - per_sentence))
            if len(source) + len(target) == 2:
                return absolute
            # a merge is only as sure as its margin over the best split into smaller links
            margin = min(self._split_costs(source, target)) - cost
            return min(absolute, _sigmoid(w.confidence_scale * margin))
        row, col = at
        if source:
            js = np.arange(max(col - NEAR, 0), min(col + NEAR, self._m)) + 1
            costs = [float(c) for c in self.bead_costs(1, 1, source[0] + 1, js)] if len(js) else []
        else:
            one = np.array([target[0] + 1], dtype=np.int64)
            rows = range(max(row - NEAR, 0) + 1, min(row + NEAR, self._n) + 1)
            costs = [float(self.bead_costs(1, 1, i, one)[0]) for i in rows]
        best = min(costs) / 2.0 if costs else w.skip + 1.0
        return _sigmoid(w.confidence_scale * (best - w.skip))


NEAR = 3


def _halves(block: tuple[int, ...]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(block[:1], block[1:])] if len(block) == 2 else []


def _hub(vectors: npt.NDArray[np.float32], sample: npt.NDArray[np.float32]) -> FloatArray:
    if len(vectors) == 0 or len(sample) == 0:
        return np.ones(len(vectors), dtype=np.float64)
    return np.asarray(1.0 - (vectors @ sample.T).mean(axis=1), dtype=np.float64)


# Gale & Church (1993) bead priors: 1-1 .89, 1-0/0-1 .0099, 2-1/1-2 .089, 2-2 .011.
_GC_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (1, 2): 0.089 / 2,
              (2, 1): 0.089 / 2, (2, 2): 0.011}  # fmt: skip


class GaleChurchCost:
    """Length-only baseline: ``-log prior(bead) - log P(delta)`` on character lengths."""

    def __init__(self, src: SideBlocks, tgt: SideBlocks) -> None:
        self.src = src
        self.tgt = tgt
        total_src = float(src.lengths1.sum())
        total_tgt = float(tgt.lengths1.sum())
        self.ratio = total_tgt / total_src if total_src > 0 and total_tgt > 0 else 1.0
        self._skip_src = -math.log(_GC_PRIORS[(1, 0)]) + gale_church_cost(
            src.lengths1, np.zeros(src.size), self.ratio
        )
        self._skip_tgt = -math.log(_GC_PRIORS[(0, 1)]) + gale_church_cost(
            np.zeros(tgt.size), tgt.lengths1, self.ratio
        )

    @property
    def n(self) -> int:
        return self.src.size

    @property
    def m(self) -> int:
        return self.tgt.size

    def bead_costs(self, a: int, b: int, i: int, js: IntArray) -> FloatArray:
        k = js - b
        src_len = self.src.lengths1[i - 1] if a == 1 else self.src.lengths2[i - 2]
        tgt_len = self.tgt.lengths1[k] if b == 1 else self.tgt.lengths2[k]
        prior = -math.log(_GC_PRIORS[(a, b)])
        return np.asarray(prior + gale_church_cost(src_len, tgt_len, self.ratio), dtype=np.float64)

    def skip_source(self, i: int) -> float:
        return float(self._skip_src[i - 1])

    def skip_targets(self, js: IntArray) -> FloatArray:
        return np.asarray(self._skip_tgt[js - 1], dtype=np.float64)

    def confidence(
        self, source: tuple[int, ...], target: tuple[int, ...], at: tuple[int, int]
    ) -> float:
        if not source or not target:
            return 0.5
        i = source[-1] + 1
        cost = float(self.bead_costs(len(source), len(target), i, np.array([target[-1] + 1]))[0])
        return math.exp(-cost)
