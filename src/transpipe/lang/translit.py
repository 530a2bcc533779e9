"""Names across scripts: Cyrillic romanisation and a script-independent consonant skeleton.

Owns the Cyrillic -> Latin table (a simple BGN-like romanisation), the skeleton that folds
the spellings different romanisations disagree on (``Хабаровского`` and ``Khabarovsk`` share
``hbrv``), and the acronyms whose Russian and English forms are not transliterations of each
other (``США`` = ``US``).
"""

from __future__ import annotations

CYRILLIC_TO_LATIN = {
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

# Acronyms whose Russian and English forms are not transliterations of each other.
ACRONYM_EQUIVALENTS = {
    "США": "US", "ООН": "UN", "ЕС": "EU", "РФ": "RF", "МВФ": "IMF", "ВОЗ": "WHO",
    "МИД": "MFA", "ОДКБ": "CSTO", "СНГ": "CIS", "ЕАЭС": "EAEU", "ВТО": "WTO",
}  # fmt: skip


def transliterate(word: str) -> str:
    """Romanise Cyrillic letters (lower case); Latin letters pass through."""
    return "".join(CYRILLIC_TO_LATIN.get(ch, ch) for ch in word.lower())


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
