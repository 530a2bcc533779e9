"""Gettext PO: a strict reader of our own and of real-world files, and a polib-based writer.

Owns the PO format, in four parts: :mod:`.charset` (which encoding a file is in),
:mod:`.parser` (PO syntax, strictly), :mod:`.reader` (entries into units, digests checked),
:mod:`.writer` (units into a file ``msgfmt -c`` accepts), with the conventions both sides
share in :mod:`.fields` and plural forms in :mod:`.plural`.
"""

from __future__ import annotations

from transpipe.formats.po.plural import PLURAL_FORMS
from transpipe.formats.po.reader import load_po, read_po
from transpipe.formats.po.writer import write_po
from transpipe.formats.registry import BitextFormat

FORMAT = BitextFormat(
    name="po",
    extensions=(".po", ".pot"),
    read=load_po,
    write=write_po,
    description="gettext PO (Poedit, msgfmt, OmegaT)",
)

__all__ = ["FORMAT", "PLURAL_FORMS", "load_po", "read_po", "write_po"]
