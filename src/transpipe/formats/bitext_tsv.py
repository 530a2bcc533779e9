"""Bilingual TSV: ``id<TAB>source<TAB>target`` with a header line, one unit per line.

Owns the plainest interchange format, for spreadsheets and scripts. Tabs, newlines, carriage
returns and backslashes inside text are written as ``\\t``, ``\\n``, ``\\r`` and ``\\\\`` so every
unit stays on one line; the reader undoes exactly those escapes and rejects any other, naming
the line. Only ids and texts travel (no notes, props or review state); the file carries no
language pair, so readers take it from the caller (``--from/--to``), default ``und``.
Output: UTF-8 without BOM, LF. Input: UTF-8 with or without BOM, UTF-16 with BOM; other
encodings are rejected with a hint.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

from transpipe.errors import FormatError
from transpipe.formats.provenance import BitextFile, Provenance
from transpipe.formats.registry import BitextFormat
from transpipe.formats.xmlsafe import xml_text
from transpipe.inputs import read_text
from transpipe.model import Bitext, LanguagePair, Unit

HEADER = ("id", "source", "target")
MAX_TSV_BYTES = 500 * 1024 * 1024
_ESCAPE = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPE = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
_ESCAPE_RE = re.compile(r"\\(.?)")


def _escape(text: str) -> str:
    return "".join(_ESCAPE.get(ch, ch) for ch in xml_text(text))


def write_bitext_tsv(bitext: Bitext, stream: BinaryIO) -> None:
    """Write ``bitext`` as id/source/target TSV (UTF-8, LF, header line)."""
    lines = ["\t".join(HEADER)]
    lines += [f"{_escape(u.id)}\t{_escape(u.source)}\t{_escape(u.target)}" for u in bitext.units]
    stream.write(("\n".join(lines) + "\n").encode("utf-8"))


def _unescape(text: str, path: Path, line: int) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code not in _UNESCAPE:
            raise FormatError(
                f"invalid escape \\{code}", path=path, line=line, hint="allowed: \\t \\n \\r \\\\"
            )
        return _UNESCAPE[code]

    return _ESCAPE_RE.sub(replace, text)


def load_bitext_tsv(path: str | Path, pair: LanguagePair | None = None) -> BitextFile:
    """:func:`read_bitext_tsv` for the registry (TSV records no digests)."""
    return BitextFile(read_bitext_tsv(path, pair), Provenance())


def read_bitext_tsv(path: str | Path, pair: LanguagePair | None = None) -> Bitext:
    """Read an id/source/target TSV file written by :func:`write_bitext_tsv` (or by hand)."""
    p = Path(path)
    text = read_text(p, max_bytes=MAX_TSV_BYTES, expected="a TSV file")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or [c.strip().lower() for c in lines[0].split("\t")] != list(HEADER):
        raise FormatError(
            "first line must be the header 'id<TAB>source<TAB>target'", path=p, line=1
        )
    units: list[Unit] = []
    ids: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 3:
            raise FormatError(
                f"expected 3 tab-separated columns, found {len(cells)}", path=p, line=number
            )
        uid, source, target = (_unescape(c, p, number) for c in cells)
        if not uid:
            raise FormatError("empty id", path=p, line=number)
        if uid in ids:
            raise FormatError(
                f"duplicate id {uid!r}", path=p, line=number, hint=f"first at line {ids[uid]}"
            )
        ids[uid] = number
        units.append(Unit(id=uid, source=source, target=target))
    return Bitext(name=p.stem, pair=pair or LanguagePair("und", "und"), units=tuple(units))


FORMAT = BitextFormat(
    name="tsv",
    extensions=(".tsv",),
    read=load_bitext_tsv,
    write=write_bitext_tsv,
    description="bilingual TSV: id, source, target (spreadsheets, scripts)",
)
