"""Month names in Russian and English, and their numbers.

Owns the one month table: Russian names in every case form ("января", "в мае", "марте"),
English full names and abbreviations ("January", "Jan", "Sept"). "May" and "March" are
months only when capitalised (lower case they are the verb and the noun).
"""

from __future__ import annotations

import re

RU_MONTH_FORMS = (
    r"январ[ьяюе]|феврал[ьяюе]|март[ауе]?|апрел[ьяюе]|ма[йяюе]|июн[ьяюе]|июл[ьяюе]"
    r"|август[ауе]?|сентябр[ьяюе]|октябр[ьяюе]|ноябр[ьяюе]|декабр[ьяюе]"
)
EN_MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
# A month word in either language, with an optional abbreviation dot.
MONTH_RE = re.compile(rf"\b(?:{RU_MONTH_FORMS}|{EN_MONTH_NAMES})\b\.?", re.IGNORECASE)
_MONTH_WORD_RE = re.compile(rf"(?:{RU_MONTH_FORMS}|{EN_MONTH_NAMES})", re.IGNORECASE)
_ONLY_CAPITALISED = frozenset({"may", "march"})
# number by the first three letters (two for Russian "ма-": "май", "мая", "мае")
_BY_PREFIX = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "ма": 5, "июн": 6, "июл": 7, "авг": 8,
    "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


def month_number(word: str) -> int:
    """1-12 for a month word ("января", "Sept", "Sept."), 0 for anything else."""
    bare = word.rstrip(".")
    if not _MONTH_WORD_RE.fullmatch(bare):
        return 0
    lower = bare.lower()
    if lower in _ONLY_CAPITALISED and not bare[:1].isupper():
        return 0
    return _BY_PREFIX.get(lower[:3]) or _BY_PREFIX.get(lower[:2], 0)
