"""Text the checks share: words with their spans, protected spans, and sentence ends.

Owns what the checks need beyond language knowledge: finding words with their spans, URL
and e-mail spans that other checks must not read as prose, and counting sentences without a
full segmenter (checks must stay cheap and never fail). Which script a letter or word is in
is language knowledge: :mod:`transpipe.lang.script`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
# URLs and e-mail addresses: every repetition is bounded (RFC 3986/5321 sizes) and a match may
# only start where a run of its characters starts, so a 200 KB token costs linear time
URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"«»]{0,2047}[^\s<>\"«».,;:!?)\]]"
    r"|(?<![\w.-])[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.(?:рф|рус)\b",
    re.IGNORECASE,
)
EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?![\w-])", re.UNICODE
)
SENTENCE_END_RE = re.compile(r"(?<![.!?…])[.!?…]+[»\"”')\]]*\s+(?=[«\"“(]?[A-ZА-ЯЁ])")
_LAST_WORD_RE = re.compile(r"(?<!\w)(\w+)$")


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """Letter-only words (hyphenated compounds kept whole) with their character spans."""
    return [Word(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and e-mail addresses, which other checks must not read as prose."""
    spans = [(m.start(), m.end()) for m in URL_RE.finditer(text)]
    spans += [(m.start(), m.end()) for m in EMAIL_RE.finditer(text)]
    return sorted(spans)


def blank_out(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the given spans by ``_`` (neither letter, digit, space nor punctuation).

    Every other character keeps its offset, so spans found in the result point into ``text``.
    Spans may overlap and come in any order; the cost is linear in the text (no per-character
    list).
    """
    parts = []
    position = 0
    for start, end in sorted(spans):
        start = max(start, position)
        if end > start:
            parts += [text[position:start], "_" * (end - start)]
            position = end
    parts.append(text[position:])
    return "".join(parts)


ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "gov",
        "sen",
        "rep",
        "inc",
        "ltd",
        "co",
        "corp",
        "vs",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "г",
        "гг",
        "т",
        "е",
        "др",
        "пр",
        "им",
        "ул",
        "д",
        "тыс",
        "млн",
        "млрд",
        "руб",
        "долл",
        "см",
        "стр",
        "ст",
        "св",
        "акад",
        "проф",
    ]
)


def sentence_count(text: str) -> int:
    """Rough sentence count: sentence-final punctuation followed by a capitalised word, plus one.

    A period after an initial (``В. Путин``) or a known abbreviation (``Mr.``, ``г.``) does not
    end a sentence.
    """
    stripped = text.strip()
    if not stripped:
        return 0
    count = 1
    for match in SENTENCE_END_RE.finditer(stripped):
        # the word before the stop, read from a bounded window (linear in the text length)
        before = _LAST_WORD_RE.search(stripped, max(0, match.start() - 40), match.start())
        if match.group().startswith(".") and before:
            word = before.group(1)
            if len(word) == 1 or word.lower() in ABBREVIATIONS:
                continue
        count += 1
    return count
