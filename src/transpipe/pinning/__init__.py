"""Glossary term pinning in machine translation, with inflection and audit.

Public API: :class:`TermPinner` (``TermPinner(glossary, pair, engine).translate(sources,
matches) -> list[PinnedTranslation]``), :class:`PinnedTranslation`, :class:`PinningOptions`,
:class:`AuditSummary`. The mechanism is described in ``docs/pinning.md``; inflection lives in
:mod:`transpipe.pinning.inflect`, target-side search in :mod:`transpipe.pinning.locate`.
Importing this package loads no model and no morphology dictionary.
"""

from transpipe.pinning.audit import AuditSummary, needs_review
from transpipe.pinning.pinner import PinnedTranslation, PinningOptions, TermPinner

__all__ = ["AuditSummary", "PinnedTranslation", "PinningOptions", "TermPinner", "needs_review"]
