"""Alignment signals: what makes a source block and a target block look like translations.

Owns the per-sentence evidence the aligner combines, all computed once per document side:

* **length** (Gale-Church 1993): the character-length ratio of a bead is normally distributed
  around the document's overall ratio; ``gale_church_cost`` is ``-log P(|delta|)``.
* **anchors**: tokens that survive translation unchanged or nearly so - digit runs (``3,5`` and
  ``3.5`` both give ``3`` and ``5``), month names (``января`` = ``January`` = ``M01``), names,
  Latin words and acronyms keyed by a transliterated consonant skeleton (``Хабаровского`` and
  ``Khabarovsk`` both give ``N:hbrv``), and glossary concept ids when a glossary is given.
  Months, transliteration and skeletons are language knowledge from :mod:`transpipe.lang`.
  Anchor sets are Python ints used as bit sets, so comparing two blocks is ``&`` + popcount.
* **paragraphs** (soft anchors): whether a block starts a paragraph or straddles two.

Embedding similarity itself comes from ``transpipe.embeddings``; the cost model in
``transpipe.align.cost`` weighs these signals together.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from transpipe.lang.dates import month_number
from transpipe.lang.script import CYRILLIC_RE
from transpipe.lang.translit import ACRONYM_EQUIVALENTS, skeleton, transliterate

SKELETON_LENGTH = 4
MIN_SKELETON = 3

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_DIGITS = re.compile(r"\d+")


def sentence_anchors(text: str, *, extra: Sequence[str] = ()) -> frozenset[str]:
    """Anchor tokens of one sentence (language independent by construction).

    ``extra`` adds caller-supplied tokens, e.g. ``"T:<concept id>"`` for glossary terms.
    """
    tokens: set[str] = set(extra)
    for digits in _DIGITS.findall(text):
        tokens.add("D:" + (digits.lstrip("0") or "0"))
    russian_text = CYRILLIC_RE.search(text) is not None
    for match in _WORD.finditer(text):
        word = match.group(0)
        month = month_number(word)
        if month:
            tokens.add(f"M:{month:02d}")
            continue
        latin_in_russian = russian_text and not CYRILLIC_RE.search(word)
        if not word[0].isupper() and not latin_in_russian:
            continue  # lower-case native word: not an anchor (Latin words in Russian text are)
        if len(word) >= 2 and word.isupper():
            equivalent = ACRONYM_EQUIVALENTS.get(word)
            tokens.add("A:" + (equivalent if equivalent else transliterate(word).upper()))
            continue
        key = skeleton(word)
        if len(key) >= MIN_SKELETON:
            tokens.add("N:" + key[:SKELETON_LENGTH])
    return frozenset(tokens)


class AnchorIndex:
    """Interns anchor tokens of one document pair and turns token sets into bit sets."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def bits(self, tokens: frozenset[str]) -> int:
        value = 0
        for token in tokens:
            index = self._ids.setdefault(token, len(self._ids))
            value |= 1 << index
        return value


def anchor_mismatch(a: int, b: int) -> float:
    """``1 - Dice`` of two anchor bit sets; 0 when both are empty (no evidence either way)."""
    total = a.bit_count() + b.bit_count()
    if total == 0:
        return 0.0
    return 1.0 - 2.0 * (a & b).bit_count() / total


# --- length --------------------------------------------------------------------------------

GC_VARIANCE = 6.8  # Gale & Church's s^2 (variance of target chars per source char)
_SQRT2 = math.sqrt(2.0)


def gale_church_cost(
    src_len: npt.NDArray[np.float64] | float,
    tgt_len: npt.NDArray[np.float64] | float,
    ratio: float,
) -> npt.NDArray[np.float64]:
    """``-log P(|delta|)``, ``delta = (l_t - l_s*c) / sqrt(l*s^2)`` (two-sided normal tail)."""
    ls = np.asarray(src_len, dtype=np.float64)
    lt = np.asarray(tgt_len, dtype=np.float64)
    mean = (ls + lt / ratio) / 2.0  # symmetric in the two sides, as in later GC variants
    delta = (lt - ls * ratio) / np.sqrt(np.maximum(mean, 1.0) * GC_VARIANCE)
    tail = _normal_sf(np.abs(delta))
    return np.asarray(-np.log(np.maximum(2.0 * tail, 1e-12)), dtype=np.float64)


def _normal_sf(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    erfc: Callable[[float], float] = math.erfc
    return np.asarray(np.vectorize(erfc)(x / _SQRT2) / 2.0, dtype=np.float64)


# --- per-side block features ---------------------------------------------------------------


@dataclass(frozen=True)
class SideBlocks:
    """Evidence for one side of a document pair: single sentences and adjacent pairs.

    Index ``k`` of a ``*2`` field describes the block ``sentences[k] + sentences[k+1]``.
    """

    vectors1: npt.NDArray[np.float32]
    vectors2: npt.NDArray[np.float32]
    lengths1: npt.NDArray[np.float64]
    lengths2: npt.NDArray[np.float64]
    anchors1: tuple[int, ...]
    anchors2: tuple[int, ...]
    para_start1: npt.NDArray[np.bool_]
    para_start2: npt.NDArray[np.bool_]
    crosses2: npt.NDArray[np.bool_]
    has_paragraphs: bool

    @property
    def size(self) -> int:
        return len(self.lengths1)


def pair_texts(sentences: Sequence[str]) -> list[str]:
    """Adjacent two-sentence blocks, joined with a space (how merged units are written)."""
    return [f"{sentences[k]} {sentences[k + 1]}" for k in range(len(sentences) - 1)]


def build_side(
    sentences: Sequence[str],
    vectors1: npt.NDArray[np.float32],
    vectors2: npt.NDArray[np.float32],
    anchors: Sequence[int],
    paragraphs: Sequence[int] | None,
) -> SideBlocks:
    """Assemble block features from per-sentence vectors, anchor bit sets and paragraphs."""
    n = len(sentences)
    lengths1 = np.array([max(len(s), 1) for s in sentences], dtype=np.float64)
    lengths2 = lengths1[:-1] + lengths1[1:] + 1.0 if n > 1 else np.zeros(0)
    anchors1 = tuple(anchors)
    anchors2 = tuple(anchors1[k] | anchors1[k + 1] for k in range(n - 1))
    if paragraphs is not None and len(set(paragraphs)) > 1:
        para = np.asarray(paragraphs)
        start = np.ones(n, dtype=bool)
        start[1:] = para[1:] != para[:-1]
        has_paragraphs = True
    else:
        start = np.zeros(n, dtype=bool)
        has_paragraphs = False
    crosses = start[1:].copy() if n > 1 else np.zeros(0, dtype=bool)
    return SideBlocks(
        vectors1=vectors1,
        vectors2=vectors2,
        lengths1=lengths1,
        lengths2=lengths2,
        anchors1=anchors1,
        anchors2=anchors2,
        para_start1=start,
        para_start2=start[:-1].copy() if n > 1 else np.zeros(0, dtype=bool),
        crosses2=crosses,
        has_paragraphs=has_paragraphs,
    )
