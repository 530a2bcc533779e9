"""Glossary term pinning in machine translation, with inflection and audit.

Public API: :class:`TermPinner` (``TermPinner(glossary, pair, engine, options).pin(sources,
hypotheses, matches)`` enforces the glossary on an engine's translations; ``.translate(sources,
matches)`` translates first), :class:`PinnedTranslation`, :class:`PinningOptions` (defined with
the other run options in :mod:`transpipe.config`), :class:`AuditSummary`,
:func:`forbidden_surfaces` (what a decoding engine is told never to generate). The mechanism is
described in ``docs/pinning.md``; inflection lives in :mod:`transpipe.pinning.inflect`,
target-side search in :mod:`transpipe.pinning.locate`. Importing this package loads no model
and no morphology dictionary.
"""

from transpipe.config import PinningOptions
from transpipe.pinning.audit import AuditSummary, needs_review
from transpipe.pinning.pinner import PinnedTranslation, TermPinner
from transpipe.pinning.suppress import forbidden_surfaces

__all__ = [
    "AuditSummary",
    "PinnedTranslation",
    "PinningOptions",
    "TermPinner",
    "forbidden_surfaces",
    "needs_review",
]
