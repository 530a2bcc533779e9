"""Character equivalences of Russian and English news text.

Owns which characters count as the same when text is compared: ``ё`` is written as ``е``
(Russian news writes both), typographic quotes and apostrophes read as ASCII, and the
hyphen and dash families used to join words ("государства-члены", "государств – членов").
"""

from __future__ import annotations

# ё -> е in both cases
YO_FOLD = str.maketrans({"ё": "е", "Ё": "Е"})
# typographic quotes and apostrophes -> ASCII " and '
QUOTE_FOLD = str.maketrans({"«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "’": "'", "‘": "'"})
# Characters that join the parts of one word: hyphen-minus, hyphen, non-breaking hyphen.
HYPHENS = ("-", "\u2010", "\u2011")
# Dashes, which join the parts of a compound only when spaced ("государств – членов").
DASHES = ("\u2012", "\u2013", "\u2014", "\u2015")
APOSTROPHES = ("'", "’")


def fold_yo(text: str) -> str:
    """``text`` with ``ё``/``Ё`` written as ``е``/``Е``."""
    return text.translate(YO_FOLD)


def fold_quotes(text: str) -> str:
    """``text`` with typographic quotes and apostrophes written as ASCII."""
    return text.translate(QUOTE_FOLD)
