"""English word rules: plural and singular of nouns, the possessive, term-matching variants.

Owns the one table of irregular plurals and uncountable nouns. Inflection keeps the letter
case of the word it is given ("Crisis" -> "Crises"; all-capital words take an upper-case
ending).
"""

from __future__ import annotations

IRREGULAR_PLURALS = {
    "man": "men",
    "woman": "women",
    "child": "children",
    "person": "people",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "datum": "data",
    "medium": "media",
    "bacterium": "bacteria",
    "nucleus": "nuclei",
    "analysis": "analyses",
    "crisis": "crises",
    "thesis": "theses",
    "basis": "bases",
    "diagnosis": "diagnoses",
    "virus": "viruses",
    "bus": "buses",
    "headquarters": "headquarters",
    "series": "series",
    "species": "species",
}
IRREGULAR_SINGULARS = {plural: singular for singular, plural in IRREGULAR_PLURALS.items()}
UNCOUNTABLE = frozenset({"security", "information", "news", "equipment", "aid", "police"})
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")
_NOT_PLURAL_S = ("ss", "us", "is")
_VOWELS = "aeiou"


def restore_case(original: str, new: str) -> str:
    """``new`` written in the letter case of ``original`` (all capitals, or a capital first)."""
    if len(original) > 1 and original.isupper():
        return new.upper()
    if original[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def strip_possessive(word: str) -> str:
    """``Council's`` -> ``Council`` (letter case kept)."""
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2]
    return word


def plural(word: str) -> str:
    """Plural of one English noun, keeping its letter case; uncountable nouns stay."""
    lower = word.lower()
    if lower in IRREGULAR_PLURALS:
        return restore_case(word, IRREGULAR_PLURALS[lower])
    if lower in UNCOUNTABLE:
        return word
    if lower.endswith("y") and lower[-2:-1] not in _VOWELS and len(lower) > 1:
        return word[:-1] + ("IES" if word.isupper() else "ies")
    suffix = "es" if lower.endswith(_SIBILANT_ENDINGS) else "s"
    return word + (suffix.upper() if len(word) > 1 and word.isupper() else suffix)


def singular(word: str) -> str:
    """Singular of one English noun (inverse of :func:`plural` for regular nouns)."""
    lower = word.lower()
    if lower in IRREGULAR_SINGULARS:
        return restore_case(word, IRREGULAR_SINGULARS[lower])
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("ses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(_NOT_PLURAL_S):
        return word[:-1]
    return word


def is_plural(word: str) -> bool:
    """Whether an English noun form looks plural."""
    lower = word.lower()
    if lower in IRREGULAR_SINGULARS and lower not in IRREGULAR_PLURALS:
        return True
    return lower.endswith("s") and not lower.endswith(_NOT_PLURAL_S) and len(lower) > 3


def possessive(phrase: str, *, plural: bool) -> str:
    """``phrase`` with the possessive ending ('s, or ' after a plural in -s)."""
    if plural and phrase.lower().endswith("s"):
        return phrase + "'"
    return phrase + "'s"


def key(word: str) -> str:
    """Lower case without a possessive ending: how English words are compared."""
    return strip_possessive(word).lower()


def variants(word: str) -> frozenset[str]:
    """Lower-case singular and plural forms of an English word (both directions, so a term
    written in the plural matches the singular too)."""
    w = word.lower()
    forms = {w}
    if w in IRREGULAR_PLURALS:
        forms.add(IRREGULAR_PLURALS[w])
    if w in IRREGULAR_SINGULARS:
        forms.add(IRREGULAR_SINGULARS[w])
    if w[-1:].isalpha() and len(w) > 1:
        if w.endswith("y") and w[-2:-1] not in _VOWELS:
            forms.add(w[:-1] + "ies")
        elif w.endswith(_SIBILANT_ENDINGS):
            forms.add(w + "es")
        else:
            forms.add(w + "s")
        if w.endswith("ies") and len(w) > 4:
            forms.add(w[:-3] + "y")
        elif w.endswith(("sses", "xes", "zes", "ches", "shes")):
            forms.add(w[:-2])
        elif w.endswith("s") and not w.endswith(_NOT_PLURAL_S):
            forms.add(w[:-1])
    return frozenset(forms)
