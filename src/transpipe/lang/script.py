"""Writing systems: Cyrillic and Latin letters, and telling Russian from English by script.

Owns letter classification (``script_of``, ``letter_counts``) and script-based language
detection for input checks: ``detect_language`` says whether a text is Russian or English,
``detect_column_language`` the same for the cells of a glossary column.

Detection counts letters per word, in tiers, so it is robust to what news text mixes in: the
lower-case words decide (function words and common nouns are lower case; names in the other
script - "Apple" in Russian text, "Тасмагамбетов" in English - are capitalised); only when
they are too few do capitalised words count, and only when those are too few too do
acronyms in capitals ("NASA", "ОДКБ") and words with digits ("COVID-19"). URL and e-mail
tokens never count. The verdict needs ``min_share`` of the counted letters in one script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from transpipe.lang.codes import primary

CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
LATIN_RE = re.compile(r"[A-Za-z\u00C0-\u024F]")
_LETTERS_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_LINK_MARKERS = ("://", "www.", "@")
SCRIPT_LANGUAGE = {"cyrillic": "ru", "latin": "en"}


def script_of(word: str) -> str:
    """``"cyrillic"``, ``"latin"``, ``"mixed"`` or ``"other"`` for one word."""
    cyr = bool(CYRILLIC_RE.search(word))
    lat = bool(LATIN_RE.search(word))
    if cyr and lat:
        return "mixed"
    if cyr:
        return "cyrillic"
    if lat:
        return "latin"
    return "other"


def letter_counts(text: str) -> tuple[int, int]:
    """(Cyrillic letters, Latin letters) in ``text``."""
    return len(CYRILLIC_RE.findall(text)), len(LATIN_RE.findall(text))


def script_for_lang(lang: str) -> str:
    """The script a language is written in: ``"cyrillic"`` for Russian, else ``"latin"``."""
    return "cyrillic" if primary(lang) == "ru" else "latin"


@dataclass(frozen=True)
class LanguageGuess:
    """The language a text is written in, judged by script.

    ``lang`` is ``"ru"``, ``"en"`` or ``None`` (too little evidence, or the scripts are too
    mixed); ``cyrillic`` and ``latin`` are the letter counts behind the verdict and ``share``
    the winning script's share of them (0.0 when nothing was counted).
    """

    lang: str | None
    cyrillic: int
    latin: int
    share: float


class _Tally:
    """Letters per script ([Cyrillic, Latin]) in three tiers of evidence: lower-case words,
    capitalised words, and acronyms or words with digits."""

    def __init__(self) -> None:
        self.tiers = [[0, 0], [0, 0], [0, 0]]

    def add(self, text: str) -> None:
        for token in text.split():
            if any(marker in token for marker in _LINK_MARKERS):
                continue
            has_digit = any(c.isdigit() for c in token)
            for match in _LETTERS_RE.finditer(token):
                self._add_word(match.group(), has_digit)

    def _add_word(self, word: str, has_digit: bool) -> None:
        script = script_of(word)
        if script not in SCRIPT_LANGUAGE:
            return
        if has_digit or (len(word) > 1 and word.isupper()):
            tier = 2
        elif word[:1].isupper():
            tier = 1
        else:
            tier = 0
        self.tiers[tier][0 if script == "cyrillic" else 1] += sum(1 for c in word if c.isalpha())

    def guess(self, min_letters: float, min_share: float) -> LanguageGuess:
        cyrillic = latin = 0
        for tier_cyrillic, tier_latin in self.tiers:
            cyrillic += tier_cyrillic
            latin += tier_latin
            if cyrillic + latin >= min_letters:
                break
        total = cyrillic + latin
        if total == 0:
            return LanguageGuess(None, 0, 0, 0.0)
        share = max(cyrillic, latin) / total
        lang: str | None = None
        if total >= min_letters and share >= min_share:
            lang = "ru" if cyrillic > latin else "en"
        return LanguageGuess(lang, cyrillic, latin, share)


def detect_language(text: str, *, min_letters: int = 3, min_share: float = 0.75) -> LanguageGuess:
    """Russian or English by script (see the module docstring); ``lang=None`` when unsure.

    ``min_letters`` is the letter count needed for a verdict, ``min_share`` the share of it
    that one script must have.
    """
    tally = _Tally()
    tally.add(text)
    return tally.guess(min_letters, min_share)


def detect_column_language(
    cells: Iterable[str], *, min_letters: int = 3, min_share: float = 0.75
) -> LanguageGuess:
    """The language of a column of short texts (glossary terms), judged over all its cells."""
    tally = _Tally()
    for cell in cells:
        tally.add(cell)
    return tally.guess(min_letters, min_share)
