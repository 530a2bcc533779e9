"""Where every segment goes in the published article: paragraphs of lines of segments.

Owns the article's structure, built one of two ways, and never by dropping or reordering:

* **From the source article** (segmented again, so its ids are the ids the run gave): its
  paragraphs, line breaks and order. A source sentence takes the unit with its segment id when
  their source texts agree, else a unit with the same source text (a CAT tool's TMX has no
  ids); a sentence without one is a missing segment. Units that the article does not contain
  are returned to the caller, who must not let them vanish.
* **From the segment ids alone** (``name:pN:sM``): paragraphs and order from the numbers
  (file order when some id is foreign, each unit with ``paragraph == 0`` its own paragraph);
  within a paragraph a unit flagged ``x-newline-before`` starts a new line and a headline or
  boilerplate unit stands on a line of its own (the layout ``formats.text`` writes). A gap in
  the numbering is a missing segment.

A missing segment counts as untranslated. Each piece carries its review state
(:class:`transpipe.formats.review.ReviewState`) and term failures; the article's readiness is
:class:`transpipe.formats.review.Readiness`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from transpipe.errors import FormatError
from transpipe.formats.annotations import INLINE
from transpipe.formats.inline import strip_tokens
from transpipe.formats.review import Readiness, ReviewState
from transpipe.formats.text import NEWLINE_BEFORE
from transpipe.model import Document, SegmentKind, Unit

_SEGMENT_ID = re.compile(r"^(?P<doc>.+):p(?P<p>[1-9]\d{0,8}):s(?P<s>[1-9]\d{0,8})$")
_OWN_LINE = (SegmentKind.HEADLINE, SegmentKind.BOILERPLATE)
_APPROVED = (ReviewState.REVIEWED, ReviewState.MACHINE)

Judge = Callable[[Unit], tuple[ReviewState, int]]
"""A unit's review state and number of term failures."""


@dataclass(frozen=True)
class Piece:
    """One segment of the article: the text to publish, or the source it stands in for."""

    segment_id: str
    text: str
    source: str
    state: ReviewState
    term_failures: int = 0
    kind: SegmentKind = SegmentKind.SENTENCE
    missing: bool = False  # no unit at all for this segment

    @property
    def ready(self) -> bool:
        return self.state in _APPROVED and not self.term_failures


@dataclass(frozen=True)
class Block:
    """A paragraph: lines (hard line breaks between them) of pieces (joined by a space)."""

    lines: tuple[tuple[Piece, ...], ...]

    @property
    def pieces(self) -> tuple[Piece, ...]:
        return tuple(piece for line in self.lines for piece in line)


@dataclass(frozen=True)
class Article:
    """The translated article, in the source's order, with its readiness."""

    name: str
    lang: str
    source_lang: str
    blocks: tuple[Block, ...]

    @property
    def readiness(self) -> Readiness:
        pieces = [piece for block in self.blocks for piece in block.pieces]
        counts = Counter(piece.state for piece in pieces)
        return Readiness(
            reviewed=counts[ReviewState.REVIEWED],
            machine=counts[ReviewState.MACHINE],
            fuzzy=counts[ReviewState.FUZZY],
            untranslated=counts[ReviewState.UNTRANSLATED],
            term_failures=sum(piece.term_failures for piece in pieces),
        )

    @property
    def has_headline(self) -> bool:
        """The first paragraph is a headline (one line of headline segments)."""
        if not self.blocks:
            return False
        first = self.blocks[0]
        return len(first.lines) == 1 and all(p.kind is SegmentKind.HEADLINE for p in first.pieces)


def publishable_text(unit: Unit) -> str:
    """The unit's target as it goes into an article: one line, placeholders removed."""
    text = unit.target.replace("\r\n", "\n").replace("\r", "\n").strip()
    if any(key == INLINE for key, _ in unit.props):
        text = strip_tokens(text)
    return " ".join(text.split()) if "\n" in text else text


def _piece(unit: Unit, segment_id: str, kind: SegmentKind, judge: Judge) -> Piece:
    state, failures = judge(unit)
    return Piece(segment_id, publishable_text(unit), unit.source, state, failures, kind)


def _missing(segment_id: str, source: str, kind: SegmentKind) -> Piece:
    return Piece(segment_id, "", source, ReviewState.UNTRANSLATED, 0, kind, missing=True)


def _same_text(a: str, b: str) -> bool:
    return " ".join(strip_tokens(a).split()) == " ".join(strip_tokens(b).split())


def layout_by_source(
    document: Document, units: Sequence[Unit], judge: Judge, *, lang: str
) -> tuple[Article, tuple[Unit, ...]]:
    """The article laid out like ``document``; also the units it does not contain."""
    by_id = {unit.id: i for i, unit in enumerate(units)}
    by_text: dict[str, list[int]] = {}
    for i, unit in enumerate(units):
        by_text.setdefault(" ".join(strip_tokens(unit.source).split()), []).append(i)
    used: set[int] = set()
    blocks: list[Block] = []
    for paragraph in document.paragraphs:
        lines: list[list[Piece]] = []
        previous_end: int | None = None
        for segment in paragraph.segments:
            if previous_end is None or "\n" in document.text[previous_end : segment.span.start]:
                lines.append([])
            previous_end = segment.span.end
            index = by_id.get(segment.id)
            if index is None or index in used or not _same_text(units[index].source, segment.text):
                candidates = by_text.get(" ".join(segment.text.split()), [])
                index = next((i for i in candidates if i not in used), None)
            if index is None:
                lines[-1].append(_missing(segment.id, segment.text, segment.kind))
                continue
            used.add(index)
            lines[-1].append(_piece(units[index], segment.id, segment.kind, judge))
        blocks.append(Block(tuple(tuple(line) for line in lines if line)))
    rest = tuple(unit for i, unit in enumerate(units) if i not in used)
    article = Article(document.name, lang, document.lang, tuple(b for b in blocks if b.lines))
    return article, rest


def parse_segment_id(segment_id: str) -> tuple[str, int, int] | None:
    """``("name", paragraph, sentence)`` of an id ``name:pN:sM``; None for a foreign id."""
    m = _SEGMENT_ID.match(segment_id)
    return (m["doc"], int(m["p"]), int(m["s"])) if m else None


def layout_by_ids(
    name: str, units: Sequence[Unit], judge: Judge, *, lang: str, source_lang: str
) -> Article:
    """The article laid out from segment ids (see the module docstring)."""
    parsed = [parse_segment_id(unit.id) for unit in units]
    if units and all(p is not None for p in parsed):
        positions = [p for p in parsed if p is not None]
        docs = sorted({doc for doc, _, _ in positions})
        if len(docs) > 1:
            raise FormatError(
                f"segments of {len(docs)} articles in one file ({', '.join(docs[:3])})",
                hint="publish one article at a time",
            )
        return _by_numbers(name, units, positions, judge, lang, source_lang)
    blocks: list[Block] = []
    current: int | None = None
    lines: list[list[Piece]] = []
    for unit in units:
        if unit.paragraph == 0 or unit.paragraph != current:
            if lines:
                blocks.append(_block(lines))
            lines, current = [], unit.paragraph
        _place(lines, _piece(unit, unit.id, unit.kind, judge), unit)
    if lines:
        blocks.append(_block(lines))
    return Article(name, lang, source_lang, tuple(blocks))


def _by_numbers(
    name: str,
    units: Sequence[Unit],
    positions: Sequence[tuple[str, int, int]],
    judge: Judge,
    lang: str,
    source_lang: str,
) -> Article:
    doc = positions[0][0]
    at: dict[tuple[int, int], Unit] = {}
    for unit, (_, p, s) in zip(units, positions, strict=True):
        if (p, s) in at:
            raise FormatError(
                f"two units claim segment {doc}:p{p}:s{s}", hint="segment ids must be unique"
            )
        at[(p, s)] = unit
    last_paragraph = max(p for p, _ in at)
    blocks: list[Block] = []
    for p in range(1, last_paragraph + 1):
        numbers = sorted(s for q, s in at if q == p)
        lines: list[list[Piece]] = []
        for s in range(1, (numbers[-1] if numbers else 1) + 1):
            found = at.get((p, s))
            if found is None:
                missing = _missing(f"{doc}:p{p}:s{s}", "", SegmentKind.SENTENCE)
                if not lines:
                    lines.append([])
                lines[-1].append(missing)
                continue
            _place(lines, _piece(found, found.id, found.kind, judge), found)
        blocks.append(_block(lines))
    return Article(name, lang, source_lang, tuple(blocks))


def _place(lines: list[list[Piece]], piece: Piece, unit: Unit) -> None:
    """Append ``piece`` to the paragraph being built, starting a line where the layout says."""
    own_line = unit.kind in _OWN_LINE
    after_own_line = bool(lines) and bool(lines[-1]) and lines[-1][-1].kind in _OWN_LINE
    if not lines or own_line or after_own_line or (NEWLINE_BEFORE in unit.props and lines[-1]):
        lines.append([])
    lines[-1].append(piece)


def _block(lines: list[list[Piece]]) -> Block:
    return Block(tuple(tuple(line) for line in lines if line))
