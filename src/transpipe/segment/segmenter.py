"""Sentence segmentation: the ``Segmenter`` protocol, the rule segmenter, and documents.

Owns two steps. ``RuleSegmenter.split`` cuts one paragraph into sentence spans using a
language's ``LanguageRules`` (data in ``transpipe/lang/data``). ``build_document`` cuts a text into
paragraphs at blank lines, asks any ``Segmenter`` for each paragraph's sentences, and returns a
``Document`` whose spans point into the original text, with headline and boilerplate kinds.

How a candidate boundary (terminator, optional closing quotes, whitespace) is decided:

1. the next word starts lower case, or is a dash before a lower-case word → no break;
2. "?" / "!" / an ellipsis before an upper-case word, digit or opening quote → break;
3. a no-break space after the terminator → no break;
4. "." after an abbreviation → the abbreviation's class decides (see ``rules.py``);
   after an initial or a dotted acronym ("И.Н.", "U.S.") → break only before a sentence
   starter; after a heading number that starts its line or sentence ("1.", "2.1.", "IV.")
   or follows a section sign ("§ 3.") → no break; otherwise → break.

Two more kinds of candidate: an emoticon ("... отлично :) Завтра", "Спасибо)) Увидимся")
ends a sentence before an upper-case word (a bare "))" only when it closes no open
bracket), and an enumeration separator ends a segment before the next item ("...квартире;
2) отчуждать").

A single newline inside a paragraph is a soft boundary: a line that does not end with
sentence punctuation ends a segment when the next line starts with an upper-case letter, a
digit, "+", a bullet or an opening quote; otherwise the lines are joined.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from transpipe.model import Document, Paragraph, Segment, SegmentKind, Span, segment_id
from transpipe.segment.rules import (
    EXCLUSIVE_CLASSES,
    LanguageRules,
    load_rules,
    normalise_abbreviation,
    normalise_boilerplate,
)

# A no-break space after a period binds ("г.\u00a0Москва", "И.\u00a0Н.\u00a0Петров").
_NO_BREAK_SPACES = "\u00a0\u202f\u2007"
# How far context rules look around a candidate (keeps very long paragraphs linear).
_LOOK_BACK = 1000
_ROMAN = re.compile(r"[IVXLCDM]+")
_LIST_MARKER = re.compile(r"\s*(?:\d{1,3}|[A-Za-zА-Яа-яЁё])[.)]\s")
_ENUMERATOR = r"(?:\d{1,2}|[^\W\d_])\)\s"  # "2) ", "б) "
_HEADING_GROUP = 3  # digits per group of a heading number ("2.1.", not "2020.")
_SECTION_SIGN = "§"
_SHORT_PIECE, _LONG_PIECE = 3, 5  # letters per dotted piece: "т.е", "U.S" / "д.филол.н"
# Candidate kinds (group names of the candidate pattern)
_TERMINATOR, _EMOTICON, _ENUMERATION = "terminator", "emoticon", "enumeration"


@runtime_checkable
class Segmenter(Protocol):
    """Anything that splits one paragraph into sentence spans and a text into a Document."""

    lang: str

    def split(self, text: str) -> list[Span]:
        """Sentence spans of one paragraph: stripped, in order, offsets into ``text``."""
        ...

    def segment(self, text: str, name: str = "doc") -> Document:
        """Paragraphs and sentences of a whole text."""
        ...


def _strip_span(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def spans_between(text: str, start: int, end: int, cuts: list[int]) -> list[Span]:
    """Stripped non-empty spans of ``text[start:end]`` cut at the sorted offsets ``cuts``."""
    spans: list[Span] = []
    previous = start
    for cut in [*cuts, end]:
        if cut <= previous:
            continue
        span = _strip_span(text, previous, cut)
        if span is not None:
            spans.append(span)
        previous = cut
    return spans


class RuleSegmenter:
    """Rule-based sentence splitter for news text; rules from ``lang/data/segment.<lang>.toml``."""

    def __init__(self, lang: str, rules: LanguageRules | None = None) -> None:
        self.rules = rules if rules is not None else load_rules(lang)
        self.lang = lang
        r = self.rules
        terminators = "".join(sorted(r.terminators))
        closers = "".join(sorted(r.closers))
        gap = f"(?=[^\\S{_NO_BREAK_SPACES}]\\s*\\S)"
        self._candidate = re.compile(f"[{re.escape(terminators)}]+[{re.escape(closers)}]*{gap}")
        # rarer candidates, searched only in a text that holds one of their markers
        self._rare: list[tuple[tuple[str, ...], re.Pattern[str], str]] = []
        if r.emoticons:
            ordered = sorted(r.emoticons, key=lambda e: (-len(e), e))
            smiles = "|".join(re.escape(e) + re.escape(e[-1]) + "*" for e in ordered)
            markers = tuple(sorted({e[-1] for e in ordered}))  # every emoticon holds its last
            self._rare.append((markers, re.compile(f"(?:{smiles}){gap}"), _EMOTICON))
        if r.enumeration_separators:
            separators = tuple(sorted(r.enumeration_separators))
            no_break = f"[^\\S{_NO_BREAK_SPACES}]+"
            pattern = re.compile(f"[{re.escape(''.join(separators))}](?={no_break}{_ENUMERATOR})")
            self._rare.append((separators, pattern, _ENUMERATION))
        self._starters = set(r.sentence_starters)
        self._classes = {key: name for name in EXCLUSIVE_CLASSES for key in getattr(r, name)}
        dashes = re.escape("".join(sorted(r.dashes)))
        # a speech attribution: «...», – сказал он / "...," the doctor said
        self._attribution = re.compile(
            f"(?:[,!?…][{re.escape(closers)}]+\\s+(?:[{dashes}]\\s+)?|,\\s+[{dashes}]\\s+)"
            "[^\\W\\d_]"
        )

    # -- public API ---------------------------------------------------------------------------

    def split(self, text: str) -> list[Span]:
        """Sentence spans of one paragraph (offsets into ``text``)."""
        newline_cuts = list(self._newline_cuts(text))
        cuts = set(newline_cuts)
        last_cut = 0
        pending = 0
        for start, end, kind in self._candidates(text):
            while pending < len(newline_cuts) and newline_cuts[pending] <= start:
                last_cut = max(last_cut, newline_cuts[pending])
                pending += 1
            if kind == _TERMINATOR:
                breaks = self._breaks(text, start, end, last_cut)
            elif kind == _EMOTICON:
                breaks = self._emoticon_breaks(text, start, end, last_cut)
            else:
                breaks = not self._inside_brackets(text, last_cut, start)
            if breaks:
                cuts.add(end)
                last_cut = end
        return spans_between(text, 0, len(text), sorted(cuts))

    def _candidates(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every candidate boundary, in text order."""
        found = [(m.start(), m.end(), _TERMINATOR) for m in self._candidate.finditer(text)]
        rare = [
            (m.start(), m.end(), kind)
            for markers, pattern, kind in self._rare
            if any(marker in text for marker in markers)
            for m in pattern.finditer(text)
        ]
        return sorted(found + rare) if rare else found

    def segment(self, text: str, name: str = "doc") -> Document:
        """The whole text as a Document: paragraphs at blank lines, then sentences."""
        return build_document(text, self.lang, name, self, self.rules)

    # -- soft line breaks ---------------------------------------------------------------------

    def _newline_cuts(self, text: str) -> Iterator[int]:
        position = text.find("\n")
        while position != -1:
            line_end = position
            while line_end > 0 and text[line_end - 1].isspace():
                line_end -= 1
            nxt = position + 1
            while nxt < len(text) and text[nxt].isspace():
                nxt += 1
            if line_end > 0 and nxt < len(text):
                list_item = self._starts_list_item(text, nxt)
                open_line = self._line_is_open(text, line_end)
                if list_item or (open_line and self._starts_new_line_segment(text[nxt])):
                    yield line_end
            position = text.find("\n", position + 1)

    def _starts_list_item(self, text: str, at: int) -> bool:
        char = text[at]
        if char in self.rules.bullets and at + 1 < len(text) and text[at + 1].isspace():
            return True
        return _LIST_MARKER.match(text, at) is not None and char.isdigit()

    def _line_is_open(self, text: str, line_end: int) -> bool:
        """True when the line has no sentence-final punctuation and does not continue."""
        r = self.rules
        i = line_end
        while i > 0 and text[i - 1] in r.closers:
            i -= 1
        last = text[i - 1]
        if last in r.terminators:
            return False
        if last in r.continuations:
            return False
        return not (last in r.dashes and i > 1 and text[i - 2].isalpha())

    def _starts_new_line_segment(self, char: str) -> bool:
        r = self.rules
        return (
            char.isupper()
            or char.isdigit()
            or char == "+"
            or char in r.openers
            or char in r.bullets
            or char in r.currency
        )

    # -- candidate decisions ------------------------------------------------------------------

    def _breaks(self, text: str, start: int, end: int, sentence_start: int) -> bool:
        """Decide the candidate whose terminator+closers are ``text[start:end]``.

        ``sentence_start`` is where the current sentence began (the previous cut). Nothing
        breaks inside an open bracket: "(... группами. – Ред.)".
        """
        return self._decide(text, start, end, sentence_start) and not self._inside_brackets(
            text, sentence_start, start
        )

    def _decide(self, text: str, start: int, end: int, sentence_start: int) -> bool:
        r = self.rules
        n = end
        length = len(text)
        while n < length and text[n].isspace():
            n += 1
        char = text[n]
        if char in r.dashes:
            k = n + 1
            while k < length and text[k].isspace():
                k += 1
            if k >= length or k == n + 1:
                return False  # a hyphen glued to a word, or a dangling dash
            if text[k].islower():
                return False
            # "«...», – сказал он. – ..." goes on quoting the same sentence
            return not self._after_attribution(text, sentence_start, start)
        k = n
        while k < length and text[k] in r.openers:
            k += 1
        if k >= length:
            return False
        first = text[k]
        if first.islower():
            return False
        if not (first.isupper() or first.isdigit() or first in r.currency):
            return False
        term_end = start
        while term_end < end and text[term_end] in r.terminators:
            term_end += 1
        terminator = text[start:term_end]
        if terminator != ".":
            return True
        return self._period_breaks(text, start, k, sentence_start)

    def _emoticon_breaks(self, text: str, start: int, end: int, sentence_start: int) -> bool:
        """An emoticon ends a sentence before an upper-case word or a digit; a bare run of
        brackets ("))") only when it closes no bracket opened in the sentence."""
        k = end
        while k < len(text) and (text[k].isspace() or text[k] in self.rules.openers):
            k += 1
        if k >= len(text) or not (text[k].isupper() or text[k].isdigit()):
            return False
        emoticon = text[start:end]
        if emoticon[0] == ")" and emoticon.strip(")") == "":
            before = text[max(sentence_start, start - _LOOK_BACK) : start]
            return before.count("(") <= before.count(")")
        return True

    def _period_breaks(self, text: str, dot: int, next_at: int, sentence_start: int) -> bool:
        r = self.rules
        word_start = dot
        while word_start > 0 and (
            text[word_start - 1].isalnum()
            or (
                text[word_start - 1] in "-/'’" and word_start > 1 and text[word_start - 2].isalnum()
            )
        ):
            word_start -= 1
        word = text[word_start:dot]
        if not word:
            return True  # ")." or "»." and the like
        if word == "№":
            return False
        if word.isdigit():
            return not self._heading_number(text, word_start, word, sentence_start)
        if (
            len(word) > 1
            and _ROMAN.fullmatch(word)
            and self._opens_sentence(text, word_start, sentence_start)
        ):
            return False  # a Roman-numbered heading: "IV. Итоги"
        compound, compound_start = word, word_start
        keys: tuple[str, ...] = (word.lower(),)
        if self._dotted_before(text, word_start):
            compound, compound_start = self._compound(text, word_start, word, _SHORT_PIECE)
            keys = (compound.lower(), word.lower())
            longer, _ = self._compound(text, word_start, word, _LONG_PIECE)
            if longer != compound and longer.lower() in self._classes:
                keys = (longer.lower(), *keys)  # "д.филол.н", "к.ф.-м.н": longer pieces
        if len(word) == 1 and word.isupper():
            keys = (compound.lower(),) if compound != word else ()
        next_is_digit = text[next_at].isdigit()
        for key in keys:
            if key in r.before_number and next_is_digit:
                return False
            cls = self._classes.get(key)
            if cls == "nonfinal":
                return False
            if cls == "after_number":
                return self._follows_number(text, compound_start)
            if cls == "ambiguous":
                return self._next_is_starter(text, next_at)
            if cls == "final":
                return True
        if self._is_initials(text, word_start, word, compound):
            return self._next_is_starter(text, next_at)
        return True

    def _after_attribution(self, text: str, sentence_start: int, at: int) -> bool:
        sentence_start = max(sentence_start, at - _LOOK_BACK)
        match = self._attribution.search(text, sentence_start, at)
        while match is not None:
            if text[match.end() - 1].islower():
                return True
            match = self._attribution.search(text, match.start() + 1, at)
        return False

    @staticmethod
    def _inside_brackets(text: str, sentence_start: int, at: int) -> bool:
        segment = text[max(sentence_start, at - _LOOK_BACK) : at]
        if segment.count("(") <= segment.count(")"):
            return False
        return text.find(")", at, at + _LOOK_BACK) != -1

    def _heading_number(self, text: str, word_start: int, word: str, sentence_start: int) -> bool:
        """The number before a "." is a heading or list number, not a sentence end: it starts
        its line ("1."), starts the sentence with groups of at most three digits ("2.1."), or
        follows a section sign ("§ 3.")."""
        start = word_start
        while start > 1 and text[start - 1] == "." and text[start - 2].isdigit():
            start -= 1
            while start > 0 and text[start - 1].isdigit():
                start -= 1
        before = start
        while before > 0 and text[before - 1] in " \u00a0":
            before -= 1
        if before > 0 and text[before - 1] == _SECTION_SIGN:
            return True
        if self._at_line_start(text, start):
            return True
        groups = [*text[start:word_start].split(".")[:-1], word]
        return all(len(g) <= _HEADING_GROUP for g in groups) and self._opens_sentence(
            text, start, sentence_start
        )

    def _opens_sentence(self, text: str, at: int, sentence_start: int) -> bool:
        """Only spaces and opening quotes or brackets stand between the sentence start and
        ``at``."""
        if at - sentence_start > _LOOK_BACK:
            return False
        return all(c.isspace() or c in self.rules.openers for c in text[sentence_start:at])

    @staticmethod
    def _dotted_before(text: str, word_start: int) -> bool:
        """A dot right before the word, or a dot and a space or hyphen ("т. е", "ф.-м")."""
        if word_start > 0 and text[word_start - 1] == ".":
            return True
        return word_start > 1 and text[word_start - 1] in " -" and text[word_start - 2] == "."

    @staticmethod
    def _compound(text: str, word_start: int, word: str, piece: int) -> tuple[str, int]:
        """Join dotted pieces of at most ``piece`` letters before ``word``: "т. е" -> "т.е",
        "U.S" -> "U.S", "к.ф.-м.н" -> "к.ф.-м.н" (a hyphen may follow a dot)."""
        parts = [word]
        start = word_start
        while True:
            p = start
            if p > 1 and text[p - 1] in " -" and text[p - 2] == ".":
                p -= 1
            if p > 0 and text[p - 1] == ".":
                q = p - 1
                m = q
                while m > 0 and text[m - 1].isalpha():
                    m -= 1
                if 0 < q - m <= piece and (m == 0 or not text[m - 1].isalnum()) and len(parts) < 4:
                    parts.insert(0, text[m:q])
                    start = m
                    continue
            break
        return "".join(text[start:word_start].split()) + word, start

    @staticmethod
    def _is_initials(text: str, word_start: int, word: str, compound: str) -> bool:
        before = text[word_start - 1] if word_start > 0 else " "
        if not (before.isspace() or before in ".(«\"„“'"):
            return False  # "50 °С." is a unit, not an initial
        if len(word) == 1 and word.isupper():
            return True
        pieces = compound.split(".")
        return len(pieces) > 1 and all(len(p) <= 2 and p[:1].isupper() for p in pieces)

    def _next_is_starter(self, text: str, at: int) -> bool:
        end = at
        while end < len(text) and text[end].isalpha():
            end += 1
        word = text[at:end]
        if not word:
            return True  # a digit or a currency sign
        if end < len(text) and text[end] == ".":
            return False  # another initial: "А. С. Пушкин"
        return word in self._starters

    def _follows_number(self, text: str, start: int) -> bool:
        """True when a number (or a number and a unit: "5 млрд руб.") precedes ``start``."""
        i = start
        for _ in range(2):
            while i > 0 and text[i - 1].isspace():
                i -= 1
            j = i
            while j > 0 and not text[j - 1].isspace():
                j -= 1
            token = text[j:i].strip('()«»"').lstrip("$€£₽¥~≈+-−–")
            if not token or token.endswith((",", ";", ":")):
                return False  # "350000, г. Краснодар": a postcode, not a quantity
            if token[0].isdigit() or _ROMAN.fullmatch(token.split("-")[0]) is not None:
                return True
            if normalise_abbreviation(token) not in self.rules.after_number:
                return False
            i = j
        return False

    @staticmethod
    def _at_line_start(text: str, start: int) -> bool:
        i = start
        while i > 0 and text[i - 1] in " \t":
            i -= 1
        return i == 0 or text[i - 1] == "\n"


# -- documents ------------------------------------------------------------------------------

_BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")


def paragraph_spans(text: str) -> list[Span]:
    """Spans of the paragraphs of ``text``: blocks separated by blank lines, stripped."""
    cuts = [m.start() for m in _BLANK_LINES.finditer(text)]
    spans: list[Span] = []
    previous = 0
    for cut in [*cuts, len(text)]:
        span = _strip_span(text, previous, cut)
        if span is not None:
            spans.append(span)
        previous = cut
    return spans


def _kind(
    text: str, paragraph: Span, segments: list[Span], span: Span, rules: LanguageRules | None
) -> SegmentKind:
    sentence = text[span.start : span.end]
    if rules is not None and normalise_boilerplate(sentence) in rules.boilerplate:
        return SegmentKind.BOILERPLATE
    if len(segments) == 1 and "\n" not in text[paragraph.start : paragraph.end]:
        last = sentence.rstrip("".join(rules.closers) if rules else '»"”)')[-1:]
        terminators = rules.terminators if rules else frozenset(".!?…")
        if last and last not in terminators and last not in ":;,":
            return SegmentKind.HEADLINE
    return SegmentKind.SENTENCE


def build_document(
    text: str,
    lang: str,
    name: str,
    splitter: Segmenter,
    rules: LanguageRules | None = None,
) -> Document:
    """Cut ``text`` into paragraphs and sentences; spans point into ``text`` itself."""
    paragraphs: list[Paragraph] = []
    for p_no, p_span in enumerate(paragraph_spans(text), start=1):
        body = text[p_span.start : p_span.end]
        local = splitter.split(body)
        spans = [Span(p_span.start + s.start, p_span.start + s.end) for s in local]
        segments = tuple(
            Segment(
                id=segment_id(name, p_no, s_no),
                text=text[span.start : span.end],
                paragraph=p_no,
                index=s_no,
                span=span,
                kind=_kind(text, p_span, spans, span, rules),
            )
            for s_no, span in enumerate(spans, start=1)
        )
        paragraphs.append(Paragraph(index=p_no, span=p_span, segments=segments))
    return Document(name=name, lang=lang, text=text, paragraphs=tuple(paragraphs))
