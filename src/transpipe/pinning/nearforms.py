"""Approved terms written with endings the paradigm does not know.

Owns the rule that keeps pinning from "repairing" a correct inflection it cannot generate: the
words of an approved term, in order and separated only by spaces, each spelt the same up to
its ending (at most ``MAX_ENDING`` letters differ at the end of either word, at least
``MIN_STEM`` letters shared), count as the term being there. An unknown surname
(«Тасмагамбетова», accusative), a compound («государств-членов», part by part) or a form the
dictionary lacks is thereby honoured and left alone - the no-harm choice, since nothing can
tell a correct unknown form from a wrong one. A different word with the same beginning
(«Российская» for «Россия», «Киргизия» for «Кыргызстан») is not near: its tail is longer or
its stem differs.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from transpipe.model import Span
from transpipe.pinning.inflect import fold

MAX_ENDING = 3
MIN_STEM = 3
MAX_REORDERED = 3  # terms of up to this many words are also recognised in another order
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_SPACES = re.compile(r"\s+")
_ARTICLES = frozenset({"the", "a", "an"})


def same_word_but_ending(a: str, b: str) -> bool:
    """``a`` and ``b`` are one word with (possibly) different endings (case and ё ignored)."""
    x, y = fold(a), fold(b)
    if x == y:
        return True
    parts_x, parts_y = x.split("-"), y.split("-")
    if len(parts_x) > 1 and len(parts_x) == len(parts_y):  # «государств-членов»
        return all(same_word_but_ending(p, q) for p, q in zip(parts_x, parts_y, strict=True))
    shorter = min(len(x), len(y))
    stem = next((i for i in range(shorter) if x[i] != y[i]), shorter)
    if stem < MIN_STEM or not (x[:1].isalpha() and y[:1].isalpha()):
        return False
    return len(x) - stem <= MAX_ENDING and len(y) - stem <= MAX_ENDING


def near_forms(terms: Iterable[str], text: str) -> list[Span]:
    """Spans of ``text`` holding one of ``terms`` word for word up to the endings; English
    articles do not count ("spread of *the* virus" for "spread of virus", "the epidemic"
    for "an epidemic"); the two or three words of a term may also stand in another order
    side by side («вспышки коронавируса» for «коронавирус вспышка», "hand washing" for
    "washing hands") - the same words, so the same term."""
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    found: list[Span] = []
    for term in terms:
        wanted = _WORD.findall(term)
        if not wanted:
            continue
        orders = [wanted]
        if 2 <= len(wanted) <= MAX_REORDERED:
            orders += [list(p) for p in itertools.permutations(wanted)][1:]
        for i in range(len(tokens)):
            for order in orders:
                end = _match_from(text, tokens, i, order, articles=order is wanted)
                if end is not None:
                    span = Span(tokens[i][0], tokens[end][1])
                    if not any(span.overlaps(other) for other in found):
                        found.append(span)
                    break
    return found


def _match_from(
    text: str,
    tokens: list[tuple[int, int, str]],
    start: int,
    wanted: list[str],
    *,
    articles: bool = True,
) -> int | None:
    """Index of the last token of a near form of ``wanted`` starting at ``start``, if any
    (English articles skipped when ``articles``)."""
    if articles:
        wanted = [w for w in wanted if w.lower() not in _ARTICLES] or wanted  # "an epidemic"
    index = start
    for position, word in enumerate(wanted):
        if position:
            while (
                articles
                and index < len(tokens)
                and tokens[index][2].lower() in _ARTICLES
                and word.lower() not in _ARTICLES
                and _SPACES.fullmatch(text[tokens[index - 1][1] : tokens[index][0]])
            ):
                index += 1
            if index >= len(tokens) or not _SPACES.fullmatch(
                text[tokens[index - 1][1] : tokens[index][0]]
            ):
                return None
        if index >= len(tokens) or not same_word_but_ending(word, tokens[index][2]):
            return None
        index += 1
    return index - 1
