"""Translation memory: reviewed translations kept in SQLite and reused before any MT.

Owns the ``transpipe.tm`` package: :class:`TranslationMemory` (the SQLite store, imports from
TMX/PO/XLIFF/TSV, exact/normalized/fuzzy lookup, export) in :mod:`transpipe.tm.store`, the
matching rules in :mod:`transpipe.tm.normalize`, what an imported file contributes in
:mod:`transpipe.tm.files`, and the memory in front of MT in :mod:`transpipe.tm.engine`:
:class:`MemoryStage` (a pipeline stage) and :class:`TranslationMemoryEngine` (an engine wrapper:
memory first, then a fallback MT engine).
"""

from __future__ import annotations

from transpipe.tm.engine import MemoryStage, TmOutput, TranslationMemoryEngine, memory_draft
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
    "MemoryStage",
    "MemoryStats",
    "PairStats",
    "TmOutput",
    "TranslationMemory",
    "TranslationMemoryEngine",
    "memory_draft",
]
