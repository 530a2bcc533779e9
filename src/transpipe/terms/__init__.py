"""Terminology: the glossary model, its file formats, and lemma-aware term matching.

Public API::

    from transpipe.terms import load_glossary, Glossary, TermMatcher

    glossary = load_glossary("glossary/csto.tsv")      # TSV, CSV or TBX, by extension/content
    matches = TermMatcher(glossary, "ru").find("Генерального секретаря ОДКБ")

Heavy imports (pymorphy3) happen on first use of a Russian matcher, not on import.
"""

from __future__ import annotations

from transpipe.terms.files import load_glossary, render_glossary
from transpipe.terms.glossary import Concept, Glossary, Term
from transpipe.terms.matcher import TermMatcher

__all__ = ["Concept", "Glossary", "Term", "TermMatcher", "load_glossary", "render_glossary"]
