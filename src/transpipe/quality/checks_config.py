"""What every rule check reads: the segment pair (``CheckContext``) and ``ChecksConfig``.

Owns ``CheckContext``: one source/target pair plus the glossary terms already found in each
side (``None`` = not computed, ``()`` = none found) and the pinning stage's term audit. Checks
never match terms themselves. ``ChecksConfig`` (which checks run, severities, thresholds) is
defined with the other run options in ``transpipe.config`` and re-exported here for the checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from transpipe.config import ChecksConfig
from transpipe.model import LanguagePair, TermAudit, TermMatch

__all__ = ["CheckContext", "ChecksConfig"]


@dataclass(frozen=True)
class CheckContext:
    """One source/target segment pair plus what the pipeline knows about its terms."""

    source: str
    target: str
    pair: LanguagePair
    source_terms: tuple[TermMatch, ...] | None = None
    target_terms: tuple[TermMatch, ...] | None = None
    term_audit: tuple[TermAudit, ...] = ()
