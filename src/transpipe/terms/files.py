"""Glossary files: decoding bytes, telling formats apart, and the load/save entry points.

Owns how a glossary file on disk becomes a ``Glossary`` and back. Text formats are decoded as
UTF-8 (BOM tolerated) or UTF-16 with a BOM; bytes in a legacy Cyrillic encoding (cp1251) are
refused with a message naming the file, the line and the fix, unless the caller passes
``encoding="cp1251"`` explicitly. Format is chosen by extension, then by content:

- ``.tbx`` / ``.xml`` (or content starting with ``<``): TBX v2 (``martif``) or TBX v3 (``tbx``)
- ``.csv``: CSV, with a header of language codes (ours, Google, Amazon) or without (DeepL)
- anything else (``.tsv``, ``.tab``, ``.txt``, ``.utf8``): our TSV when the first line is a
  header naming ``id`` or language columns, otherwise OmegaT's ``source<TAB>target[<TAB>note]``

Writers never emit a BOM and always write UTF-8 with ``\\n`` line ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from transpipe import inputs
from transpipe.errors import GlossaryError
from transpipe.terms.glossary import Glossary

if TYPE_CHECKING:
    from transpipe.terms.tsv import ReadProblems

MAX_GLOSSARY_BYTES = 64 * 1024 * 1024
TEXT_EXTENSIONS = (".tsv", ".tab", ".txt", ".utf8")
CSV_LAYOUTS = ("full", "deepl", "google", "amazon")
TSV_LAYOUTS = ("full", "omegat")
OMEGAT_EXTENSIONS = (".txt", ".utf8", ".tab")  # what OmegaT 3.6's glossary reader loads


def read_bytes(path: str | Path) -> bytes:
    """Read a glossary file's bytes with clear errors for missing, unreadable, huge files."""
    return inputs.read_bytes(path, max_bytes=MAX_GLOSSARY_BYTES, expected="a glossary file")


def decode(data: bytes, path: str | Path, encoding: str | None = None) -> str:
    """Decode a text glossary; CRLF/CR become LF. See the module docstring for the policy."""
    return inputs.decode_text(
        data, path, encoding=encoding, legacy_fix="pass --encoding {encoding}"
    )


def detect_format(path: str | Path, data: bytes) -> str:
    """``"tbx"``, ``"csv"`` or ``"tsv"`` for a glossary file, by extension then content."""
    suffix = Path(path).suffix.lower()
    if suffix in (".tbx", ".xml"):
        return "tbx"
    if suffix == ".csv":
        return "csv"
    head = data[:200].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if head.startswith(b"<"):
        return "tbx"
    return "tsv"


def load_glossary(
    path: str | Path,
    *,
    encoding: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    problems: ReadProblems | None = None,
) -> Glossary:
    """Load a glossary in any supported format (see the module docstring).

    With ``problems`` (TSV/CSV), unusable rows are recorded there and skipped, and cells with
    edge spaces are noted, so ``glossary check`` reports them all in one run.

    ``source_lang``/``target_lang`` name the columns of header-less layouts (OmegaT TSV,
    DeepL CSV); by default they are guessed from the script (Cyrillic column = ``ru``).
    """
    from transpipe.terms import csv_format, tbx, tsv

    data = read_bytes(path)
    kind = detect_format(path, data)
    name = Path(path).name
    if kind == "tbx":
        return tbx.parse_tbx(data, path=path, name=name)
    text = decode(data, path, encoding)
    if kind == "csv":
        return csv_format.parse_csv(
            text,
            path=path,
            name=name,
            source_lang=source_lang,
            target_lang=target_lang,
            problems=problems,
        )
    return tsv.parse_tsv(
        text,
        path=path,
        name=name,
        source_lang=source_lang,
        target_lang=target_lang,
        problems=problems,
    )


def render_glossary(
    glossary: Glossary,
    path: str | Path,
    *,
    layout: str = "full",
    tbx_version: int = 2,
    source_lang: str = "en",
    target_lang: str = "ru",
) -> bytes:
    """Serialise a glossary to the format named by ``path``'s extension.

    ``.tbx``: TBX v2 (martif, TBX-Basic: what OmegaT 3.6 and Translate Toolkit read) or v3
    (``tbx_version=3``, ISO 30042:2019 ``urn:iso:std:iso:30042:ed-2``, which neither reads);
    ``.csv``: layout ``full`` (our columns, lossless), ``deepl``, ``google`` or ``amazon``;
    other extensions: TSV, layout ``full`` (lossless) or ``omegat`` (only as ``.txt``,
    ``.utf8`` or ``.tab``, the names OmegaT loads). Lossy layouts use
    ``source_lang``/``target_lang``.
    """
    from transpipe.terms import csv_format, tbx, tsv

    suffix = Path(path).suffix.lower()
    if suffix in (".tbx", ".xml"):
        if tbx_version not in (2, 3):
            raise GlossaryError(f"unsupported TBX version {tbx_version}; use 2 or 3", path=path)
        return tbx.render_tbx(glossary, version=tbx_version)
    if suffix == ".csv":
        if layout not in CSV_LAYOUTS:
            raise GlossaryError(
                f"unknown CSV layout {layout!r}; choose one of {', '.join(CSV_LAYOUTS)}", path=path
            )
        return csv_format.render_csv(
            glossary, layout=layout, source=source_lang, target=target_lang
        )
    if layout not in TSV_LAYOUTS:
        raise GlossaryError(
            f"unknown TSV layout {layout!r}; choose one of {', '.join(TSV_LAYOUTS)}", path=path
        )
    if layout == "omegat" and suffix not in OMEGAT_EXTENSIONS:
        raise GlossaryError(
            "OmegaT does not load glossaries with this extension",
            path=path,
            hint="name it .txt or .utf8",
        )
    return tsv.render_tsv(glossary, layout=layout, source=source_lang, target=target_lang)
