"""Post-editing statistics: how far a reviewer moved each sentence from the MT, and how long
they spent on it.

Owns the measures: the word-level edit distance between the machine translation and the
reviewed text (insertions, deletions and substitutions of whitespace-separated words, the
numerator of HTER without shifts), the edit rate (distance divided by the MT's word count)
and the time in segment the page reports. Per article: segments edited, words changed, the
edit rate over all MT words, total and mean time. The distance is exact up to
``EXACT_CELLS`` cells of the dynamic programme and estimated from ``difflib`` opcodes beyond,
so a pathological sentence cannot stall a request.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EXACT_CELLS = 250_000


def word_edit_distance(a: str, b: str) -> int:
    """Word-level Levenshtein distance between ``a`` and ``b``."""
    x, y = a.split(), b.split()
    if x == y:
        return 0
    if not x or not y:
        return max(len(x), len(y))
    if len(x) * len(y) > EXACT_CELLS:
        ops = difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes()
        return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")
    previous = list(range(len(y) + 1))
    for i, word in enumerate(x, start=1):
        current = [i] + [0] * len(y)
        for j, other in enumerate(y, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class EditStats:
    """One segment: words changed from the MT, the MT's length in words, seconds spent."""

    distance: int
    mt_words: int
    seconds: float

    @property
    def rate(self) -> float:
        return round(self.distance / max(1, self.mt_words), 4)

    def record(self) -> dict[str, float | int | bool]:
        return {
            "edited": self.distance > 0,
            "words_changed": self.distance,
            "edit_rate": self.rate,
            "seconds": round(self.seconds, 1),
        }

    def note(self) -> str:
        """One line for a PO ``#.`` comment or a TMX note."""
        return (
            f"post-edit: {self.distance} word(s) changed of {self.mt_words} "
            f"({self.rate:.0%}), {self.seconds:.0f} s in segment"
        )


def segment_stats(mt: str, target: str, seconds: float) -> EditStats:
    return EditStats(word_edit_distance(mt, target), len(mt.split()), seconds)


def article_stats(stats: Iterable[EditStats]) -> dict[str, float | int]:
    items: Sequence[EditStats] = list(stats)
    words = sum(s.mt_words for s in items)
    changed = sum(s.distance for s in items)
    seconds = sum(s.seconds for s in items)
    timed = sum(1 for s in items if s.seconds > 0)
    return {
        "segments": len(items),
        "edited": sum(1 for s in items if s.distance > 0),
        "words_changed": changed,
        "mt_words": words,
        "edit_rate": round(changed / max(1, words), 4),
        "seconds": round(seconds, 1),
        "seconds_per_timed_segment": round(seconds / timed, 1) if timed else 0.0,
    }
