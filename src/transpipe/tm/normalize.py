"""How translation-memory sources are compared: the normalized key and fuzzy similarity.

Owns the matching rules of the translation memory, so the store, the engine and the tests agree
on them:

* an **exact** match is the same source string (case, spaces and punctuation included);
* a **normalized** match has the same :func:`source_key`: Unicode NFC, every run of whitespace
  (NBSP and other Unicode spaces included) collapsed to one space, no leading/trailing space,
  ``ё``/``Ё`` read as ``е``/``Е`` (Russian news writes both), and typographic quotes
  (``«»„“”``) and apostrophes (``’‘``) read as ASCII ``"`` and ``'`` (the character
  equivalences of :mod:`transpipe.lang.chars`). Case is kept: a sentence
  in capitals is a different segment whose stored translation would have the wrong case;
* a **fuzzy** match scores :func:`similarity`: the ``difflib`` ratio over the case-folded word
  and punctuation tokens of the two normalized sources (1.0 = same tokens).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence

from transpipe.lang.chars import QUOTE_FOLD, YO_FOLD

_FOLD = YO_FOLD | QUOTE_FOLD  # ё as е, typographic quotes and apostrophes as ASCII
_TOKEN = re.compile(r"\w+|[^\w\s]")


def source_key(text: str) -> str:
    """The normalized form of a source text (see the module docstring)."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_FOLD).split())


def tokens(text: str) -> list[str]:
    """Case-folded word and punctuation tokens of the normalized ``text``."""
    return _TOKEN.findall(source_key(text).casefold())


def similarity(left: Sequence[str], right: Sequence[str]) -> float:
    """``difflib`` ratio of two token sequences: 1.0 for equal ones, 0.0 for disjoint ones."""
    if not left and not right:
        return 1.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


def length_bounds(count: int, threshold: float) -> tuple[int, int]:
    """Token counts a candidate may have to reach ``threshold`` against ``count`` tokens.

    The ratio is ``2*M / (a + b)`` with ``M <= min(a, b)``, so ``b`` must lie in
    ``[a*t / (2-t), a*(2-t) / t]``.
    """
    if threshold <= 0.0:
        return 0, 2**31
    low = int(count * threshold / (2.0 - threshold))
    high = int(count * (2.0 - threshold) / threshold) + 1
    return low, high
