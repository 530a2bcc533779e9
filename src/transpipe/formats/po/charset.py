"""Which encoding a PO file is in: its header's ``charset``, checked against its bytes.

Owns charset detection for PO. A BOM wins; otherwise the ``Content-Type`` charset of the
header decides (none, or the POT placeholder ``CHARSET``, means UTF-8). Legacy charsets
(cp1251, KOI8-R, ISO-8859-x, EUC-KR...) are honoured, but a file that is really UTF-8 while
declaring a legacy charset, or Latin-1-looking bytes declared as a Cyrillic charset, is
rejected naming the problem, since decoding it as declared would garble every letter. The
decoding itself is :func:`transpipe.inputs.decode_text`.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from transpipe.errors import EncodingError
from transpipe.inputs import decode_text, high_byte_runs

_CHARSET = re.compile(rb"charset=[ \t]*([A-Za-z0-9_.:-]+)")
_CYRILLIC_CODECS = frozenset({"koi8-r", "koi8-u", "cp1251", "iso8859-5", "cp866", "mac-cyrillic"})
_CYRILLIC = re.compile("[а-яё]", re.I)
_HEADER_SCAN = 65536


def decode_po(path: Path, data: bytes) -> str:
    """The text of a PO file in the encoding its header declares (see the module docstring)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data, path)
    m = _CHARSET.search(data[:_HEADER_SCAN])
    declared = m.group(1).decode("ascii") if m else ""
    line = data[: m.start()].count(b"\n") + 1 if m else 1
    if declared.upper() in ("", "CHARSET"):
        declared = "utf-8"
    try:
        codec = codecs.lookup(declared).name
    except LookupError as exc:
        raise EncodingError(
            f"unknown charset {declared!r} declared in the header", path=path, line=line
        ) from exc
    if codec == "utf-8":
        said = "the header declares UTF-8" if m else "no charset declared, UTF-8 assumed"
        return decode_text(data, path, context=said, legacy_fix="declare charset={encoding}")
    if not data.isascii() and _CYRILLIC.search(_utf8_or_empty(data)):
        raise EncodingError(
            f"the header declares charset {declared} but the file is UTF-8",
            path=path,
            line=line,
            hint="decoding it as declared would garble Cyrillic; fix the Content-Type header",
        )
    if codec in _CYRILLIC_CODECS and high_byte_runs(data) < 0.5:
        raise EncodingError(
            f"the header declares charset {declared} but the text does not look Cyrillic",
            path=path,
            line=line,
            hint="accented letters stand alone, as in ISO-8859-1; fix the Content-Type header",
        )
    return decode_text(data, path, encoding=codec)


def _utf8_or_empty(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
