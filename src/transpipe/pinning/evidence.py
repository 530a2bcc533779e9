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
- (Russian) each of its words that shares nothing with the term is a word of the same kind
  as a term word it could stand for - a noun for a noun, an adjective or participle for an
  adjective («больному» does not stand for «медицинская»).
"""

from __future__ import annotations

from collections.abc import Sequence

from transpipe.model import Span
from transpipe.pinning.inflect import Paradigm, words
from transpipe.pinning.locate import lemmas
from transpipe.terms import morphology

_ADJECTIVAL = frozenset({"ADJF", "PRTF", "NUMR"})


def head_word(par: Paradigm) -> str | None:
    """The word of the term that its other forms inflect last (the head noun; an agreeing
    adjective changes too, before it), or None when the term has one form."""
    base = [w for _, _, w in words(par.term)]
    changed: set[int] = set()
    for _, form in par.forms:
        other = [w for _, _, w in words(form)]
        if len(other) == len(base):
            changed |= {i for i, (a, b) in enumerate(zip(base, other, strict=True)) if a != b}
    return base[max(changed)] if changed else None


def _kind(analysis_pos: str) -> str:
    if analysis_pos == "NOUN":
        return "noun"
    if analysis_pos in _ADJECTIVAL:
        return "adjective"
    return analysis_pos.lower() or "other"


def _kinds(word: str) -> frozenset[str]:
    return frozenset(_kind(a.pos) for a in morphology.parse(word))


def _shares(word: str, term_word: str, lang: str) -> bool:
    return bool(lemmas(word, lang) & lemmas(term_word, lang))


def plausible(text: str, span: Span, par: Paradigm, lang: str) -> bool:
    """Whether ``text[span]`` can be the rendering of ``par``'s term (see the module doc)."""
    window = [w for _, _, w in words(text[span.start : span.end])]
    term = [w for _, _, w in words(par.term)]
    head = head_word(par)
    if head is not None and not any(_shares(w, head, lang) for w in window):
        return False
    if lang != "ru":
        return True
    unmatched_term = [t for t in term if not any(_shares(w, t, lang) for w in window)]
    wanted = frozenset(k for t in unmatched_term for k in _kinds(t))
    for word in window:
        if any(_shares(word, t, lang) for t in term) or len(word) <= 2:
            continue
        if not _kinds(word) & wanted:
            return False
    return True


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

