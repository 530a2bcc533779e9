"""The translated article as plain text: the document an editor publishes.

Owns the layout rule: units of one paragraph (``unit.paragraph``) are joined by a single space,
paragraphs are separated by a blank line, and a headline or boilerplate unit stands on its own
line, and so does a unit whose props carry ``("x-newline-before", "1")`` (the source had a line
break before it inside the paragraph). Units with ``paragraph == 0`` (no paragraph
information, e.g. read from a foreign TMX) each form their own paragraph. Boilerplate is
written with its target text; empty targets are left out; inline-code placeholders are
removed. Output: UTF-8, LF, one final newline.
"""

from __future__ import annotations

from typing import BinaryIO

from transpipe.formats.annotations import INLINE
from transpipe.formats.inline import strip_tokens
from transpipe.model import Bitext, SegmentKind, Unit

_OWN_LINE = (SegmentKind.HEADLINE, SegmentKind.BOILERPLATE)
NEWLINE_BEFORE = ("x-newline-before", "1")


def render_translated_text(bitext: Bitext) -> str:
    """The translated article as one string (see the module docstring for the layout)."""
    paragraphs: list[list[list[str]]] = []  # paragraph -> lines -> sentences
    current: int | None = None
    for unit in bitext.units:
        text = _target(unit)
        if not text:
            continue
        if unit.paragraph == 0 or unit.paragraph != current or not paragraphs:
            paragraphs.append([])
            current = unit.paragraph
        lines = paragraphs[-1]
        if NEWLINE_BEFORE in unit.props and lines and lines[-1]:
            lines.append([])
        if unit.kind in _OWN_LINE:
            lines.append([text])
            lines.append([])
        else:
            if not lines:
                lines.append([])
            lines[-1].append(text)
    blocks = []
    for lines in paragraphs:
        rendered = [" ".join(line) for line in lines if line]
        if rendered:
            blocks.append("\n".join(rendered))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def write_translated_text(bitext: Bitext, stream: BinaryIO) -> None:
    """Write the translated article (UTF-8, LF) to a binary stream."""
    stream.write(render_translated_text(bitext).encode("utf-8"))


def _target(unit: Unit) -> str:
    text = unit.target.replace("\r\n", "\n").replace("\r", "\n").strip()
    if any(key == INLINE for key, _ in unit.props):
        text = strip_tokens(text)
    return " ".join(text.split()) if "\n" in text else text
