"""Alignment search: a monotone dynamic programme over a corridor of the (source x target) grid.

Owns the path finding. ``D[i][j]`` is the cheapest way to align the first ``i`` source and the
first ``j`` target sentences with beads 1-1, 1-2, 2-1, 2-2, 1-0 and 0-1 priced by a
``CostModel``. Each row is computed with numpy over the columns its corridor allows; the 0-1
moves inside a row are a running minimum (``T_j + cummin(D_j - T_j)`` with ``T`` the cumulative
skip cost), so there is no Python loop over cells.

Small inputs (up to ``FULL_GRID_CELLS`` cells) search the whole grid. Larger ones first find
1-1 anchors the way Bertalign's first pass does, but sparsely: each source sentence keeps its
``top_k`` most similar target sentences (similarities computed in row chunks, so memory stays
linear), a maximum-weight increasing chain through those candidates is the anchor path, and
the second pass searches only a corridor of ``width`` columns around it. Time and memory are
then linear in the document length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from transpipe.align.cost import CONTENT_BEADS, CostModel

FULL_GRID_CELLS = 160_000
ANCHOR_MIN_SIMILARITY = 0.35

Bead = tuple[tuple[int, ...], tuple[int, ...]]

_SKIP_SRC = 1
_SKIP_TGT = 2
_BEAD_CODES = {(1, 1): 3, (1, 2): 4, (2, 1): 5, (2, 2): 6}
_CODE_SHAPES = {_SKIP_SRC: (1, 0), _SKIP_TGT: (0, 1), 3: (1, 1), 4: (1, 2), 5: (2, 1), 6: (2, 2)}


@dataclass(frozen=True)
class Corridor:
    """For each row ``i`` in ``0..n`` the inclusive column range ``[lo[i], hi[i]]`` searched."""

    lo: npt.NDArray[np.int64]
    hi: npt.NDArray[np.int64]

    @classmethod
    def full(cls, n: int, m: int) -> Corridor:
        return cls(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64))

    @property
    def cells(self) -> int:
        return int((self.hi - self.lo + 1).sum())


def search(
    model: CostModel, corridor: Corridor | None = None
) -> list[tuple[Bead, tuple[int, int]]]:
    """Cheapest monotone bead path; returns ``(bead, start point)`` in document order."""
    n, m = model.n, model.m
    if corridor is None:
        corridor = Corridor.full(n, m)
    lo, hi = corridor.lo, corridor.hi
    costs: list[npt.NDArray[np.float64]] = []
    moves: list[npt.NDArray[np.int8]] = []
    for i in range(n + 1):
        js = np.arange(lo[i], hi[i] + 1, dtype=np.int64)
        best = np.full(len(js), np.inf)
        move = np.zeros(len(js), dtype=np.int8)
        if i == 0:
            best[js == 0] = 0.0
        else:
            _relax(best, move, js, costs, lo, hi, i, 1, 0, np.full(len(js), model.skip_source(i)))
            for a, b in CONTENT_BEADS:
                if i < a:
                    continue
                ok = js >= b
                if not ok.any():
                    continue
                bead = np.full(len(js), np.inf)
                bead[ok] = model.bead_costs(a, b, i, js[ok])
                _relax(best, move, js, costs, lo, hi, i, a, b, bead)
        _relax_row_skips(best, move, js, model)
        costs.append(best)
        moves.append(move)
    return _backtrack(moves, lo, n, m)


def _relax(
    best: npt.NDArray[np.float64],
    move: npt.NDArray[np.int8],
    js: npt.NDArray[np.int64],
    costs: Sequence[npt.NDArray[np.float64]],
    lo: npt.NDArray[np.int64],
    hi: npt.NDArray[np.int64],
    i: int,
    a: int,
    b: int,
    bead: npt.NDArray[np.float64],
) -> None:
    prev_row = i - a
    prev_cols = js - b
    ok = (prev_cols >= lo[prev_row]) & (prev_cols <= hi[prev_row])
    if not ok.any():
        return
    cand = np.full(len(js), np.inf)
    cand[ok] = costs[prev_row][prev_cols[ok] - lo[prev_row]] + bead[ok]
    better = cand < best
    best[better] = cand[better]
    move[better] = _SKIP_SRC if b == 0 else _BEAD_CODES[(a, b)]


def _relax_row_skips(
    best: npt.NDArray[np.float64],
    move: npt.NDArray[np.int8],
    js: npt.NDArray[np.int64],
    model: CostModel,
) -> None:
    """0-1 moves within a row: ``D'[j] = min(D[j], D'[j-1] + skip[j])`` without a Python loop."""
    if len(js) < 2:
        return
    steps = np.zeros(len(js))
    positive = js[1:] >= 1
    steps[1:][positive] = model.skip_targets(js[1:][positive])
    total = np.cumsum(steps)
    with np.errstate(invalid="ignore"):
        relaxed = total + np.minimum.accumulate(best - total)
    better = relaxed < best - 1e-12
    best[better] = relaxed[better]
    move[better] = _SKIP_TGT


def _backtrack(
    moves: Sequence[npt.NDArray[np.int8]], lo: npt.NDArray[np.int64], n: int, m: int
) -> list[tuple[Bead, tuple[int, int]]]:
    path: list[tuple[Bead, tuple[int, int]]] = []
    i, j = n, m
    while i > 0 or j > 0:
        code = int(moves[i][j - lo[i]])
        if code == 0:
            raise RuntimeError(f"alignment search found no path through ({i}, {j})")
        a, b = _CODE_SHAPES[code]
        bead = (tuple(range(i - a, i)), tuple(range(j - b, j)))
        i, j = i - a, j - b
        path.append((bead, (i, j)))
    path.reverse()
    return path


# --- first pass: sparse 1-1 anchors and the corridor around them ---------------------------


def top_k_candidates(
    src: npt.NDArray[np.float32], tgt: npt.NDArray[np.float32], k: int, *, chunk: int = 512
) -> list[tuple[int, int, float]]:
    """``(i, j, cosine)`` for each source row's ``k`` best target rows, in row chunks."""
    out: list[tuple[int, int, float]] = []
    k = min(k, len(tgt))
    if k == 0:
        return out
    for start in range(0, len(src), chunk):
        sims = src[start : start + chunk] @ tgt.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for r in range(len(top)):
            for j in top[r].tolist():
                out.append((start + r, j, float(sims[r, j])))
    return out


def anchor_chain(
    candidates: Sequence[tuple[int, int, float]], m: int, *, min_similarity: float
) -> list[tuple[int, int]]:
    """Maximum-weight chain of candidates strictly increasing in both ``i`` and ``j``.

    Weighted longest increasing subsequence with a Fenwick tree of prefix maxima over ``j``
    (O(K log m) for K candidates). Weights are ``similarity - min_similarity``; weaker
    candidates are dropped.
    """
    kept = sorted((c for c in candidates if c[2] > min_similarity), key=lambda c: (c[0], -c[1]))
    size = m + 1
    tree_val = [0.0] * (size + 1)
    tree_arg = [-1] * (size + 1)
    score = [0.0] * len(kept)
    parent = [-1] * len(kept)
    index = 0
    while index < len(kept):
        row = kept[index][0]
        group_end = index
        while group_end < len(kept) and kept[group_end][0] == row:
            group_end += 1
        for g in range(index, group_end):
            _, j, sim = kept[g]
            best, arg = 0.0, -1
            pos = j  # prefix max over columns < j (1-based tree position j covers column j-1)
            while pos > 0:
                if tree_val[pos] > best:
                    best, arg = tree_val[pos], tree_arg[pos]
                pos -= pos & -pos
            score[g] = best + sim - min_similarity
            parent[g] = arg
        for g in range(index, group_end):
            pos = kept[g][1] + 1
            while pos <= size:
                if score[g] > tree_val[pos]:
                    tree_val[pos], tree_arg[pos] = score[g], g
                pos += pos & -pos
        index = group_end
    if not kept:
        return []
    node = max(range(len(kept)), key=lambda g: score[g])
    chain: list[tuple[int, int]] = []
    while node >= 0:
        chain.append((kept[node][0], kept[node][1]))
        node = parent[node]
    chain.reverse()
    return chain


def corridor_around(chain: Sequence[tuple[int, int]], n: int, m: int, width: int) -> Corridor:
    """Columns row ``i`` may use: between the anchors before and after it, widened by ``width``.

    Anchor ``(i, j)`` (source ``i`` = target ``j``) forces the path through ``(i+1, j+1)``
    nearby, so row ``r`` lies between the last anchor above it and the first one below it.
    """
    lo = np.zeros(n + 1, dtype=np.int64)
    hi = np.full(n + 1, m, dtype=np.int64)
    rows = np.array([a for a, _ in chain], dtype=np.int64)
    cols = np.array([b for _, b in chain], dtype=np.int64)
    for r in range(n + 1):
        before = np.searchsorted(rows, r, side="left") - 1  # last anchor with i < r
        after = np.searchsorted(rows, r, side="left")  # first anchor with i >= r
        low = int(cols[before]) + 1 if before >= 0 else 0
        high = int(cols[after]) if after < len(rows) else m
        lo[r] = max(0, min(low, high) - width)
        hi[r] = min(m, max(low, high) + width)
    lo[0] = 0
    hi[n] = m
    lo = np.minimum.accumulate(lo[::-1])[::-1].copy()
    hi = np.maximum.accumulate(hi)
    return Corridor(lo, hi)


def plan_corridor(
    src_vectors: npt.NDArray[np.float32],
    tgt_vectors: npt.NDArray[np.float32],
    *,
    top_k: int = 3,
    width: int = 12,
    full_grid_cells: int = FULL_GRID_CELLS,
) -> Corridor | None:
    """``None`` (search the whole grid) for small inputs, else the anchor-chain corridor."""
    n, m = len(src_vectors), len(tgt_vectors)
    if (n + 1) * (m + 1) <= full_grid_cells:
        return None
    candidates = top_k_candidates(src_vectors, tgt_vectors, top_k)
    chain = anchor_chain(candidates, m, min_similarity=ANCHOR_MIN_SIMILARITY)
    return corridor_around(chain, n, m, width)
