"""Translation memory: reviewed translations kept in SQLite and reused before any MT.

Owns the ``transpipe.tm`` package: :class:`TranslationMemory` (the SQLite store, imports from
TMX/PO/XLIFF/TSV, exact/normalized/fuzzy lookup, export) in :mod:`transpipe.tm.store`, the
matching rules in :mod:`transpipe.tm.normalize`, what an imported file contributes in
:mod:`transpipe.tm.files`, and :class:`TranslationMemoryEngine` (memory first, then a
fallback MT engine) in :mod:`transpipe.tm.engine`.
"""

from __future__ import annotations

from transpipe.tm.engine import TmOutput, TranslationMemoryEngine
from transpipe.tm.store import (
    SCHEMA_VERSION,
    ImportStats,
    Match,
    MemoryStats,
    PairStats,
    TranslationMemory,
)

__all__ = [
    "SCHEMA_VERSION",
    "ImportStats",
    "Match",
    "MemoryStats",
    "PairStats",
    "TmOutput",
    "TranslationMemory",
    "TranslationMemoryEngine",
]
