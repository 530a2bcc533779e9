"""Agreement outside a replaced term: re-inflect the words that agree with it, or refuse.

Owns what happens to the rest of the sentence when pinning replaces a rendering by an approved
term of another gender or number («Киргизия» -> «Кыргызстан»). :func:`reagree` returns the
sentence with the replacement made and every word that agreed with the old rendering put in
the new gender and number, or ``None`` when that cannot be done safely - the caller then does
not offer the plain replacement (it would leave «Кыргызстан заявила»), and the term fails
(for review) unless a re-decoded continuation fixes it.

Russian (pymorphy3 readings):

- modifiers right before the rendering that agree with it in case, number and gender
  («этой Киргизии» -> «этом Кыргызстане»);
- when the rendering is the subject (nominative): past-tense verbs, short adjectives and short
  participles of its clause, after it («Киргизия заявила и подчеркнула» -> «Кыргызстан
  заявил и подчеркнул») or before it («заявила Киргизия»), and «который» right after its comma;
- a third-person pronoun of the old gender/number later in the sentence («она», «её») may
  refer to the rendering or to something else: nothing can tell, so ``None``.

A clause ends at punctuation. English: after a change of number, a following «is/are,
was/were, has/have, does/do» is swapped; no other English word agrees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from transpipe.lang import morphology
from transpipe.lang.english import restore_case
from transpipe.lang.morphology import Analysis
from transpipe.model import Span

_TOKEN = re.compile(r"\w+(?:-\w+)*")
_SPACE_ONLY = re.compile(r"[\s\u00a0]*")
_PREDICATE = frozenset({"VERB", "ADJS", "PRTS"})
_ENGLISH_NUMBER = {
    "is": "are",
    "are": "is",
    "was": "were",
    "were": "was",
    "has": "have",
    "have": "has",
    "does": "do",
    "do": "does",
}
_ENGLISH_PLURAL_VERBS = frozenset({"are", "were", "have", "do"})
_MASC_PRONOUNS = frozenset(["он", "его", "ему", "им", "нем", "него", "нему", "ним"])
_PRONOUNS: dict[tuple[str, str], frozenset[str]] = {
    ("masc", "sing"): _MASC_PRONOUNS,
    ("neut", "sing"): _MASC_PRONOUNS | {"оно"},
    ("femn", "sing"): frozenset(["она", "ее", "ей", "ею", "нее", "ней", "нею"]),
    ("", "sing"): frozenset(),
    ("", "plur"): frozenset(["они", "их", "им", "ими", "них", "ним", "ними"]),
}


@dataclass(frozen=True)
class Features:
    """Gender (``masc``/``femn``/``neut``, empty if unknown) and number of a noun phrase."""

    gender: str
    number: str

    def key(self) -> tuple[str, str]:
        """What agreeing words show: the gender only in the singular."""
        return (self.gender if self.number == "sing" else "", self.number)


def _parses(word: str) -> tuple[Analysis, ...]:
    return morphology.parse(word)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _agrees(reading: Analysis, old: Features) -> bool:
    if reading.number != old.number:
        return False
    return old.number == "plur" or not old.gender or reading.gender == old.gender


def _new_grammemes(new: Features, *keep: str | None) -> set[str]:
    grammemes = {g for g in keep if g}
    grammemes.add(new.number)
    if new.number == "sing" and new.gender:
        grammemes.add(new.gender)
    return grammemes


def phrase_features(phrase: str, case: str = "") -> Features | None:
    """Features of the head noun of a Russian phrase (the first word read as a noun), in
    ``case`` when given; None when it has no noun."""
    for _, _, word in _tokens(phrase):
        nouns = [a for a in _parses(word) if a.pos == "NOUN"]
        if case:
            nouns = [a for a in nouns if a.case == case] or nouns
        if nouns:
            return Features(nouns[0].gender, nouns[0].number or "sing")
    return None


class _Edits:
    """Word replacements collected for one sentence; ``failed`` once one is impossible."""

    def __init__(self, tokens: Sequence[tuple[int, int, str]]) -> None:
        self.tokens = tokens
        self.words: dict[int, str] = {}
        self.failed = False

    def inflect(self, index: int, reading: Analysis, grammemes: set[str]) -> None:
        inflected = morphology.analyzer().inflect(reading, grammemes)
        if inflected is None:
            self.failed = True
            return
        self.words[index] = restore_case(self.tokens[index][2], inflected.word)


def _joined(text: str, tokens: Sequence[tuple[int, int, str]], a: int, b: int) -> bool:
    """Tokens ``a`` < ``b`` are in one clause: nothing but words and spaces between them."""
    return all(_SPACE_ONLY.fullmatch(text[tokens[i][1] : tokens[i + 1][0]]) for i in range(a, b))


def _reagree_russian(
    text: str, span: Span, case: str, old: Features, new: Features
) -> dict[int, str] | None:
    tokens = _tokens(text)
    before = [i for i, t in enumerate(tokens) if t[1] <= span.start]
    after = [i for i, t in enumerate(tokens) if t[0] >= span.end]
    edits = _Edits(tokens)
    # modifiers right before the rendering ("этой Киргизии")
    first_before = before[-1] if before else -1
    index = first_before
    while index >= 0 and _SPACE_ONLY.fullmatch(
        text[tokens[index][1] : tokens[index + 1][0] if index + 1 < len(tokens) else span.start]
    ):
        reading = next(
            (
                a
                for a in _parses(tokens[index][2])
                if a.agreeing and _agrees(a, old) and (not case or a.case == case)
            ),
            None,
        )
        if reading is None:
            break
        animacy = "inan" if reading.case == "accs" else None
        edits.inflect(index, reading, _new_grammemes(new, reading.case, animacy))
        index -= 1
    if case == "nomn":
        # predicates of the clause after the rendering, "который" right after its comma
        clause = after[0] if after else len(tokens)
        if after and re.fullmatch(r"\s*,\s*", text[span.end : tokens[after[0]][0]]):
            reading = next(
                (
                    a
                    for a in _parses(tokens[after[0]][2])
                    if a.lemma == "который" and _agrees(a, old)
                ),
                None,
            )
            if reading is not None:  # the relative clause, then the main clause after it
                edits.inflect(after[0], reading, _new_grammemes(new, reading.case))
                end = _clause_end(text, tokens, after[0])
                for i in range(after[0] + 1, end + 1):
                    _predicate(edits, i, old, new)
                clause = end + 1 if end + 1 < len(tokens) else len(tokens)
        elif after and not _SPACE_ONLY.fullmatch(text[span.end : tokens[after[0]][0]]):
            clause = len(tokens)
        if clause < len(tokens):
            for i in range(clause, _clause_end(text, tokens, clause) + 1):
                _predicate(edits, i, old, new)
        # an agreeing predicate left further on may belong to the rendering: refuse
        for i in after:
            if i not in edits.words and _predicate_reading(tokens[i][2], old) is not None:
                return None
        # inverted order: predicates of the clause before the rendering ("заявила Киргизия")
        following = tokens[index + 1][0] if index + 1 <= first_before else span.start
        if index >= 0 and _SPACE_ONLY.fullmatch(text[tokens[index][1] : following]):
            first = index
            while first - 1 >= 0 and _joined(text, tokens, first - 1, first):
                first -= 1
            for i in range(first, index + 1):
                _predicate(edits, i, old, new)
    # a pronoun that may stand for the rendering: nothing can tell what it refers to
    pronouns = _PRONOUNS[old.key()]
    if any(tokens[i][2].lower().replace("ё", "е") in pronouns for i in after):
        return None
    if edits.failed:
        return None
    return edits.words


def _clause_end(text: str, tokens: Sequence[tuple[int, int, str]], start: int) -> int:
    """Index of the last token of the clause that starts at token ``start``."""
    end = start
    while end + 1 < len(tokens) and _joined(text, tokens, end, end + 1):
        end += 1
    return end


def _predicate_reading(word: str, old: Features) -> Analysis | None:
    """The reading of ``word`` as a predicate agreeing with ``old`` (past verb, short
    adjective or participle), if it is a likely one."""
    return next(
        (
            a
            for a in _parses(word)
            if a.pos in _PREDICATE
            and (a.pos != "VERB" or "past" in a.grammemes)
            and _agrees(a, old)
            and a.score >= 0.3
        ),
        None,
    )


def _predicate(edits: _Edits, index: int, old: Features, new: Features) -> None:
    reading = _predicate_reading(edits.tokens[index][2], old)
    if reading is not None:
        edits.inflect(index, reading, _new_grammemes(new))


def _reagree_english(text: str, span: Span, old: Features, new: Features) -> dict[int, str]:
    tokens = _tokens(text)
    after = [i for i, t in enumerate(tokens) if t[0] >= span.end]
    if not after or not _SPACE_ONLY.fullmatch(text[span.end : tokens[after[0]][0]]):
        return {}
    word = tokens[after[0]][2]
    swapped = _ENGLISH_NUMBER.get(word.lower())
    if swapped is None or (word.lower() in _ENGLISH_PLURAL_VERBS) == (new.number == "plur"):
        return {}
    return {after[0]: restore_case(word, swapped)}


def reagree(
    text: str,
    span: Span,
    form: str,
    lang: str,
    *,
    case: str,
    old: Features | None,
    new: Features,
) -> str | None:
    """``text`` with ``text[span]`` (a rendering with features ``old``) replaced by ``form``
    (features ``new``, grammatical case ``case``), the words agreeing with it re-inflected;
    None when an agreeing word cannot be re-inflected or a pronoun may refer to it."""
    words: dict[int, str] | None = {}
    if old is not None and old.key() != new.key():
        if lang == "ru":
            words = _reagree_russian(text, span, case, old, new)
        elif lang == "en" and old.number != new.number:
            words = _reagree_english(text, span, old, new)
    if words is None:
        return None
    tokens = _tokens(text)
    out: list[str] = []
    cursor = 0
    for index in sorted(words):
        start, end, _ = tokens[index]
        if start >= span.end and cursor < span.end:
            out.append(text[cursor : span.start] + form)
            cursor = span.end
        out.append(text[cursor:start] + words[index])
        cursor = end
    if cursor <= span.start:
        out.append(text[cursor : span.start] + form)
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)
