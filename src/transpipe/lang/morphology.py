"""Russian morphology: the process-wide pymorphy3 analyzer behind typed, cached results.

The only module of transpipe that imports pymorphy3. :func:`analyzer` returns the one
:class:`Morphology` of the process - a documented process-wide model handle, like a loaded
MT model: the dictionaries load on first use (about 0.1 s), never at import, and the handle
owns bounded caches of its analyses, so a word is analysed once per process whoever asks.
Results are frozen :class:`Analysis` values; pymorphy3 objects never leave this module.
Lemma strings are normalised: lower case, ``ё`` written as ``е``.

    parse("Советом")   -> (Analysis(lemma="совет", pos="NOUN", case="ablt", number="sing", ...),)
    lemmas("стали")    -> frozenset({"стать", "сталь"})
    inflect_word("совет", case="gent", number="plur") -> "советов"

The module-level functions are shortcuts to the handle's methods.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from transpipe.lang.chars import YO_FOLD
from transpipe.lang.english import restore_case

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
NUMBERS = ("sing", "plur")
GENDERS = ("masc", "femn", "neut")
# pymorphy3's secondary cases folded into the six main ones (gen2 "чаю" -> gent, loc2 -> loct).
CASE_FOLD = {"gen1": "gent", "gen2": "gent", "acc2": "accs", "loc1": "loct", "loc2": "loct"}
NOMINAL = frozenset({"NOUN", "ADJF", "PRTF", "NUMR", "NPRO"})
AGREEING = frozenset({"ADJF", "PRTF"})
PERSONAL_NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
CACHE_SIZE = 262_144
_PACKAGES = ("pymorphy3", "pymorphy3-dicts-ru")


@dataclass(frozen=True)
class Analysis:
    """One reading of a word form: lemma, part of speech and grammemes (empty when absent).

    ``word`` is the analysed form in lower case; ``case`` is folded to the six main cases;
    ``grammemes`` holds every grammeme of the reading (``Name``, ``Fixd``, ``Pltm``, ...).
    """

    word: str
    lemma: str
    pos: str
    case: str
    number: str
    gender: str
    animacy: str
    score: float
    tag: str
    grammemes: frozenset[str]

    def has(self, *grammemes: str) -> bool:
        """Whether the reading has any of ``grammemes``."""
        return any(g in self.grammemes for g in grammemes)

    @property
    def agreeing(self) -> bool:
        """An adjective, participle or adjectival pronoun: agrees with its noun."""
        return self.pos in AGREEING or "Apro" in self.grammemes


def normalize(word: str) -> str:
    """Lower case with ``ё`` -> ``е``: the key used for lemma and surface comparison."""
    return word.lower().translate(YO_FOLD)


class Morphology:
    """The pymorphy3 analyzer with bounded per-process caches (see the module docstring).

    Build it through :func:`analyzer`, not directly: one per process is enough and each
    instance loads the dictionaries again.
    """

    def __init__(self) -> None:
        import pymorphy3

        self._morph: Any = pymorphy3.MorphAnalyzer(lang="ru")
        self._parses: dict[str, tuple[Analysis, ...]] = {}
        self._raw: dict[Analysis, Any] = {}  # reading -> its pymorphy3 parse, for inflection
        self._lexemes: dict[Analysis, tuple[Analysis, ...]] = {}
        self._lexeme_forms: dict[tuple[str, object], frozenset[str]] = {}
        self._paradigms: dict[str, tuple[tuple[str, str], ...]] = {}
        self._known: dict[str, bool] = {}

    # -- analysis --------------------------------------------------------------------------

    def parse(self, word: str) -> tuple[Analysis, ...]:
        """All readings of ``word`` (case-insensitive), best first."""
        found = self._parses.get(word)
        if found is None:
            if len(self._parses) > CACHE_SIZE:
                self._clear()
            found = tuple(self._analysis(p) for p in self._morph.parse(word.lower()))
            self._parses[word] = found
        return found

    def is_known(self, word: str) -> bool:
        """Whether the dictionary has ``word`` (not a guess from its ending)."""
        lower = word.lower()
        known = self._known.get(lower)
        if known is None:
            known = bool(self._morph.word_is_known(lower))
            self._known[lower] = known
        return known

    def lexeme(self, analysis: Analysis) -> tuple[Analysis, ...]:
        """Every form of the word ``analysis`` is a reading of (its lexeme)."""
        forms = self._lexemes.get(analysis)
        if forms is None:
            if len(self._lexemes) > CACHE_SIZE // 4:
                self._lexemes.clear()
            forms = tuple(self._analysis(p) for p in self._raw_of(analysis).lexeme)
            self._lexemes[analysis] = forms
        return forms

    def inflect(self, analysis: Analysis, grammemes: Iterable[str]) -> Analysis | None:
        """The form of ``analysis``'s word with ``grammemes`` (e.g. ``{"gent", "plur"}``), or
        None when the word has no such form."""
        form = self._raw_of(analysis).inflect(set(grammemes))
        return None if form is None else self._analysis(form)

    # -- derived views ---------------------------------------------------------------------

    def lemmas(self, word: str) -> frozenset[str]:
        """Every lemma ``word`` may be a form of (normalised)."""
        return frozenset(a.lemma for a in self.parse(word))

    def likely_lemmas(self, word: str, ratio: float = 0.5) -> frozenset[str]:
        """Lemmas of the readings scoring at least ``ratio`` x the best reading's score.

        Used for single-word terms, where no neighbouring word confirms the reading: "стали"
        is far more often a form of "стать" than of "сталь".
        """
        readings = self.parse(word)
        if not readings:
            return frozenset()
        best = max(a.score for a in readings)
        totals: dict[str, float] = {}
        for a in readings:
            totals[a.lemma] = totals.get(a.lemma, 0.0) + a.score
        return frozenset(lemma for lemma, score in totals.items() if score >= best * ratio)

    def paradigm(self, word: str) -> tuple[tuple[str, str], ...]:
        """(form, lemma) for every form of every word ``word`` may be a form of, normalised.

        A matcher builds a form -> lemmas table from the paradigms of its terms' words, so
        it can find lemma candidates in text without analysing every word.
        """
        found = self._paradigms.get(word)
        if found is None:
            readings = self.parse(word)
            pairs = {(normalize(word), a.lemma): None for a in readings}
            for reading in readings:
                for form in self._forms_of(reading):
                    pairs.setdefault((form, reading.lemma), None)
            found = tuple(pairs)
            self._paradigms[word] = found
        return found

    def _forms_of(self, reading: Analysis) -> frozenset[str]:
        """Normalised forms of the lexeme of ``reading``, computed once per lexeme (readings
        of different forms of one word share it)."""
        raw = self._raw_of(reading)
        first = raw.methods_stack[0]
        # a dictionary reading names its paradigm: (unit, word, paradigm id, form index)
        if len(first) >= 3 and isinstance(first[2], int):
            key: tuple[str, object] = (str(raw.normal_form), first[2])
        else:
            key = (str(raw.word), str(raw.tag))
        forms = self._lexeme_forms.get(key)
        if forms is None:
            forms = frozenset(normalize(str(p.word)) for p in raw.lexeme)
            self._lexeme_forms[key] = forms
        return forms

    def forms(self, word: str) -> frozenset[str]:
        """Every normalised form of every word ``word`` may be a form of."""
        return frozenset(form for form, _ in self.paradigm(word))

    def inflect_word(self, word: str, *, case: str, number: str = "") -> str | None:
        """``word`` put in ``case`` (and ``number`` when given), keeping its letter case;
        None if the dictionary cannot inflect it."""
        readings = self.parse(word)
        if not readings:
            return None
        form = self.inflect(readings[0], {case} | ({number} if number else set()))
        return None if form is None else restore_case(word, form.word)

    # -- internals -------------------------------------------------------------------------

    def _analysis(self, parse: Any) -> Analysis:
        tag = parse.tag
        case = str(tag.case or "")
        analysis = Analysis(
            word=str(parse.word),
            lemma=normalize(str(parse.normal_form)),
            pos=str(tag.POS or ""),
            case=CASE_FOLD.get(case, case),
            number=str(tag.number or ""),
            gender=str(tag.gender or ""),
            animacy=str(tag.animacy or ""),
            score=float(parse.score),
            tag=str(tag),
            grammemes=frozenset(str(g) for g in tag.grammemes),
        )
        if len(self._raw) > CACHE_SIZE * 4:
            self._clear()
        self._raw.setdefault(analysis, parse)
        return analysis

    def _raw_of(self, analysis: Analysis) -> Any:
        raw = self._raw.get(analysis)
        if raw is None:  # evicted: analyse the word again and take the same reading
            self.parse(analysis.word)
            raw = next(
                (p for p in self._morph.parse(analysis.word) if self._analysis(p) == analysis),
                None,
            )
            if raw is None:
                raise ValueError(f"{analysis.word!r} has no reading {analysis.tag}")
        return raw

    def _clear(self) -> None:
        self._parses.clear()
        self._raw.clear()
        self._lexemes.clear()
        self._lexeme_forms.clear()
        self._paradigms.clear()


def dictionary_version() -> str:
    """The analyzer's and its dictionary's package versions (without loading them), for
    caches of analyses that must not outlive a dictionary upgrade."""
    return " ".join(f"{name}=={metadata.version(name)}" for name in _PACKAGES)


@functools.cache
def analyzer() -> Morphology:
    """The process-wide :class:`Morphology` (loaded on first call)."""
    return Morphology()


def parse(word: str) -> tuple[Analysis, ...]:
    """All readings of ``word``, best first (see :meth:`Morphology.parse`)."""
    return analyzer().parse(word)


def lemmas(word: str) -> frozenset[str]:
    """Every lemma ``word`` may be a form of (see :meth:`Morphology.lemmas`)."""
    return analyzer().lemmas(word)


def likely_lemmas(word: str, ratio: float = 0.5) -> frozenset[str]:
    """Lemmas of the likely readings of ``word`` (see :meth:`Morphology.likely_lemmas`)."""
    return analyzer().likely_lemmas(word, ratio)


def paradigm(word: str) -> tuple[tuple[str, str], ...]:
    """(form, lemma) pairs of every word ``word`` may be (see :meth:`Morphology.paradigm`)."""
    return analyzer().paradigm(word)


def forms(word: str) -> frozenset[str]:
    """Every normalised form of every word ``word`` may be a form of."""
    return analyzer().forms(word)


def inflect_word(word: str, *, case: str, number: str = "") -> str | None:
    """``word`` in ``case`` (and ``number``), keeping its letter case; None if impossible."""
    return analyzer().inflect_word(word, case=case, number=number)


def is_known(word: str) -> bool:
    """Whether the dictionary has ``word``."""
    return analyzer().is_known(word)
