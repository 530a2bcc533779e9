"""Whether a window found by shared words is the model's rendering of a term.

Owns the rule for replacing words that are not a listed forbidden variant (windows found by
:func:`transpipe.pinning.locate.lemma_windows`): only where the evidence says those words
render the term. A window qualifies when

- it shares the most words with the term among the windows found (the rendering is where
  the evidence is, not a lone shared word elsewhere: "Permanent *Council*");
- it shares the term's head word - the word that carries the term's number and case
  («маска» in «лицевая маска», "Ministry" in "Ministry of Foreign Affairs"). A shared
  modifier with another head is another concept: «дыхательного эпителия» is not a rendering
  of «дыхательная трубка», «медицинскими процедурами» not one of «медицинская помощь».
  An unlisted synonym of the head («миротворческие войска» for «миротворческие силы») is
  therefore left alone and reported; listing it as forbidden makes it replaceable;
- it shares each term word at most once, and in the term's order unless it shares all of
  them ("Council for Collective Security" is a reordering of "Collective Security Council";
  "*transmission* of the virus" for "virus transmission" is not);
- its other words are no more than the term words it lacks ("World Health Organization" is
  not "World Organization"), and each can stand for one: in Russian only a modifier for a
  modifier («медицинских масок» for «лицевая маска»), with no other modifier before it that
  could be the one («тесного личного контакта»); in English a word before the head that is
  in a name or an English term only a spelling variant ("Walid" for "Valid", "organisation"
  for "organization": "novel virus" is no rendering of "corona virus"); and the head word
  occurs nowhere else in the sentence (with «работников здравоохранения, социальных
  работников» nothing says which is meant); and no word standing for a term word is a word of
  another glossary term («региональной безопасности» renders "regional security", not
  "international security", even where the source said "regional and international").

A term that starts with a preposition or has a single form (a verb phrase) is no noun phrase
to inflect: only its listed forbidden variants are replaced.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from transpipe.lang import morphology
from transpipe.lang.function_words import FUNCTION_WORDS
from transpipe.model import Span
from transpipe.pinning.inflect import Paradigm, fold, words
from transpipe.pinning.locate import lemmas

_ADJECTIVAL = frozenset({"ADJF", "PRTF", "NUMR"})
SPELLING = 0.75  # similarity of a spelling variant ("organisation", "Walid")


def head_word(par: Paradigm) -> str | None:
    """The word of the term that its other forms inflect last (the head noun; an agreeing
    adjective changes too, before it) - judged on the forms of its own case first (an
    English possessive changes the last word, not the head) - or None with one form."""
    base = [w for _, _, w in words(par.term)]
    for same_case in (True, False):
        changed: set[int] = set()
        for slot, form in par.forms:
            other = [w for _, _, w in words(form)]
            if len(other) == len(base) and (slot.case == par.citation.case or not same_case):
                changed |= {i for i, (a, b) in enumerate(zip(base, other, strict=True)) if a != b}
        if changed:
            return base[max(changed)]
    return None


def _spelling(word: str, term_word: str) -> bool:
    """``word`` is a spelling variant of ``term_word`` ("organisations", "Walid")."""
    return (
        word[:1].isalpha()
        and term_word[:1].isalpha()
        and difflib.SequenceMatcher(None, fold(word), fold(term_word)).ratio() >= SPELLING
    )


def _elsewhere(text: str, span: Span, head: str, lang: str) -> bool:
    """The head word occurs outside the window too."""
    return any(
        _shares(w, head, lang)
        for start, end, w in words(text)
        if end <= span.start or start >= span.end
    )


def _continues(text: str, span: Span, term: Sequence[str]) -> bool:
    """A capitalised term whose window is followed by another capitalised word of the same
    name (no punctuation between)."""
    after = re.match(r"[ \u00a0]+(\w+)", text[span.end :])
    if after is None:
        return False
    return term[-1][:1].isupper() and after.group(1)[:1].isupper()


def _kind(analysis_pos: str) -> str:
    if analysis_pos == "NOUN":
        return "noun"
    if analysis_pos in _ADJECTIVAL:
        return "adjective"
    return analysis_pos.lower() or "other"


def _agrees_with(word: str, noun: str) -> bool:
    """``word`` can be an adjective agreeing with ``noun`` (case, number, gender)."""
    nouns = [a for a in morphology.parse(noun) if a.pos == "NOUN"]
    return any(
        a.pos in _ADJECTIVAL
        and "Apro" not in a.tag  # a pronoun («это», «его») stands for no adjective
        and n.case == a.case
        and n.number == a.number
        and (a.number == "plur" or not a.gender or a.gender == n.gender)
        for a in morphology.parse(word)
        for n in nouns
    )


def _kind_of(word: str) -> str:
    """The part of speech class of the word's likeliest reading."""
    readings = morphology.parse(word)
    return _kind(readings[0].pos) if readings else "other"


def _shares(word: str, term_word: str, lang: str) -> bool:
    return bool(lemmas(word, lang) & lemmas(term_word, lang))


def _function_word(word: str) -> bool:
    return fold(word) in FUNCTION_WORDS


def plausible(
    text: str, span: Span, par: Paradigm, lang: str, meaningful: frozenset[str] = frozenset()
) -> bool:
    """Whether ``text[span]`` can be the rendering of ``par``'s term (see the module doc);
    ``meaningful``: lemmas of the words of the glossary's other terms - a word that renders
    another concept («региональной» of «региональная безопасность») stands for nothing of
    this one."""
    window = [w for _, _, w in words(text[span.start : span.end])]
    term = [w for _, _, w in words(par.term)]
    if not window or not term or _function_word(term[0]):
        return False  # a term that starts with a preposition is no noun phrase to inflect
    head = head_word(par)
    if head is not None and not any(
        _shares(w, head, lang) or (lang != "ru" and _spelling(w, head)) for w in window
    ):
        return False
    positions = [
        None
        if _function_word(w)
        else next((i for i, t in enumerate(term) if _shares(w, t, lang)), None)
        for w in window
    ]
    shared = [i for i in positions if i is not None]
    missing = [t for i, t in enumerate(term) if i not in shared and not _function_word(t)]
    if len(set(shared)) != len(shared) or (shared != sorted(shared) and missing):
        return False  # a word twice, or a partial match in another order: another phrase
    if (positions[0] is None and _function_word(window[0])) or (
        positions[-1] is None and _function_word(window[-1])
    ):
        return False  # a function word at an edge renders nothing of the term
    extra = [w for w, i in zip(window, positions, strict=True) if i is None]
    extra = [w for w in extra if not _function_word(w)]
    if lang == "en" and _continues(text, span, term):
        return False  # "Council of Ministers of Foreign *Affairs*": the name goes on
    if len(extra) > len(missing):
        return False  # "World *Health* Organization" is not "World Organization"
    if not extra:
        return True
    if head is not None and _elsewhere(text, span, head, lang):
        return False  # «работников здравоохранения, социальных работников»: which one?
    name = all(t[:1].isupper() or not t[:1].isalpha() for t in term)
    if name or lang != "ru":
        # only a spelling variant stands for a word of a name ("Walid" / "Valid", not
        # "Vladislav" / "Vladimir", never "Sunday" / "Vladimir") or of an English term
        # ("organisation" / "organization"; "novel virus" is no "corona virus")
        return all(
            (w[:1].isupper() or not name) and _spelling(w, t)
            for w, t in zip(extra, missing, strict=False)
        )
    # Russian: only a modifier may stand for a modifier of the term («медицинских масок» for
    # «лицевая маска»), agreeing with its noun; a noun beside the head is a complement of its
    # own («начале *апреля*» is not «начало работы»); with another modifier before it, which
    # one renders the term's is anybody's guess («тесного личного контакта»)
    if any(_kind_of(t) != "adjective" for t in missing[: len(extra)]):
        return False
    if any(lemmas(w, lang) & meaningful for w in extra):
        return False  # «региональной» renders "regional", whatever the source also said
    for k, word in enumerate(window):
        if positions[k] is not None or _function_word(word):
            continue
        noun = next((w for w in window[k + 1 :] if _kind_of(w) == "noun"), None)
        if noun is None or not _agrees_with(word, noun):
            return False
        before = [w for _, _, w in words(text[: span.start])]
        if k == 0 and before and _agrees_with(before[-1], noun):
            return False
    return True


def reordered(text: str, span: Span, par: Paradigm, lang: str) -> bool:
    """The window has the term's words in another order ("Council for Collective Security")."""
    term = [w for _, _, w in words(par.term)]
    shared = [
        i
        for _, _, w in words(text[span.start : span.end])
        if (i := next((k for k, t in enumerate(term) if _shares(w, t, lang)), None)) is not None
    ]
    return shared != sorted(shared)


def best_evidence(text: str, windows: Sequence[Span], term: str, lang: str) -> list[Span]:
    """The windows sharing the most words with ``term`` (by lemma)."""
    wanted = [lemmas(w, lang) for _, _, w in words(term)]

    def hits(span: Span) -> int:
        return sum(
            1
            for _, _, w in words(text[span.start : span.end])
            if any(lemmas(w, lang) & lemma for lemma in wanted)
        )

    counts = [hits(span) for span in windows]
    most = max(counts, default=0)
    return [span for span, n in zip(windows, counts, strict=True) if n == most and n]
