"""Russian noun phrases: every case and number of a glossary term, and the slot of a phrase.

Owns how a (multiword) Russian term inflects as a whole:

- the head is the first noun of the term in the nominative; adjectives and participles before
  it agree with it in case, number and gender (and animacy in the accusative); everything
  after the head is a fixed tail and stays as written ("Совет коллективной безопасности" ->
  "Совета коллективной безопасности"); words keep their capitalisation ("Генеральный
  секретарь" -> "Генеральным секретарём");
- a hyphenated pair of nouns inflects in both parts, with the case and number of the first
  and its animacy in the accusative: "государство-член" -> "государств-членов" (genitive
  plural), "государства-члены" (accusative plural, inanimate); "женщину-врача" (animate);
- personal names inflect by the rules of :mod:`transpipe.lang.names`, never by the
  dictionary: a term that is a name ("Имангали Тасмагамбетов") and a name in apposition at
  the end of a term ("Генеральный секретарь ОДКБ Имангали Тасмагамбетов" -> "Генерального
  секретаря ОДКБ Имангали Тасмагамбетова"), singular only.

The other direction: :func:`phrase_slots` says which (case, number) a phrase found in text
can be in, judged from its head noun and the agreeing words before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from transpipe.lang import names
from transpipe.lang.english import restore_case
from transpipe.lang.morphology import CASES, NUMBERS, Analysis, analyzer

_WORD = re.compile(r"[\w][\w'’-]*", re.UNICODE)
# Grammemes of heads that have no plural worth offering (proper names, mass nouns).
_SINGULAR_ONLY = ("Sgtm", "Fixd", "Geox", "Name", "Surn", "Orgn")

Token = tuple[int, int, str]  # start, end, word


def words(text: str) -> list[Token]:
    """Word tokens of ``text`` as ``(start, end, word)``; hyphenated words stay whole."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class PhraseForm:
    """One form of a phrase: its text and grammatical slot."""

    text: str
    case: str
    number: str


@dataclass(frozen=True)
class PhraseForms:
    """Every form of one Russian phrase, citation number first, then case order.

    ``citation_number`` is the number the phrase is written in; ``gender`` is its head
    noun's gender (``masc``, ``femn``, ``neut``; empty when unknown). A slot may have more
    than one correct spelling (the first is preferred).
    """

    forms: tuple[PhraseForm, ...]
    citation_number: str
    gender: str


@dataclass(frozen=True)
class _Compound:
    """A hyphenated pair of nouns that inflect together ("государство-член")."""

    first: Analysis
    second: Analysis


Head = Analysis | _Compound


def _head_reading(head: Head) -> Analysis:
    return head.first if isinstance(head, _Compound) else head


@dataclass(frozen=True)
class _Plan:
    """How a phrase inflects: the head word index and reading, the agreeing words before
    it, and a personal name at the end (token index where it starts), if any."""

    head: int
    head_reading: Head
    agreeing: tuple[tuple[int, Analysis], ...]
    name_start: int | None


def _compound(word: str) -> _Compound | None:
    """Both parts of a hyphenated word as nominative nouns of one number, when the
    dictionary knows the parts but not the whole word ("государство-член", "женщина-врач";
    not "Нур-Султан")."""
    parts = word.split("-")
    morph = analyzer()
    if len(parts) != 2 or not all(parts) or morph.is_known(word):
        return None
    if not all(morph.is_known(part) for part in parts):
        return None
    firsts = [a for a in morph.parse(parts[0]) if a.pos == "NOUN" and a.case == "nomn"]
    seconds = [a for a in morph.parse(parts[1]) if a.pos == "NOUN" and a.case == "nomn"]
    for first in firsts:
        for second in seconds:
            if first.number == second.number:
                return _Compound(first, second)
    return None


def _is_name_token(word: str) -> bool:
    return (len(word) == 1 and word.isupper()) or names.looks_like_name_word(word)


def _name_start(tokens: Sequence[Token], after: int) -> int | None:
    """Index of the first word of a personal name that ends the phrase after ``after``."""
    start = len(tokens)
    while start - 1 > after and _is_name_token(tokens[start - 1][2]):
        start -= 1
    named = [t for t in tokens[start:] if len(t[2]) > 1]
    return start if start < len(tokens) and named else None


def _plan(tokens: Sequence[Token]) -> _Plan | None:
    morph = analyzer()
    agreeing_readings: list[tuple[int, list[Analysis]]] = []
    for index, (_, _, word) in enumerate(tokens):
        compound = _compound(word) if "-" in word else None
        if compound is not None:
            head: Head = compound
            return _Plan(index, head, _agreeing(agreeing_readings, compound.first), None)
        options = morph.parse(word)
        nouns = [a for a in options if a.pos == "NOUN" and a.case == "nomn"]
        adjs = [a for a in options if a.agreeing and a.case == "nomn"]
        if nouns and not (adjs and adjs[0].score > nouns[0].score):
            numbers = {a.number for _, readings in agreeing_readings for a in readings}
            reading = next((a for a in nouns if a.number in numbers), nouns[0])
            return _Plan(
                index,
                reading,
                _agreeing(agreeing_readings, reading),
                _name_start(tokens, index),
            )
        if adjs:
            agreeing_readings.append((index, adjs))
        else:
            agreeing_readings.clear()  # a non-agreeing word cuts agreement (e.g. a number)
    return None


def _agreeing(
    candidates: Sequence[tuple[int, list[Analysis]]], head: Analysis
) -> tuple[tuple[int, Analysis], ...]:
    out = []
    for index, readings in candidates:
        fitting = [
            a
            for a in readings
            if a.number == head.number and (head.number == "plur" or a.gender in ("", head.gender))
        ]
        if fitting:
            out.append((index, fitting[0]))
    return tuple(out)


def _inflect_head(head: Head, case: str, number: str) -> str | None:
    morph = analyzer()
    if isinstance(head, _Compound):
        first = morph.inflect(head.first, {case, number})
        second_case = "nomn" if case == "accs" and head.first.animacy != "anim" else case
        second = morph.inflect(head.second, {second_case, number})
        if first is None or second is None:
            return None
        return f"{first.word}-{second.word}"
    if head.has("Fixd"):
        return head.word
    inflected = morph.inflect(head, {case, number})
    return None if inflected is None else inflected.word


def _inflect(
    term: str, tokens: Sequence[Token], plan: _Plan, case: str, number: str, name_form: str
) -> str | None:
    head = _head_reading(plan.head_reading)
    new_head = _inflect_head(plan.head_reading, case, number)
    if new_head is None:
        return None
    replacements: dict[int, str] = {plan.head: new_head}
    animacy = head.animacy or "inan"
    for index, reading in plan.agreeing:
        grammemes = {case, number}
        if number == "sing" and head.gender:
            grammemes.add(head.gender)
        if case == "accs" and (number == "plur" or head.gender == "masc"):
            grammemes.add(animacy)
        inflected = analyzer().inflect(reading, grammemes)
        if inflected is None:
            return None
        replacements[index] = inflected.word
    out: list[str] = []
    cursor = 0
    end_of_text = len(tokens) if plan.name_start is None else plan.name_start
    for index, (start, end, word) in enumerate(tokens[:end_of_text]):
        out.append(term[cursor:start])
        out.append(restore_case(word, replacements[index]) if index in replacements else word)
        cursor = end
    if plan.name_start is not None:
        out.append(term[cursor : tokens[plan.name_start][0]])
        out.append(name_form)
        cursor = tokens[-1][1]
    out.append(term[cursor:])
    return "".join(out)


def _name_term(term: str, tokens: Sequence[Token]) -> bool:
    """A term that is a personal name: several name words, or one word that is a name by
    the dictionary or by its suffix (a single unknown capitalised word may be anything)."""
    if not names.is_personal_name(term):
        return False
    return len(tokens) > 1 or names.has_name_evidence(tokens[0][2])


def phrase_forms(term: str) -> PhraseForms | None:
    """Every form of a Russian term, or None when it has no head noun (does not inflect)."""
    tokens = words(term)
    if not tokens:
        return None
    if _name_term(term, tokens):
        paradigm = names.name_paradigm(term)
        return PhraseForms(
            tuple(PhraseForm(f.text, f.case, f.number) for f in paradigm.forms),
            "sing",
            paradigm.gender,
        )
    plan = _plan(tokens)
    if plan is None:
        return None
    head = _head_reading(plan.head_reading)
    citation = head.number or "sing"
    numbers = [citation] + [n for n in NUMBERS if n != citation]
    name = None
    if plan.name_start is not None:
        name = names.name_paradigm(term[tokens[plan.name_start][0] : tokens[-1][1]])
        numbers = ["sing"]
    if head.has(*_SINGULAR_ONLY) and not isinstance(plan.head_reading, _Compound):
        numbers = [citation]
    if head.has("Pltm"):
        numbers = ["plur"]
    forms = []
    for number in numbers:
        for case in CASES:
            name_form = name.form(case, "sing") if name is not None else ""
            text = _inflect(term, tokens, plan, case, number, name_form)
            if text is not None:
                forms.append(PhraseForm(text, case, number))
    if not forms:
        return None
    return PhraseForms(tuple(forms), citation, head.gender)


# -- the slot of a phrase found in text ---------------------------------------------------


def word_slots(word: str) -> frozenset[tuple[str, str]]:
    """Every (case, number) a Russian noun/adjective form can be in (all its readings)."""
    return frozenset(
        (a.case, a.number)
        for a in analyzer().parse(word)
        if a.case in CASES and a.number in NUMBERS and (a.pos == "NOUN" or a.agreeing)
    )


def _head_of_any_case(tokens: Sequence[Token]) -> tuple[int, list[int]] | None:
    """Head noun (first noun) of an inflected phrase and the agreeing words before it."""
    before: list[int] = []
    for index, (_, _, word) in enumerate(tokens):
        options = analyzer().parse(word)
        if options and options[0].pos == "NOUN":
            return index, before
        if any(a.agreeing for a in options):
            before.append(index)
        else:
            before = []
    return None


def phrase_slots(text: str) -> frozenset[tuple[str, str]]:
    """(case, number) slots a Russian noun phrase can be in, judged from its head and the
    agreeing words before it."""
    tokens = words(text)
    found = _head_of_any_case(tokens) if tokens else None
    if found is None:
        return frozenset()
    head, agreeing = found
    slots = word_slots(tokens[head][2])
    for index in agreeing:
        narrowed = slots & word_slots(tokens[index][2])
        if narrowed:
            slots = narrowed
    return slots


def head_gender(text: str) -> str:
    """Gender of the head noun of a Russian phrase (empty when unknown)."""
    tokens = words(text)
    found = _head_of_any_case(tokens) if tokens else None
    if found is None:
        return ""
    for a in analyzer().parse(tokens[found[0]][2]):
        if a.pos == "NOUN" and a.gender:
            return a.gender
    return ""
