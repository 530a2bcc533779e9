"""Readers and writers of interchange formats: TMX, PO, XLIFF, bilingual TSV, translated text.

Each format is one module with ``read_<fmt>(path, ...) -> Bitext`` and
``write_<fmt>(bitext, stream) -> None``; :mod:`transpipe.registry` maps file extensions to
them. XML input always goes through :mod:`transpipe.formats.xmlsafe`. Importing this package
imports nothing heavy.
"""

from __future__ import annotations
