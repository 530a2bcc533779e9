"""Termhood: how much more frequent a phrase is in the mined corpus than in general language.

Owns the general-language reference of term mining: word and phrase frequencies of English
and Russian from the ``wordfreq`` package (data shipped in the wheel, nothing downloaded),
on its Zipf scale (log10 of occurrences per billion words; 1.0 for unknown words).

``termhood = corpus Zipf - general Zipf``: "coronavirus" (rare in general language, frequent
in a COVID-19 corpus) scores high, "March" or "country" (frequent everywhere) low, so mined
pairs of domain terms rank above pairs of everyday words. Lemma keys are looked up as their
words joined by spaces (wordfreq combines the words of a phrase).
"""

from __future__ import annotations

import functools
import math

from transpipe.lang.codes import primary

GENERAL_FLOOR = 1.0  # Zipf of a word wordfreq does not know


@functools.lru_cache(maxsize=262_144)
def general_zipf(phrase: str, lang: str) -> float:
    """Zipf frequency of ``phrase`` in general ``lang`` text (at least ``GENERAL_FLOOR``)."""
    from wordfreq import zipf_frequency

    return max(float(zipf_frequency(phrase, primary(lang))), GENERAL_FLOOR)


def corpus_zipf(count: int, words: int) -> float:
    """Zipf frequency of something seen ``count`` times in a corpus of ``words`` words."""
    return math.log10(max(count, 1) / max(words, 1) * 1e9)


def termhood(key: tuple[str, ...], count: int, words: int, lang: str) -> float:
    """Corpus Zipf minus general Zipf of a lemma key seen ``count`` times in ``words``."""
    return corpus_zipf(count, words) - general_zipf(" ".join(key), lang)
