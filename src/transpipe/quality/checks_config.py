"""Configuration and input of the rule checks: ``ChecksConfig`` and ``CheckContext``.

Owns what every check reads: the segment pair being checked (``CheckContext``) and the one
frozen ``ChecksConfig`` that switches checks on or off, overrides their severities and holds
their thresholds. Defaults are documented in ``docs/checks.md``; calibration notes in
``docs/quality.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from transpipe.errors import ConfigError
from transpipe.model import LanguagePair, Severity, TermAudit, TermMatch


@dataclass(frozen=True)
class CheckContext:
    """One source/target segment pair plus what the pipeline knows about its terms."""

    source: str
    target: str
    pair: LanguagePair
    term_matches: Sequence[TermMatch] = ()
    term_audit: Sequence[TermAudit] = ()
    glossary: object | None = None


@dataclass(frozen=True)
class ChecksConfig:
    """Which checks run, at what severity, with which thresholds.

    ``disabled`` names checks that do not run; ``severities`` maps a check name to a severity
    that replaces whatever the check would report (e.g. make ``typography`` findings INFO).
    The remaining fields are the thresholds of individual checks (see ``docs/checks.md``).
    """

    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    # length_ratio: target/source character ratio divided by the pair's expected ratio
    length_ratio_min_chars: int = 25
    length_ratio_minor: tuple[float, float] = (0.55, 1.8)
    length_ratio_major: tuple[float, float] = (0.35, 2.8)
    # repetition: a phrase of >= min words repeated back to back, or one word >= times in a row
    repetition_min_words: int = 2
    repetition_word_times: int = 3
    # untranslated: share of target letters in the source script that makes a segment untranslated
    untranslated_ratio: float = 0.5
    untranslated_latin_words: int = 3
    # truncated: sources at least this long must end like their source does
    truncated_min_chars: int = 20
    truncated_full_ratio: float = 0.95  # at least this share of the expected length: MINOR
    # sentence_count: flag when target and source sentence counts differ by at least this
    sentence_count_diff: int = 1
    # numbers: treat a missing/extra month name as this severity (digits are MAJOR)
    numbers_month_severity: Severity = Severity.MINOR

    def enabled(self, check: str) -> bool:
        return check not in self.disabled

    def severity(self, check: str, default: Severity) -> Severity:
        return self.severities.get(check, default)

    def with_overrides(
        self,
        *,
        disable: Sequence[str] = (),
        enable: Sequence[str] = (),
        severities: Mapping[str, Severity] | None = None,
    ) -> ChecksConfig:
        """A copy with checks switched off/on and severities replaced; names are validated."""
        from transpipe.quality.checks import CHECK_NAMES

        for name in (*disable, *enable, *(severities or {})):
            if name not in CHECK_NAMES:
                known = ", ".join(CHECK_NAMES)
                raise ConfigError(f"unknown check {name!r}", hint=f"known checks: {known}")
        disabled = (self.disabled | frozenset(disable)) - frozenset(enable)
        merged = dict(self.severities)
        merged.update(severities or {})
        return replace(self, disabled=disabled, severities=merged)
