"""Readers and writers of interchange formats: TMX, PO, XLIFF, bilingual TSV, translated text.

Each format is one module (PO: one package) that declares itself as
``FORMAT = BitextFormat(name, extensions, read, write)``; :mod:`.registry` lists them, picks
one by extension and offers :func:`~transpipe.formats.registry.read_bitext` for every
bilingual input. Beside the formats: :mod:`.provenance` (digests of what transpipe wrote),
:mod:`.review` (review states, readiness), :mod:`.annotations` (findings as text),
:mod:`.inline` (inline codes), :mod:`.languages` (language codes in files) and
:mod:`.xmlsafe` (hardened XML input). Importing this package imports nothing heavy.
"""

from __future__ import annotations
