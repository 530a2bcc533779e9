"""Russian morphology through pymorphy3: analyses, lemmas and inflection, cached.

Owns the one ``pymorphy3.MorphAnalyzer`` of the process (loaded on first use, never at import)
and small frozen views of its output, so callers (term matching, term pinning) do not depend on
pymorphy3 types. Lemma strings are normalised: lower case, ``ё`` written as ``е``.

    parse("Советом")   -> (Analysis(lemma="совет", pos="NOUN", case="ablt", number="sing", ...),)
    lemmas("стали")    -> frozenset({"стать", "сталь"})
    inflect("совет", case="gent", number="plur") -> "советов"
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

# pymorphy3's secondary cases folded into the six main ones (gen2 "чаю" -> gent, loc2 -> loct).
CASE_FOLD = {"gen1": "gent", "gen2": "gent", "acc2": "accs", "loc1": "loct", "loc2": "loct"}
NOMINAL = frozenset({"NOUN", "ADJF", "PRTF", "NUMR", "NPRO"})


@dataclass(frozen=True)
class Analysis:
    """One reading of a word form: lemma, part of speech and grammemes (empty when absent)."""

    word: str
    lemma: str
    pos: str
    case: str
    number: str
    gender: str
    animacy: str
    score: float
    tag: str


def normalize(word: str) -> str:
    """Lower case with ``ё`` -> ``е``: the key used for lemma and surface comparison."""
    return word.lower().replace("ё", "е")


@functools.cache
def analyzer() -> Any:
    """The shared MorphAnalyzer (about 0.1-0.5 s to load, once per process)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=262_144)
def parse(word: str) -> tuple[Analysis, ...]:
    """All readings of ``word`` (case-insensitive), best first, as frozen ``Analysis`` values."""
    results = []
    for p in analyzer().parse(word.lower()):
        tag = p.tag
        case = str(tag.case or "")
        results.append(
            Analysis(
                word=word,
                lemma=normalize(p.normal_form),
                pos=str(tag.POS or ""),
                case=CASE_FOLD.get(case, case),
                number=str(tag.number or ""),
                gender=str(tag.gender or ""),
                animacy=str(tag.animacy or ""),
                score=float(p.score),
                tag=str(tag),
            )
        )
    return tuple(results)


@functools.lru_cache(maxsize=262_144)
def lemmas(word: str) -> frozenset[str]:
    """Every lemma ``word`` may be a form of (normalised)."""
    return frozenset(normalize(p.normal_form) for p in analyzer().parse(word.lower()))


@functools.lru_cache(maxsize=262_144)
def likely_lemmas(word: str, ratio: float = 0.5) -> frozenset[str]:
    """Lemmas of the readings scoring at least ``ratio`` x the best reading's score.

    Used for single-word terms, where no neighbouring word confirms the reading: "стали" is
    far more often a form of "стать" than of "сталь".
    """
    readings = parse(word)
    if not readings:
        return frozenset()
    best = max(a.score for a in readings)
    totals: dict[str, float] = {}
    for a in readings:
        totals[a.lemma] = totals.get(a.lemma, 0.0) + a.score
    return frozenset(lemma for lemma, score in totals.items() if score >= best * ratio)


@functools.lru_cache(maxsize=65_536)
def paradigm(word: str) -> tuple[tuple[str, str], ...]:
    """(form, lemma) for every form of every word ``word`` may be a form of, normalised.

    A matcher builds a form -> lemmas table from the paradigms of its terms' words, so it can
    find lemma candidates in text without analysing every word.
    """
    pairs: dict[tuple[str, str], None] = {}
    for reading in analyzer().parse(word.lower()):
        lemma = normalize(reading.normal_form)
        pairs.setdefault((normalize(word), lemma), None)
        for form in reading.lexeme:
            pairs.setdefault((normalize(form.word), lemma), None)
    return tuple(pairs)


def forms(word: str) -> frozenset[str]:
    """Every normalised form of every word ``word`` may be a form of."""
    return frozenset(form for form, _ in paradigm(word))


PERSONAL_NAME_GRAMMEMES = ("Name", "Surn", "Patr")
# Case endings of Russian personal names by the stem's last letter (masculine + feminine).
_NAME_ENDINGS = {
    "consonant": ("", "а", "у", "ом", "ым", "е", "ы", "ов", "ым", "ыми", "ых", "ой", "ою"),
    "а": ("а", "ы", "и", "е", "у", "ой", "ою"),
    "я": ("я", "и", "е", "ю", "ей", "ею"),
    "й": ("й", "я", "ю", "ем", "е"),
    "ь": ("ь", "я", "ю", "ем", "е", "и", "ью"),
}


def is_personal_name(word: str) -> bool:
    """A capitalised word that is a first name, surname or patronymic, or unknown to the
    dictionary (pymorphy3's guesses for unknown surnames are unreliable: treat them as names)."""
    if not word[:1].isupper() or word.isupper() or not word.isalpha():
        return False
    if any(g in a.tag for a in parse(word) for g in PERSONAL_NAME_GRAMMEMES):
        return True
    return not analyzer().word_is_known(word.lower())


def name_forms(word: str) -> frozenset[str]:
    """Normalised case forms of a personal name ("Тасмагамбетов" -> "тасмагамбетовым", ...);
    indeclinable names (ending in other vowels, "Имангали") have one form."""
    base = normalize(word)
    last = base[-1:]
    if last in ("а", "я", "й", "ь"):
        return frozenset(base[:-1] + ending for ending in _NAME_ENDINGS[last])
    if last in "еиоуыэю" or not last.isalpha():
        return frozenset({base})
    return frozenset(base + ending for ending in _NAME_ENDINGS["consonant"])


def inflect(word: str, *, case: str, number: str = "") -> str | None:
    """``word`` put in ``case`` (and ``number`` when given), keeping its letter case; None if
    pymorphy3 cannot inflect it."""
    readings = analyzer().parse(word.lower())
    if not readings:
        return None
    grammemes = {case} | ({number} if number else set())
    form = readings[0].inflect(grammemes)
    if form is None:
        return None
    text: str = form.word
    if word.isupper() and len(word) > 1:
        return text.upper()
    if word[:1].isupper():
        return text[:1].upper() + text[1:]
    return text
