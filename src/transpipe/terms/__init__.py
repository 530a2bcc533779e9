"""Terminology: the glossary model, its file formats, and lemma-aware term matching.

Public API::

    from transpipe.terms import CompiledGlossary, load_glossary

    glossary = load_glossary("glossary/csto.tsv")      # TSV, CSV or TBX, by extension/content
    terms = CompiledGlossary(glossary)                  # once per run: one matcher per language
    matches = terms.find("Генерального секретаря ОДКБ", "ru")   # tuple of TermMatch

``TermMatcher(glossary, lang)`` is the matcher itself. Heavy imports (pymorphy3) happen on
first use of a Russian matcher, not on import.
"""

from __future__ import annotations

from transpipe.terms.compiled import CompiledGlossary
from transpipe.terms.files import load_glossary, render_glossary
from transpipe.terms.glossary import Concept, Glossary, Term
from transpipe.terms.matcher import TermMatcher

__all__ = [
    "CompiledGlossary",
    "Concept",
    "Glossary",
    "Term",
    "TermMatcher",
    "load_glossary",
    "render_glossary",
]
