"""Paradigms of glossary terms, and the choice of the form a place in a sentence needs.

Owns the term *paradigm* pinning works with: every surface form a (possibly multiword)
glossary term can take in the target language, keyed by grammatical slot, and the choice of
slot from the words around the place where the term goes. How words inflect is language
knowledge and lives in :mod:`transpipe.lang`: Russian phrases (head noun, agreeing words,
hyphenated noun pairs, personal names) in :mod:`transpipe.lang.phrases`, English plurals and
possessives in :mod:`transpipe.lang.english`.

English: singular/plural of the head noun (the last word, or the word before "of"), the
possessive ('s / s'), and sentence-initial capitalisation is applied by the caller through
:func:`capitalise_first`.

Slots are ``Slot(case, number)``; Russian uses the six cases of
:data:`transpipe.lang.morphology.CASES`, English the cases ``"base"`` and ``"poss"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from transpipe.lang import english, phrases
from transpipe.lang.chars import YO_FOLD
from transpipe.lang.morphology import CASES as RU_CASES
from transpipe.lang.morphology import NUMBERS
from transpipe.lang.phrases import Token
from transpipe.lang.phrases import words as words
from transpipe.lang.russian import preposition_cases

EN_CASES = ("base", "poss")


@dataclass(frozen=True, order=True)
class Slot:
    """A grammatical slot of a paradigm: ``case`` (RU_CASES or EN_CASES) and ``number``."""

    case: str
    number: str

    def __str__(self) -> str:
        return f"{self.case}.{self.number}"


@dataclass(frozen=True)
class Paradigm:
    """All forms of one term in one language.

    ``forms`` maps each slot to its surface form, in a fixed order (citation form first);
    ``citation`` is the slot of the glossary form itself; ``gender`` is the Russian head
    noun's gender (``masc``, ``femn``, ``neut``; empty when unknown or not Russian).
    """

    term: str
    lang: str
    forms: tuple[tuple[Slot, str], ...]
    citation: Slot
    gender: str = ""

    def form(self, slot: Slot) -> str:
        for key, surface in self.forms:
            if key == slot:
                return surface
        return self.term

    def surfaces(self) -> tuple[str, ...]:
        """Distinct surface forms, citation form first."""
        seen: dict[str, None] = {}
        for _, surface in self.forms:
            seen.setdefault(surface, None)
        return tuple(seen)

    def slots_of(self, surface: str) -> tuple[Slot, ...]:
        """Every slot whose form equals ``surface`` (case- and ё-insensitive)."""
        key = fold(surface)
        return tuple(slot for slot, form in self.forms if fold(form) == key)


def fold(text: str) -> str:
    """Comparison key: lower case, ё as е, typographic apostrophe as ASCII, single spaces."""
    return " ".join(text.lower().translate(YO_FOLD).replace("’", "'").split())


def capitalise_first(text: str) -> str:
    """Upper-case the first letter (sentence-initial position), leave the rest alone."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


def paradigm(term: str, lang: str) -> Paradigm:
    """The paradigm of ``term`` in ``lang`` ("ru" or "en"); other languages: one form."""
    if lang == "ru":
        return _russian_paradigm(term)
    if lang == "en":
        return _english_paradigm(term)
    slot = Slot("base", "sing")
    return Paradigm(term, lang, ((slot, term),), slot)


# --------------------------------------------------------------------------- Russian


def _russian_paradigm(term: str) -> Paradigm:
    found = phrases.phrase_forms(term)
    if found is None:
        slot = Slot("nomn", "sing")
        return Paradigm(term, "ru", ((slot, term),), slot)
    forms = tuple((Slot(f.case, f.number), f.text) for f in found.forms)
    return Paradigm(term, "ru", forms, Slot("nomn", found.citation_number), found.gender)


def russian_slots(word: str) -> frozenset[Slot]:
    """Every (case, number) a Russian noun/adjective form can be in (all its readings)."""
    return frozenset(Slot(case, number) for case, number in phrases.word_slots(word))


def russian_rendering_slots(rendering: str) -> frozenset[Slot]:
    """Slots a Russian noun phrase can be in, judged from its head and agreeing words."""
    return frozenset(Slot(case, number) for case, number in phrases.phrase_slots(rendering))


def changes_agreement(par: Paradigm, slot: Slot, replaced: str) -> bool:
    """Whether putting ``par``'s ``slot`` form where ``replaced`` stood can break agreement
    outside the term: another number, or (Russian singular subject) another gender - a verb
    or a predicate adjective after it would have to change too ("Киргизия заявила" ->
    "Кыргызстан заявил"). Then a re-decoded continuation is worth trying.
    """
    if par.lang == "ru":
        slots = russian_rendering_slots(replaced)
        numbers = {s.number for s in slots}
        if numbers and slot.number not in numbers:
            return True
        if slot.case == "nomn" and slot.number == "sing":
            gender = phrases.head_gender(replaced)
            return bool(gender and par.gender and gender != par.gender)
        return False
    if par.lang == "en":
        tokens = words(replaced.replace("’", "'"))
        if not tokens:
            return False
        last = tokens[-1][2]
        last = last[:-2] if last.endswith("'s") else last.rstrip("'")
        return ("plur" if english.is_plural(last) else "sing") != slot.number
    return False


def choose_russian_slots(par: Paradigm, text_before: str, replaced: str) -> tuple[Slot, ...]:
    """Slots of ``par`` that fit between ``text_before`` and where ``replaced`` stood.

    Uses the case/number the replaced words (the model's own rendering) are in, narrowed by a
    governing preposition; returns the slots most likely first, or every slot when nothing is
    known. Several slots can remain (e.g. nominative vs accusative of an inanimate noun); the
    caller decides between them with the model's scores.
    """
    available = list(dict.fromkeys(slot for slot, _ in par.forms))
    candidates = set(russian_rendering_slots(replaced)) if replaced else set()
    governed = preposition_cases(text_before)
    if governed is not None:
        if candidates:
            candidates = {s for s in candidates if s.case in governed} or candidates
        else:
            candidates = {Slot(c, n) for c in governed for n in NUMBERS}
    fitting = [s for s in available if s in candidates]
    if not fitting and candidates:
        # The term cannot take the rendering's number (e.g. singular-only): keep the case.
        cases = {s.case for s in candidates}
        fitting = [s for s in available if s.case in cases]
    if not fitting:
        fitting = available
    return tuple(
        sorted(fitting, key=lambda s: (s.number != par.citation.number, RU_CASES.index(s.case)))
    )


# --------------------------------------------------------------------------- English


def _english_head(tokens: Sequence[Token]) -> int:
    for index, (_, _, word) in enumerate(tokens):
        if word.lower() == "of" and index > 0:
            return index - 1
    return len(tokens) - 1


def _english_paradigm(term: str) -> Paradigm:
    tokens = words(term)
    if not tokens:
        slot = Slot("base", "sing")
        return Paradigm(term, "en", ((slot, term),), slot)
    head = _english_head(tokens)
    start, end, word = tokens[head]
    plural_citation = english.is_plural(word) and english.singular(word) != word
    singular_word = english.singular(word) if plural_citation else word
    plural_word = word if plural_citation else english.plural(word)
    number_words = {"sing": singular_word, "plur": plural_word}
    forms: list[tuple[Slot, str]] = []
    citation = Slot("base", "plur" if plural_citation else "sing")
    order = [citation.number] + [n for n in NUMBERS if n != citation.number]
    for case in EN_CASES:
        for number in order:
            base = term[:start] + number_words[number] + term[end:]
            if case == "poss":
                base = english.possessive(base, plural=number == "plur")
            forms.append((Slot(case, number), base))
    return Paradigm(term, "en", tuple(forms), citation)


def choose_english_slots(par: Paradigm, replaced: str) -> tuple[Slot, ...]:
    """Slots of an English paradigm that fit where ``replaced`` stood (number, possessive)."""
    text = replaced.strip().replace("’", "'")
    tokens = words(text)
    case = "poss" if text.endswith(("'s", "s'")) else "base"
    if not tokens:
        return tuple(dict.fromkeys(slot for slot, _ in par.forms))
    last = tokens[-1][2]
    if case == "poss":
        last = last[:-2] if last.endswith("'s") else last[:-1]
    number = "plur" if english.is_plural(last) else "sing"
    ranked = [Slot(case, number), Slot(case, par.citation.number)]
    ranked += [slot for slot, _ in par.forms if slot.case == case]
    seen: dict[Slot, None] = {}
    for slot in ranked:
        if any(slot == s for s, _ in par.forms):
            seen.setdefault(slot, None)
    return tuple(seen)


def choose_slots(par: Paradigm, text_before: str, replaced: str) -> tuple[Slot, ...]:
    """Slots of ``par`` that fit the context, most likely first (see the language functions)."""
    if par.lang == "ru":
        return choose_russian_slots(par, text_before, replaced)
    if par.lang == "en":
        return choose_english_slots(par, replaced)
    return tuple(slot for slot, _ in par.forms)


def distinct_forms(par: Paradigm, slots: Iterable[Slot]) -> tuple[str, ...]:
    """Distinct surface forms for ``slots`` in order."""
    seen: dict[str, None] = {}
    for slot in slots:
        seen.setdefault(par.form(slot), None)
    return tuple(seen)
