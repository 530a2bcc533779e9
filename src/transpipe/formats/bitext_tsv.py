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

from transpipe.errors import EncodingError, FormatError, InputError
from transpipe.formats.xmlsafe import xml_text
from transpipe.inputs import looks_like_cp1251
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


def read_bitext_tsv(path: str | Path, pair: LanguagePair | None = None) -> Bitext:
    """Read an id/source/target TSV file written by :func:`write_bitext_tsv` (or by hand)."""
    p = Path(path)
    try:
        data = p.read_bytes() if p.stat().st_size <= MAX_TSV_BYTES else None
    except FileNotFoundError:
        raise InputError("file not found", path=p) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=p) from None
    if data is None:
        raise InputError(f"file is above the {MAX_TSV_BYTES}-byte limit", path=p)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            hint = (
                "the file looks like cp1251 (Windows Cyrillic)" if looks_like_cp1251(data) else ""
            )
            raise EncodingError(
                "not valid UTF-8",
                path=p,
                line=data[: exc.start].count(b"\n") + 1,
                hint=hint or "convert it to UTF-8",
            ) from None
    lines = text.replace("\r\n", "\n").split("\n")
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
        if "\x00" in line:
            raise FormatError("NUL character", path=p, line=number)
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
