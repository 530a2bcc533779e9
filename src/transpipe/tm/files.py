"""Which units of a TMX, PO, XLIFF or bilingual TSV file may enter the translation memory.

Owns the import side of the memory: reading a file through :data:`transpipe.registry.readers`
(by extension, so the memory reads exactly what ``transpipe convert`` reads) for the language
pair the user named, refusing a file whose own languages contradict that pair (a PO whose
``Language`` header says ``de`` is not an ``en``->``ru`` memory), and sorting its units into
kept and skipped ones:

* skipped: an empty (or all-whitespace) source or target; a fuzzy (unreviewed) unit unless
  ``include_fuzzy`` is given; a PO plural entry (UI strings, not sentences); a unit holding
  inline markup placeholders (their text would never match a plain sentence); a TMX ``tu``
  lacking the source or target language (counted by the TMX reader);
* kept: everything else, with ``reviewed = not unit.fuzzy``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from transpipe import registry
from transpipe.errors import ConfigError, InputError
from transpipe.lang.codes import primary as _primary
from transpipe.model import Bitext, LanguagePair, Unit

_PLURAL_PROP = "x-po-msgid-plural"
_INLINE_PROP = "x-transpipe-inline"
_SKIPPED_PROP = "x-transpipe-skipped"
_XLIFF = frozenset({".xlf", ".xliff"})


@dataclass(frozen=True)
class Selection:
    """The units of one file that may enter the memory, and why the others may not."""

    kept: tuple[tuple[Unit, bool], ...]  # (unit, reviewed)
    fuzzy: int = 0
    empty: int = 0
    plural: int = 0
    inline: int = 0
    missing_language: int = 0

    @property
    def skipped(self) -> int:
        return self.fuzzy + self.empty + self.plural + self.inline + self.missing_language


@dataclass(frozen=True)
class LoadedFile:
    """One file read for import: its name (the stored origin), units read, the selection."""

    origin: str
    read: int
    selection: Selection


def load_for_import(path: Path, pair: LanguagePair, *, include_fuzzy: bool) -> LoadedFile:
    """Read ``path`` and select its units (nothing is written)."""
    bitext = read_bitext(path, pair)
    return LoadedFile(
        path.name, len(bitext.units), select_units(bitext, include_fuzzy=include_fuzzy)
    )


def file_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    return ".po" if suffix == ".pot" else suffix


def read_bitext(path: Path, pair: LanguagePair) -> Bitext:
    """Read ``path`` for ``pair`` with the registered reader, checking the file's languages."""
    suffix = file_suffix(path)
    if suffix not in registry.readers:
        known = ", ".join(registry.readers.names())
        raise ConfigError(
            f"{path}: cannot import {suffix or 'files without extension'}", hint=f"known: {known}"
        )
    reader: Callable[[Path, LanguagePair | None], Bitext]
    reader = registry.readers.load(suffix)  # type: ignore[assignment]
    if suffix in _XLIFF:
        bitext = reader(path, None)
        _check_languages(path, bitext.pair.source, bitext.pair.target, pair)
        return Bitext(bitext.name, pair, bitext.units, bitext.created, bitext.props)
    bitext = reader(path, pair)
    missing = dict(bitext.props).get(_SKIPPED_PROP, "0")
    if not bitext.units and missing != "0":
        raise InputError(
            f"no unit has both {pair.source} and {pair.target} ({missing} skipped)",
            path=path,
            hint="check --from/--to",
        )
    if suffix == ".po":
        header = dict(bitext.props)
        _check_languages(
            path, header.get("X-Source-Language", ""), header.get("Language", ""), pair
        )
    return bitext


def select_units(bitext: Bitext, *, include_fuzzy: bool) -> Selection:
    """Sort the units of ``bitext`` into kept and skipped (see the module docstring)."""
    kept: list[tuple[Unit, bool]] = []
    fuzzy = empty = plural = inline = 0
    for unit in bitext.units:
        keys = {key for key, _ in unit.props}
        if not unit.source.strip() or not unit.target.strip():
            empty += 1
        elif _PLURAL_PROP in keys:
            plural += 1
        elif _INLINE_PROP in keys:
            inline += 1
        elif unit.fuzzy and not include_fuzzy:
            fuzzy += 1
        else:
            kept.append((unit, not unit.fuzzy))
    missing = dict(bitext.props).get(_SKIPPED_PROP, "0")
    return Selection(
        kept=tuple(kept),
        fuzzy=fuzzy,
        empty=empty,
        plural=plural,
        inline=inline,
        missing_language=int(missing) if missing.isdigit() else 0,
    )


def _check_languages(path: Path, source: str, target: str, pair: LanguagePair) -> None:
    """A language the file states (not empty, not ``und``) must agree with ``pair``."""
    found_source, found_target = _primary(source), _primary(target)
    clash = [
        (side, found, wanted)
        for side, found, wanted in (
            ("source", found_source, _primary(pair.source)),
            ("target", found_target, _primary(pair.target)),
        )
        if found not in ("", "und") and found != wanted
    ]
    if clash:
        side, found, wanted = clash[0]
        stated = f"{found_source or '?'}->{found_target or '?'}"
        raise InputError(
            f"the file's {side} language is {found!r}, not {wanted!r} (file states {stated})",
            path=path,
            hint="check --from/--to",
        )
