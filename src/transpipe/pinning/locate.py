"""Finding terms in a translation: approved forms, forbidden forms, and the model's rendering.

Owns the target-side search that pinning needs:

- :class:`FormFinder` finds every occurrence of any surface form of a set of paradigms
  (case-insensitive, ё = е, any whitespace between words, whole words only);
- :func:`rendering_windows` proposes where the model put its own rendering of a concept when
  no approved form is there: a forbidden variant if one is present, else the words whose
  lemmas overlap the approved term's lemmas ("Совета по коллективной безопасности" for
  "Совет коллективной безопасности", "миротворческих войск" for "миротворческие силы"),
  else every short window (the caller lets the model's scores decide).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from transpipe.lang import english, morphology
from transpipe.lang.chars import DASHES, HYPHENS
from transpipe.lang.function_words import JOINING_WORDS
from transpipe.model import Span
from transpipe.pinning.inflect import Paradigm, fold, words

_CONJUNCTIONS = frozenset({"и", "или", "а", "но", "and", "or", "but"})
_PUNCTUATION = re.compile(r"[^\w\s\-\u2010\u2011'’]")
# a hyphen inside a form also matches the other hyphens and a spaced dash ("государств –
# членов" for "государств-членов")
_JOIN = "(?:[" + "".join(HYPHENS) + "]|\\s*[" + "".join(DASHES) + "]\\s*)"


def _form_pattern(surface: str) -> str:
    parts = []
    for _, _, word in words(surface):
        pieces = []
        for piece in re.split("[" + "".join(HYPHENS) + "]", word):
            escaped = re.escape(piece)
            escaped = re.sub("[еёЕЁ]", "[её]", escaped)
            escaped = escaped.replace("'", "['’]").replace("’", "['’]")
            pieces.append(escaped)
        parts.append(_JOIN.join(pieces))
    return r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)" if parts else r"(?!)"


@dataclass(frozen=True)
class FormFinder:
    """Finds occurrences of the surface forms of some paradigms in a text."""

    paradigms: tuple[Paradigm, ...]

    @functools.cached_property
    def _regex(self) -> re.Pattern[str]:
        surfaces = {s for par in self.paradigms for s in par.surfaces()}
        # Longest first so "Совета коллективной безопасности" wins over a shorter form.
        ordered = sorted(surfaces, key=lambda s: (-len(s), s))
        return re.compile("|".join(_form_pattern(s) for s in ordered), re.IGNORECASE)

    def find(self, text: str) -> list[Span]:
        """Non-overlapping occurrences, left to right."""
        if not self.paradigms:
            return []
        return [Span(m.start(), m.end()) for m in self._regex.finditer(text)]


def lemmas(word: str, lang: str) -> frozenset[str]:
    """Possible lemmas of one word (every dictionary reading for Russian; for English the
    word and its singular)."""
    lower = fold(word)
    if lang == "ru":
        return morphology.lemmas(lower) | {lower}
    if lang == "en":
        base = lower[:-2] if lower.endswith("'s") else lower.rstrip("'")
        return frozenset({base, english.singular(base)})
    return frozenset({lower})


def _content_lemmas(term: str, lang: str) -> list[frozenset[str]]:
    return [lemmas(w, lang) for _, _, w in words(term) if fold(w) not in JOINING_WORDS]


def lemma_windows(text: str, term: str, lang: str, blocked: Sequence[Span] = ()) -> list[Span]:
    """Windows of ``text`` whose words share lemmas with ``term``, best first.

    A window is a run of lemma-matching words, allowing one short function word between them
    ("Совет *по* коллективной безопасности"); it is widened to the term's length on the side
    where the term has words the model rendered differently ("миротворческих *войск*"), by
    at most as many words as it shares, and only when a word stands for every missing term
    word (see :func:`_widen`) - otherwise it is no rendering of the term. Windows
    overlapping ``blocked`` spans (terms already in place) are skipped.
    """
    term_lemmas = _content_lemmas(term, lang)
    term_words = [w for _, _, w in words(term) if fold(w) not in JOINING_WORDS]
    joiners = {fold(w) for _, _, w in words(term)} & JOINING_WORDS  # "of" in "Ministry of ..."
    if not term_lemmas:
        return []
    tokens = words(text)
    hits: list[tuple[int, int]] = []  # (token index, index of the term word it matches)
    inside: list[tuple[int, int]] = []  # the same in other terms' places
    for index, (start, end, word) in enumerate(tokens):
        if fold(word) in JOINING_WORDS:
            continue
        own = lemmas(word, lang)
        for term_index, term_lemma in enumerate(term_lemmas):
            if own & term_lemma:
                if any(Span(start, end).overlaps(b) for b in blocked):
                    inside.append((index, term_index))
                else:
                    hits.append((index, term_index))
                break
    if not hits:
        return []
    clusters: list[list[tuple[int, int]]] = [[hits[0]]]
    for hit in hits[1:]:
        previous = clusters[-1][-1][0]
        if (
            hit[0] - previous <= 2
            and _one_phrase(text, tokens, previous, hit[0])
            and hit[1] not in {i for _, i in clusters[-1]}  # a term word twice: two phrases
        ):
            clusters[-1].append(hit)
        else:
            clusters.append([hit])
    clusters.sort(key=lambda c: -len(c))
    spans: list[Span] = []
    for cluster in clusters:
        first_token, last_token = cluster[0][0], cluster[-1][0]
        matched = {term_index for _, term_index in cluster}
        missing = set(range(len(term_lemmas))) - matched
        left = sum(1 for i in missing if i < min(matched))
        right = sum(1 for i in missing if i > max(matched))
        elsewhere = {i for _, i in hits} | {
            i for at, i in inside if _same_phrase(text, tokens, at, first_token, last_token)
        }
        if left + right > len(cluster) or missing & elsewhere:
            # one shared word is no evidence for a longer rendering around it; a missing
            # word the text has elsewhere ("transmission of the *virus*" for "virus
            # transmission") is not rendered by the words next to this one
            continue
        lo, took_left = _widen(
            text, tokens, first_token, -1, term_words[min(matched) - left : min(matched)], joiners
        )
        hi, took_right = _widen(
            text, tokens, last_token, 1, term_words[max(matched) + 1 :][:right], joiners
        )
        if took_left < left or took_right < right:
            continue  # a term word nothing stands for would be inserted out of nothing
        span = Span(tokens[lo][0], tokens[hi][1])
        if span not in spans and not any(span.overlaps(x) for x in blocked):
            spans.append(span)
    return spans


def _one_phrase(text: str, tokens: Sequence[tuple[int, int, str]], a: int, b: int) -> bool:
    """No punctuation between tokens ``a`` and ``b`` (a term never spans it)."""
    lo, hi = min(a, b), max(a, b)
    return not _PUNCTUATION.search(text[tokens[lo][1] : tokens[hi][0]])


def _same_phrase(
    text: str, tokens: Sequence[tuple[int, int, str]], at: int, first: int, last: int
) -> bool:
    """Token ``at`` is within three words of tokens ``first``..``last``, with no punctuation
    and no conjunction between them."""
    lo, hi = (at, first) if at < first else (last, at)
    return (
        hi - lo <= 3
        and _one_phrase(text, tokens, lo, hi)
        and not any(fold(tokens[i][2]) in _CONJUNCTIONS for i in range(lo + 1, hi))
    )


def _widen(
    text: str,
    tokens: Sequence[tuple[int, int, str]],
    edge: int,
    step: int,
    missing: Sequence[str],
    joiners: set[str],
) -> tuple[int, int]:
    """How far a window grows from token ``edge`` (going by ``step``) to take in words that
    stand for the ``missing`` term words, over the term's own function words between them
    ("Department *of* Foreign Affairs" for "Ministry of Foreign Affairs"): the token index it
    reaches and how many term words it found. Another function word, a capitalised word for
    a lower-case term word or a lower-case word for an acronym stands for nothing ("и
    Де-Мойном", "Совета Безопасности *заявил*" for "Совет Безопасности ООН")."""
    wanted = list(missing) if step > 0 else list(reversed(missing))
    reached, index, took = edge, edge + step, 0
    for term_word in wanted:
        while 0 <= index < len(tokens) and fold(tokens[index][2]) in joiners:
            index += step
        if not 0 <= index < len(tokens) or not _one_phrase(text, tokens, reached, index):
            break
        word = tokens[index][2]
        if (
            fold(word) in JOINING_WORDS
            or (word[:1].isupper() and not term_word[:1].isupper())
            or (term_word.isupper() and not word.isupper())
            or word[:1].isalpha() != term_word[:1].isalpha()
        ):
            break
        reached, index, took = index, index + step, took + 1
    return reached, took


def sliding_windows(text: str, max_words: int, blocked: Sequence[Span] = ()) -> list[Span]:
    """Every window of 1..``max_words`` words that avoids ``blocked`` spans."""
    tokens = words(text)
    spans = []
    for a in range(len(tokens)):
        for b in range(a, min(len(tokens), a + max_words)):
            span = Span(tokens[a][0], tokens[b][1])
            if not any(span.overlaps(x) for x in blocked):
                spans.append(span)
    return spans


def rendering_windows(
    text: str,
    term: str,
    lang: str,
    forbidden: FormFinder,
    blocked: Sequence[Span] = (),
    *,
    max_fallback_words: int = 4,
) -> tuple[list[Span], str]:
    """Where the model rendered the concept whose approved term is ``term``.

    Returns the candidate spans and how they were found: ``"forbidden"``, ``"lemma"``,
    ``"window"`` (every short window; the caller ranks them by model score) or ``"none"``.
    """
    found = [s for s in forbidden.find(text) if not any(s.overlaps(b) for b in blocked)]
    if found:
        return found, "forbidden"
    by_lemma = lemma_windows(text, term, lang, blocked)
    if by_lemma:
        return by_lemma, "lemma"
    limit = max(1, min(max_fallback_words, len(words(term)) + 1))
    windows = sliding_windows(text, limit, blocked)
    return windows, ("window" if windows else "none")


def spans_of(finders: Iterable[FormFinder], text: str) -> list[Span]:
    """All occurrences found by any of ``finders``."""
    return [span for finder in finders for span in finder.find(text)]
