"""The translated article as plain text: the document an editor publishes.

Owns the layout rule: units of one paragraph (``unit.paragraph``) are joined by a single space,
paragraphs are separated by a blank line, and a headline or boilerplate unit stands on its own
line, and so does a unit whose props carry ``("x-newline-before", "1")`` (the source had a line
break before it inside the paragraph). Units with ``paragraph == 0`` (no paragraph
information, e.g. read from a foreign TMX) each form their own paragraph. Boilerplate is
written with its target text; inline-code placeholders are removed. Output: UTF-8, LF, one
final newline.

:func:`layout` places every unit, translated or not, in document order; :func:`render_text`
renders a layout with any choice of text per unit (a publisher may show the source of an
untranslated unit; :func:`render_translated_text` uses the target and leaves empty ones out,
:func:`untranslated` names them so a caller can say so). :func:`write_draft_text`, the text
``translate`` writes, keeps the source of an untranslated unit in its place, as OmegaT writes
its target documents, so a draft never loses a sentence or a paragraph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from transpipe.formats.annotations import INLINE
from transpipe.formats.inline import strip_tokens
from transpipe.formats.registry import BitextFormat
from transpipe.model import Bitext, SegmentKind, Unit

_OWN_LINE = (SegmentKind.HEADLINE, SegmentKind.BOILERPLATE)
NEWLINE_BEFORE = ("x-newline-before", "1")


@dataclass(frozen=True)
class TextParagraph:
    """One paragraph of the article: its lines, each a run of units joined by spaces."""

    number: int
    lines: tuple[tuple[Unit, ...], ...]


def layout(units: Iterable[Unit]) -> list[TextParagraph]:
    """Every unit placed in its paragraph and line, in document order (none left out)."""
    paragraphs: list[tuple[int, list[list[Unit]]]] = []
    current: int | None = None
    for unit in units:
        if unit.paragraph == 0 or unit.paragraph != current or not paragraphs:
            paragraphs.append((unit.paragraph, []))
            current = unit.paragraph
        lines = paragraphs[-1][1]
        if unit.kind in _OWN_LINE:
            lines.append([unit])
            lines.append([])
        elif NEWLINE_BEFORE in unit.props or not lines:
            lines.append([unit])
        else:
            lines[-1].append(unit)
    return [
        TextParagraph(number, tuple(tuple(line) for line in lines if line))
        for number, lines in paragraphs
    ]


def target_text(unit: Unit) -> str:
    """The unit's target as article text: one line, inline-code placeholders removed."""
    return _as_text(unit, unit.target)


def source_text(unit: Unit) -> str:
    """The unit's source as article text (see :func:`target_text`)."""
    return _as_text(unit, unit.source)


def render_text(paragraphs: Iterable[TextParagraph], text_of: Callable[[Unit], str]) -> str:
    """The article as one string; units whose ``text_of`` is empty take no room."""
    blocks = []
    for paragraph in paragraphs:
        rendered = []
        for line in paragraph.lines:
            text = " ".join(t for t in (text_of(u) for u in line) if t)
            if text:
                rendered.append(text)
        if rendered:
            blocks.append("\n".join(rendered))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def render_translated_text(bitext: Bitext) -> str:
    """The translated article as one string (see the module docstring for the layout)."""
    return render_text(layout(bitext.units), target_text)


def has_paragraphs(bitext: Bitext) -> bool:
    """Whether the units say where their paragraphs are (transpipe's files do; a CAT tool's
    memory, such as OmegaT's project TMX, does not, and keeps its own order)."""
    return any(unit.paragraph for unit in bitext.units)


def untranslated(bitext: Bitext) -> list[Unit]:
    """The units :func:`render_translated_text` leaves out: no target text."""
    return [unit for unit in bitext.units if not target_text(unit)]


def write_translated_text(bitext: Bitext, stream: BinaryIO) -> None:
    """Write the translated article (UTF-8, LF) to a binary stream."""
    stream.write(render_translated_text(bitext).encode("utf-8"))


def draft_text(unit: Unit) -> str:
    """The unit's target, or its source when it has none (see :func:`write_draft_text`)."""
    return target_text(unit) or source_text(unit)


def write_draft_text(bitext: Bitext, stream: BinaryIO) -> None:
    """Write the translated article with untranslated units in the source language."""
    stream.write(render_text(layout(bitext.units), draft_text).encode("utf-8"))


def _as_text(unit: Unit, text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if any(key == INLINE for key, _ in unit.props):
        text = strip_tokens(text)
    return " ".join(text.split()) if "\n" in text else text


FORMAT = BitextFormat(
    name="text",
    extensions=(".txt",),
    write=write_translated_text,
    description="the translated article as plain text (output only)",
)
