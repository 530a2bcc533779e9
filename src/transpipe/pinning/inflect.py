"""Inflection of glossary terms so a pinned term fits the sentence it is put into.

Owns the term *paradigm*: every surface form a (possibly multiword) glossary term can take in
the target language, keyed by grammatical slot, and the choice of slot from the words around
the place where the term goes.

Russian (pymorphy3): the head is the first noun of the term in the nominative; adjectives and
participles before it agree with it in case, number and gender (and animacy in the
accusative); everything after the head is a fixed tail and stays as written ("Совет
коллективной безопасности" -> "Совета коллективной безопасности", "Советом коллективной
безопасности"...). Words keep their capitalisation ("Генеральный секретарь" ->
"Генеральным секретарём").

English: singular/plural of the head noun (the last word, or the word before "of"), the
possessive ('s / s'), and sentence-initial capitalisation is applied by the caller through
:func:`capitalise_first`.

Slots are ``Slot(case, number)``; English uses the cases ``"base"`` and ``"poss"``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

RU_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
EN_CASES = ("base", "poss")
NUMBERS = ("sing", "plur")

_WORD = re.compile(r"[\w][\w'’-]*", re.UNICODE)

# Cases each preposition can govern (the word right before a noun phrase).
RU_PREPOSITION_CASES: dict[str, frozenset[str]] = {
    **{p: frozenset({"loct", "accs"}) for p in ("в", "во", "на", "о", "об", "обо")},
    **{p: frozenset({"loct"}) for p in ("при",)},
    **{p: frozenset({"ablt", "gent"}) for p in ("с", "со")},
    **{p: frozenset({"datv"}) for p in ("к", "ко", "благодаря", "согласно", "вопреки")},
    **{p: frozenset({"datv", "loct", "accs"}) for p in ("по",)},
    **{
        p: frozenset({"gent"})
        for p in (
            "от",
            "ото",
            "до",
            "из",
            "изо",
            "у",
            "без",
            "для",
            "около",
            "после",
            "вокруг",
            "среди",
            "против",
            "кроме",
            "вместо",
            "из-за",
            "из-под",
            "возле",
            "ради",
            "со стороны",
            "в ходе",
            "в рамках",
            "внутри",
            "вне",
            "накануне",
            "посредством",
        )
    },
    **{p: frozenset({"ablt", "accs"}) for p in ("за", "под", "подо")},
    **{p: frozenset({"ablt"}) for p in ("над", "надо", "перед", "передо", "между")},
    **{p: frozenset({"accs"}) for p in ("через", "про", "сквозь", "сквозь")},
}


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
    return " ".join(text.lower().replace("ё", "е").replace("’", "'").split())


def capitalise_first(text: str) -> str:
    """Upper-case the first letter (sentence-initial position), leave the rest alone."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


def words(text: str) -> list[tuple[int, int, str]]:
    """Word tokens of ``text`` as ``(start, end, word)``; hyphenated words stay whole."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def paradigm(term: str, lang: str) -> Paradigm:
    """The paradigm of ``term`` in ``lang`` ("ru" or "en"); other languages: one form."""
    if lang == "ru":
        return _russian_paradigm(term)
    if lang == "en":
        return _english_paradigm(term)
    slot = Slot("base", "sing")
    return Paradigm(term, lang, ((slot, term),), slot)


# --------------------------------------------------------------------------- Russian


@functools.lru_cache(maxsize=1)
def _morph() -> Any:
    from transpipe.terms.morphology import analyzer

    return analyzer()  # the one shared pymorphy3 analyzer of the process


@functools.lru_cache(maxsize=65536)
def parses(word: str) -> tuple[Any, ...]:
    return tuple(_morph().parse(word))


def _restore_case(original: str, new: str) -> str:
    if len(original) > 1 and original.isupper():
        return new.upper()
    if original[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _is_agreeing(parse: Any) -> bool:
    return bool({"ADJF", "PRTF"} & parse.tag.grammemes) or "Apro" in parse.tag.grammemes


@dataclass(frozen=True)
class _RussianPlan:
    """How a Russian term inflects: the head word index, its parse, and agreeing word parses."""

    head: int
    head_parse: Any
    agreeing: tuple[tuple[int, Any], ...]


def _plan(tokens: Sequence[tuple[int, int, str]]) -> _RussianPlan | None:
    agreeing_parses: list[tuple[int, list[Any]]] = []
    for index, (_, _, word) in enumerate(tokens):
        options = parses(word)
        nouns = [p for p in options if "NOUN" in p.tag.grammemes and "nomn" in p.tag.grammemes]
        adjs = [p for p in options if _is_agreeing(p) and "nomn" in p.tag.grammemes]
        if nouns and not (adjs and adjs[0].score > nouns[0].score):
            numbers = {p.tag.number for _, ps in agreeing_parses for p in ps}
            head = next((p for p in nouns if p.tag.number in numbers), nouns[0])
            agreeing = []
            for adj_index, candidates in agreeing_parses:
                fitting = [
                    p
                    for p in candidates
                    if p.tag.number == head.tag.number
                    and (head.tag.number == "plur" or p.tag.gender in (None, head.tag.gender))
                ]
                if fitting:
                    agreeing.append((adj_index, fitting[0]))
            return _RussianPlan(index, head, tuple(agreeing))
        if adjs:
            agreeing_parses.append((index, adjs))
        else:
            agreeing_parses.clear()  # a non-agreeing word cuts agreement (e.g. a number)
    return None


def _russian_paradigm(term: str) -> Paradigm:
    tokens = words(term)
    plan = _plan(tokens)
    if plan is None:
        slot = Slot("nomn", "sing")
        return Paradigm(term, "ru", ((slot, term),), slot)
    head = plan.head_parse
    citation = Slot("nomn", head.tag.number or "sing")
    numbers = [citation.number] + [n for n in NUMBERS if n != citation.number]
    if {"Sgtm", "Fixd", "Geox", "Name", "Surn", "Orgn"} & head.tag.grammemes:
        numbers = [citation.number]
    if "Pltm" in head.tag.grammemes:
        numbers = ["plur"]
    forms: list[tuple[Slot, str]] = []
    for number in numbers:
        for case in RU_CASES:
            surface = _inflect_russian(term, tokens, plan, case, number)
            if surface is not None:
                forms.append((Slot(case, number), surface))
    if not forms:
        forms.append((citation, term))
    return Paradigm(term, "ru", tuple(forms), citation, head.tag.gender or "")


def _inflect_russian(
    term: str,
    tokens: Sequence[tuple[int, int, str]],
    plan: _RussianPlan,
    case: str,
    number: str,
) -> str | None:
    head = plan.head_parse
    if "Fixd" in head.tag.grammemes:
        new_head = head.word
    else:
        inflected = head.inflect({case, number})
        if inflected is None:
            return None
        new_head = inflected.word
    replacements: dict[int, str] = {plan.head: new_head}
    animacy = head.tag.animacy or "inan"
    for index, parse in plan.agreeing:
        grammemes = {case, number}
        if number == "sing" and head.tag.gender:
            grammemes.add(head.tag.gender)
        if case == "accs" and (number == "plur" or head.tag.gender == "masc"):
            grammemes.add(animacy)
        inflected = parse.inflect(grammemes)
        if inflected is None:
            return None
        replacements[index] = inflected.word
    out: list[str] = []
    cursor = 0
    for index, (start, end, word) in enumerate(tokens):
        out.append(term[cursor:start])
        out.append(_restore_case(word, replacements[index]) if index in replacements else word)
        cursor = end
    out.append(term[cursor:])
    return "".join(out)


def russian_slots(word: str) -> frozenset[Slot]:
    """Every (case, number) a Russian noun/adjective form can be in (all its parses)."""
    result = set()
    for p in parses(word):
        case = p.tag.case
        if case in ("gen2", "gen1"):
            case = "gent"
        elif case in ("loc2", "loc1"):
            case = "loct"
        elif case == "acc2":
            case = "accs"
        if (
            case in RU_CASES
            and p.tag.number in NUMBERS
            and ("NOUN" in p.tag.grammemes or _is_agreeing(p))
        ):
            result.add(Slot(case, p.tag.number))
    return frozenset(result)


def russian_rendering_slots(rendering: str) -> frozenset[Slot]:
    """Slots a Russian noun phrase can be in, judged from its head and agreeing words."""
    tokens = words(rendering)
    if not tokens:
        return frozenset()
    plan = _plan_any_case(tokens)
    if plan is None:
        return frozenset()
    head_index, agreeing = plan
    slots = russian_slots(tokens[head_index][2])
    for index in agreeing:
        narrowed = slots & russian_slots(tokens[index][2])
        if narrowed:
            slots = narrowed
    return slots


def _plan_any_case(tokens: Sequence[tuple[int, int, str]]) -> tuple[int, list[int]] | None:
    """Head noun (first noun) of an inflected phrase and the agreeing words before it."""
    before: list[int] = []
    for index, (_, _, word) in enumerate(tokens):
        options = parses(word)
        best = options[0] if options else None
        if best is not None and "NOUN" in best.tag.grammemes:
            return index, before
        if any(_is_agreeing(p) for p in options):
            before.append(index)
        else:
            before = []
    return None


def russian_head_gender(rendering: str) -> str:
    """Gender of the head noun of a Russian phrase (empty when unknown)."""
    tokens = words(rendering)
    plan = _plan_any_case(tokens) if tokens else None
    if plan is None:
        return ""
    for p in parses(tokens[plan[0]][2]):
        if "NOUN" in p.tag.grammemes and p.tag.gender:
            return str(p.tag.gender)
    return ""


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
            gender = russian_head_gender(replaced)
            return bool(gender and par.gender and gender != par.gender)
        return False
    if par.lang == "en":
        tokens = words(replaced.replace("’", "'"))
        if not tokens:
            return False
        last = tokens[-1][2]
        last = last[:-2] if last.endswith("'s") else last.rstrip("'")
        return ("plur" if english_is_plural(last) else "sing") != slot.number
    return False


def preposition_cases(text_before: str) -> frozenset[str] | None:
    """Cases governed by a preposition that ends ``text_before`` (None: no preposition)."""
    tokens = [w.lower() for _, _, w in words(text_before)]
    if not tokens:
        return None
    if len(tokens) >= 2:
        two = f"{tokens[-2]} {tokens[-1]}"
        if two in RU_PREPOSITION_CASES:
            return RU_PREPOSITION_CASES[two]
    return RU_PREPOSITION_CASES.get(tokens[-1])


def choose_russian_slots(par: Paradigm, text_before: str, replaced: str) -> tuple[Slot, ...]:
    """Slots of ``par`` that fit between ``text_before`` and where ``replaced`` stood.

    Uses the case/number the replaced words (the model's own rendering) are in, narrowed by a
    governing preposition; returns the slots most likely first, or every slot when nothing is
    known. Several slots can remain (e.g. nominative vs accusative of an inanimate noun); the
    caller decides between them with the model's scores.
    """
    available = [slot for slot, _ in par.forms]
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

_IRREGULAR_PLURALS = {
    "man": "men",
    "woman": "women",
    "child": "children",
    "person": "people",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "analysis": "analyses",
    "crisis": "crises",
    "thesis": "theses",
    "basis": "bases",
    "headquarters": "headquarters",
    "series": "series",
    "species": "species",
}
_UNCOUNTABLE = frozenset({"security", "information", "news", "equipment", "aid", "police"})


def english_plural(word: str) -> str:
    """Plural of one English noun, keeping its capitalisation."""
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS:
        return _restore_case(word, _IRREGULAR_PLURALS[lower])
    if lower in _UNCOUNTABLE:
        return word
    if re.search(r"(s|x|z|ch|sh)$", lower):
        suffix = "es"
    elif re.search(r"[^aeiou]y$", lower):
        return word[:-1] + ("IES" if word.isupper() else "ies")
    else:
        suffix = "s"
    return word + (suffix.upper() if len(word) > 1 and word.isupper() else suffix)


def english_singular(word: str) -> str:
    """Singular of one English noun (inverse of :func:`english_plural` for regular nouns)."""
    lower = word.lower()
    for singular, plural in _IRREGULAR_PLURALS.items():
        if plural == lower:
            return _restore_case(word, singular)
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if re.search(r"(ses|xes|zes|ches|shes)$", lower):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def english_is_plural(word: str) -> bool:
    """Whether an English noun form looks plural."""
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS.values() and lower not in _IRREGULAR_PLURALS:
        return True
    return lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 3


def _english_head(tokens: Sequence[tuple[int, int, str]]) -> int:
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
    plural_citation = english_is_plural(word) and english_singular(word) != word
    singular_word = english_singular(word) if plural_citation else word
    plural_word = word if plural_citation else english_plural(word)
    number_words = {"sing": singular_word, "plur": plural_word}
    forms: list[tuple[Slot, str]] = []
    citation = Slot("base", "plur" if plural_citation else "sing")
    order = [citation.number] + [n for n in NUMBERS if n != citation.number]
    for case in EN_CASES:
        for number in order:
            base = term[:start] + number_words[number] + term[end:]
            if case == "poss":
                base = english_possessive(base, plural=number == "plur")
            forms.append((Slot(case, number), base))
    return Paradigm(term, "en", tuple(forms), citation)


def english_possessive(phrase: str, *, plural: bool) -> str:
    """``phrase`` with the possessive ending ('s, or ' after a plural in -s)."""
    if plural and phrase.lower().endswith("s"):
        return phrase + "'"
    return phrase + "'s"


def choose_english_slots(par: Paradigm, replaced: str) -> tuple[Slot, ...]:
    """Slots of an English paradigm that fit where ``replaced`` stood (number, possessive)."""
    text = replaced.strip().replace("’", "'")
    tokens = words(text)
    case = "poss" if text.endswith(("'s", "s'")) else "base"
    if not tokens:
        return tuple(slot for slot, _ in par.forms)
    last = tokens[-1][2]
    if case == "poss":
        last = last[:-2] if last.endswith("'s") else last[:-1]
    number = "plur" if english_is_plural(last) else "sing"
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
