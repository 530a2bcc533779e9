"""Which units of a TMX, PO, XLIFF or bilingual TSV file may enter the translation memory.

Owns the import side of the memory: reading a file with
:func:`transpipe.formats.registry.read_bitext` (by extension, so the memory reads exactly what
``transpipe convert`` reads; a file whose stated languages contradict the pair is refused)
and sorting its units into kept and skipped ones:

* skipped: an empty (or all-whitespace) source or target; a fuzzy (unreviewed) unit unless
  ``include_fuzzy`` is given; a PO plural entry (UI strings, not sentences); a unit holding
  inline markup placeholders (their text would never match a plain sentence); a TMX ``tu``
  lacking the source or target language (counted by the TMX reader);
* kept as reviewed: a unit whose review state is ``REVIEWED``
  (:mod:`transpipe.formats.review`), or every kept unit when the user says the whole file is
  reviewed (``reviewed=True``);
* kept as unreviewed: a fuzzy unit with ``include_fuzzy``, and a machine translation nobody
  changed (transpipe's own output: ``x-origin`` names an engine and the digests show no edit).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from transpipe.formats.annotations import INLINE
from transpipe.formats.po.fields import MSGID_PLURAL
from transpipe.formats.registry import SKIPPED, read_bitext
from transpipe.formats.review import ReviewState, review_state
from transpipe.model import Bitext, LanguagePair, Unit


@dataclass(frozen=True)
class Selection:
    """The units of one file that may enter the memory, and why the others may not."""

    kept: tuple[tuple[Unit, bool], ...]  # (unit, reviewed)
    fuzzy: int = 0
    empty: int = 0
    plural: int = 0
    inline: int = 0
    missing_language: int = 0
    machine: int = 0  # kept, but stored unreviewed: unedited machine translation

    @property
    def skipped(self) -> int:
        return self.fuzzy + self.empty + self.plural + self.inline + self.missing_language


@dataclass(frozen=True)
class LoadedFile:
    """One file read for import: its name (the stored origin), units read, the selection."""

    origin: str
    read: int
    selection: Selection


def load_for_import(
    path: Path, pair: LanguagePair, *, include_fuzzy: bool, reviewed: bool = False
) -> LoadedFile:
    """Read ``path`` and select its units (nothing is written)."""
    bitext = read_bitext(path, pair)
    selection = select_units(bitext, include_fuzzy=include_fuzzy, reviewed=reviewed)
    return LoadedFile(path.name, len(bitext.units), selection)


def select_units(bitext: Bitext, *, include_fuzzy: bool, reviewed: bool = False) -> Selection:
    """Sort the units of ``bitext`` into kept and skipped (see the module docstring)."""
    kept: list[tuple[Unit, bool]] = []
    fuzzy = empty = plural = inline = machine = 0
    for unit in bitext.units:
        keys = {key for key, _ in unit.props}
        state = review_state(unit)
        if not unit.source.strip() or not unit.target.strip():
            empty += 1
        elif MSGID_PLURAL in keys:
            plural += 1
        elif INLINE in keys:
            inline += 1
        elif state is ReviewState.FUZZY:
            if include_fuzzy:
                kept.append((unit, False))
            else:
                fuzzy += 1
        elif state is ReviewState.MACHINE and not reviewed:
            kept.append((unit, False))
            machine += 1
        else:
            kept.append((unit, True))
    missing = dict(bitext.props).get(SKIPPED, "0")
    return Selection(
        kept=tuple(kept),
        fuzzy=fuzzy,
        empty=empty,
        plural=plural,
        inline=inline,
        missing_language=int(missing) if missing.isdigit() else 0,
        machine=machine,
    )
