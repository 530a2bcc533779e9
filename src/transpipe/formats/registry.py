"""The bilingual formats, each declared by its own module, chosen by file extension.

Owns the list of formats and the two entry points every command uses:
:func:`read_bitext` / :func:`load_bitext` for any bilingual input (TMX, PO/POT, XLIFF,
bilingual TSV) and :func:`format_for` to pick a writer. Each format module declares itself as
``FORMAT = BitextFormat(...)`` (name, extensions, read, write); the modules are imported on
first use, so importing transpipe imports neither lxml nor polib.

Reading for a language pair: TMX chooses each unit's sides by language code; PO and XLIFF
must not state languages that contradict the pair (checked by their readers); bilingual TSV
takes the pair from the caller. A file whose units all lack one of the languages is an error,
not an empty result.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from transpipe.errors import ConfigError, InputError
from transpipe.formats.provenance import BitextFile
from transpipe.model import Bitext, LanguagePair

Reader = Callable[[Path, LanguagePair | None], BitextFile]
Writer = Callable[[Bitext, BinaryIO], None]

SKIPPED = "x-transpipe-skipped"
"""Bitext prop: units a reader left out because they lack a requested language."""

_MODULES = (
    "transpipe.formats.tmx",
    "transpipe.formats.po",
    "transpipe.formats.xliff",
    "transpipe.formats.bitext_tsv",
    "transpipe.formats.text",
)


@dataclass(frozen=True)
class BitextFormat:
    """One file format: its name, the extensions it owns, and how to read and write it.

    ``read`` is ``None`` for an output-only format (the translated article text).
    """

    name: str
    extensions: tuple[str, ...]
    write: Writer
    read: Reader | None = None
    description: str = ""


def formats() -> tuple[BitextFormat, ...]:
    """Every declared format, in a fixed order (their modules are imported on first use)."""
    declared: tuple[BitextFormat, ...] = tuple(
        importlib.import_module(name).FORMAT for name in _MODULES
    )
    return declared


def extensions(*, readable: bool = False) -> list[str]:
    """Known extensions (those that can be read, with ``readable``), sorted."""
    return sorted(
        ext for fmt in formats() if fmt.read is not None or not readable for ext in fmt.extensions
    )


def format_for(path: str | Path, *, reading: bool = False) -> BitextFormat:
    """The format owning ``path``'s extension; a ``ConfigError`` listing the known ones else."""
    suffix = Path(path).suffix.lower()
    for fmt in formats():
        if suffix in fmt.extensions and (fmt.read is not None or not reading):
            return fmt
    verb = "read" if reading else "write"
    known = ", ".join(extensions(readable=reading))
    raise ConfigError(
        f"cannot {verb} {suffix or 'files without extension'}",
        path=path if reading else None,
        hint=f"known: {known}",
    )


def load_bitext(path: str | Path, pair: LanguagePair | None = None) -> BitextFile:
    """Read any bilingual file by extension, with its provenance (see the module docstring)."""
    p = Path(path)
    reader = format_for(p, reading=True).read
    assert reader is not None  # format_for(reading=True) returns readable formats only
    loaded = reader(p, pair)
    skipped = dict(loaded.bitext.props).get(SKIPPED, "0")
    if pair is not None and not loaded.bitext.units and skipped != "0":
        raise InputError(
            f"no unit has both {pair.source} and {pair.target} ({skipped} skipped)",
            path=p,
            hint="check --from/--to",
        )
    return loaded


def read_bitext(path: str | Path, pair: LanguagePair | None = None) -> Bitext:
    """The units of any bilingual file, by extension (see :func:`load_bitext`)."""
    return load_bitext(path, pair).bitext
