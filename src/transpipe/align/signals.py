"""Alignment signals: what makes a source block and a target block look like translations.

Owns the per-sentence evidence the aligner combines, all computed once per document side:

* **length** (Gale-Church 1993): the character-length ratio of a bead is normally distributed
  around the document's overall ratio; ``gale_church_cost`` is ``-log P(|delta|)``.
* **anchors**: tokens that survive translation unchanged or nearly so - digit runs (``3,5`` and
  ``3.5`` both give ``3`` and ``5``), month names (``января`` = ``January`` = ``M01``), names,
  Latin words and acronyms keyed by a transliterated consonant skeleton (``Хабаровского`` and
  ``Khabarovsk`` both give ``N:hbrv``), and glossary concept ids when a glossary is given.
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

# --- transliteration -----------------------------------------------------------------------

_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "i", "є": "e", "ґ": "g",
}  # fmt: skip

# Latin spellings that different romanisations disagree on, folded to one consonant class.
_SKELETON_FOLDS = (
    ("shch", "S"), ("sch", "S"), ("sh", "S"), ("dzh", "J"), ("zh", "J"), ("j", "J"),
    ("kh", "h"), ("ch", "C"), ("ts", "T"), ("tz", "T"), ("ck", "k"), ("ph", "f"),
    ("th", "t"), ("gh", "g"), ("x", "ks"), ("q", "k"), ("w", "v"), ("c", "k"),
)  # fmt: skip
_VOWELS = set("aeiouy")
SKELETON_LENGTH = 4
MIN_SKELETON = 3

# A few acronyms whose Russian and English forms are not transliterations of each other.
_ACRONYM_EQUIVALENTS = {
    "США": "US", "ООН": "UN", "ЕС": "EU", "РФ": "RF", "МВФ": "IMF", "ВОЗ": "WHO",
    "МИД": "MFA", "ОДКБ": "CSTO", "СНГ": "CIS", "ЕАЭС": "EAEU", "ВТО": "WTO",
}  # fmt: skip

_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "мая": 5, "май": 5, "мае": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_ENGLISH_MONTH_ONLY_CAPITALISED = {"may", "march"}  # "may" the verb, "march" the noun

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_DIGITS = re.compile(r"\d+")
_CYRILLIC = re.compile(r"[а-яёіїєґА-ЯЁІЇЄҐ]")


def transliterate(word: str) -> str:
    """Romanise Cyrillic letters (a simple BGN-like table); Latin letters pass through."""
    return "".join(_CYRILLIC_TO_LATIN.get(ch, ch) for ch in word.lower())


def skeleton(word: str) -> str:
    """Consonant skeleton of a name in either script: ``Дегтярева`` -> ``dgtrv``.

    Folds romanisation variants (kh/h, ts/tz/c, w/v ...) and drops vowels, so an inflected
    Russian form and its English spelling share a prefix.
    """
    latin = transliterate(word)
    latin = "".join(ch for ch in latin if "a" <= ch <= "z")
    for old, new in _SKELETON_FOLDS:
        latin = latin.replace(old, new)
    # upper-case letters above are fold classes (S = sh/shch, C = ch, T = ts, J = zh/j)
    out: list[str] = []
    for ch in latin:
        if ch in _VOWELS:
            continue
        if out and out[-1] == ch:
            continue  # double letters: Russell / Рассел
        out.append(ch)
    return "".join(out)


def sentence_anchors(text: str, *, extra: Sequence[str] = ()) -> frozenset[str]:
    """Anchor tokens of one sentence (language independent by construction).

    ``extra`` adds caller-supplied tokens, e.g. ``"T:<concept id>"`` for glossary terms.
    """
    tokens: set[str] = set(extra)
    for digits in _DIGITS.findall(text):
        tokens.add("D:" + (digits.lstrip("0") or "0"))
    for match in _WORD.finditer(text):
        word = match.group(0)
        lower = word.lower()
        month = _month_of(lower, word)
        if month:
            tokens.add(f"M:{month:02d}")
            continue
        if not word[0].isupper() and not (_CYRILLIC.search(text) and not _CYRILLIC.search(word)):
            continue  # lower-case native word: not an anchor (Latin words in Russian text are)
        if len(word) >= 2 and word.isupper():
            equivalent = _ACRONYM_EQUIVALENTS.get(word)
            tokens.add("A:" + (equivalent if equivalent else transliterate(word).upper()))
            continue
        key = skeleton(word)
        if len(key) >= MIN_SKELETON:
            tokens.add("N:" + key[:SKELETON_LENGTH])
    return frozenset(tokens)


def _month_of(lower: str, word: str) -> int:
    if lower in _MONTHS:
        if lower in _ENGLISH_MONTH_ONLY_CAPITALISED and not word[0].isupper():
            return 0
        return _MONTHS[lower]
    if _CYRILLIC.match(lower):
        for stem in ("январ", "феврал", "апрел", "июн", "июл", "сентябр", "октябр", "ноябр",
                     "декабр"):  # fmt: skip
            if lower.startswith(stem):
                return _MONTHS[stem]
        if lower in ("марта", "марте", "августа", "августе"):
            return 3 if lower.startswith("март") else 8
    return 0


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
