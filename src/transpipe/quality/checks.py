"""The check registry and ``run_checks``: every rule check, by name, in one table.

Owns which checks exist, their stable names (used in config, JSON, PO comments and the HTML
report), a one-line description of each (``docs/checks.md`` has the full table), the
validation of check names (:func:`validate_checks`, :func:`configure_checks`: an unknown name
is a ``ConfigError``) and the loop that runs them. A check is a pure function
``(CheckContext, ChecksConfig) -> Iterable[Issue]``; a check that raises is a bug and is
reported as such, never hidden.

Terms: ``run_checks`` takes the matches the pipeline already found (``source_terms``,
``target_terms``); a standalone caller may pass a ``CompiledGlossary`` instead, and each side
is then matched once here. Without either, the term checks have nothing to check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from transpipe.config import ChecksConfig
from transpipe.errors import ConfigError
from transpipe.model import Issue, LanguagePair, Severity, TermAudit, TermMatch
from transpipe.quality import (
    checks_coverage,
    checks_numbers,
    checks_terms,
    checks_text,
    checks_typography,
)
from transpipe.quality.checks_config import CheckContext

if TYPE_CHECKING:
    from transpipe.terms import CompiledGlossary

CheckFn = Callable[[CheckContext, ChecksConfig], Iterable[Issue]]


@dataclass(frozen=True)
class CheckSpec:
    """One registered check: its stable name, function and what it looks for."""

    name: str
    function: CheckFn
    description: str


CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec("empty", checks_text.check_empty, "no translation for a non-empty source"),
    CheckSpec("mojibake", checks_text.check_mojibake, "text decoded with the wrong encoding"),
    CheckSpec("untranslated", checks_text.check_untranslated, "source script left in the target"),
    CheckSpec("truncated", checks_text.check_truncated, "translation cut short"),
    CheckSpec("repetition", checks_text.check_repetition, "phrase repeated back to back"),
    CheckSpec("length_ratio", checks_text.check_length_ratio, "length far from the expected"),
    CheckSpec("sentence_count", checks_text.check_sentence_count, "different sentence count"),
    CheckSpec("mixed_script", checks_text.check_mixed_script, "word mixing Cyrillic and Latin"),
    CheckSpec("numbers", checks_numbers.check_numbers, "numbers, dates, amounts carried over"),
    CheckSpec("urls", checks_numbers.check_urls, "URLs carried over unchanged"),
    CheckSpec("emails", checks_numbers.check_emails, "e-mail addresses carried over"),
    CheckSpec("phones", checks_numbers.check_phones, "phone numbers carried over"),
    CheckSpec("names", checks_terms.check_names, "Latin names/acronyms of a ru source kept"),
    CheckSpec("glossary", checks_terms.check_glossary, "glossary terms translated as approved"),
    CheckSpec("forbidden_terms", checks_terms.check_forbidden_terms, "no forbidden terms"),
    CheckSpec("typography", checks_typography.check_typography, "quotes, dashes, spacing"),
    CheckSpec("omission", checks_coverage.check_omission, "source content left out"),
    CheckSpec("addition", checks_coverage.check_addition, "content not in the source"),
)
DOCUMENT_CHECKS = ("yo_consistency",)
CHECK_NAMES: tuple[str, ...] = tuple(spec.name for spec in CHECKS) + DOCUMENT_CHECKS


def validate_checks(names: Iterable[str]) -> None:
    """Raise ``ConfigError`` naming the first unknown check name."""
    for name in names:
        if name not in CHECK_NAMES:
            known = ", ".join(CHECK_NAMES)
            raise ConfigError(f"unknown check {name!r}", hint=f"known checks: {known}")


def configure_checks(
    config: ChecksConfig,
    *,
    disable: Sequence[str] = (),
    enable: Sequence[str] = (),
    severities: Mapping[str, Severity] | None = None,
) -> ChecksConfig:
    """A copy of ``config`` with checks switched off/on and severities replaced (validated)."""
    validate_checks((*disable, *enable, *(severities or {})))
    disabled = (config.disabled | frozenset(disable)) - frozenset(enable)
    merged = dict(config.severities)
    merged.update(severities or {})
    return replace(config, disabled=disabled, severities=merged)


def run_checks(
    source: str,
    target: str,
    pair: LanguagePair,
    *,
    source_terms: Sequence[TermMatch] | None = None,
    target_terms: Sequence[TermMatch] | None = None,
    term_audit: Sequence[TermAudit] = (),
    terms: CompiledGlossary | None = None,
    config: ChecksConfig = ChecksConfig(),  # noqa: B008 - frozen value
) -> list[Issue]:
    """Run every enabled check on one segment pair; findings sorted worst first."""
    validate_checks(config.named_checks)
    if terms is not None and source_terms is None:
        source_terms = terms.find(source, pair.source)
    if terms is not None and target_terms is None:
        target_terms = terms.find(target, pair.target)
    ctx = CheckContext(
        source,
        target,
        pair,
        None if source_terms is None else tuple(source_terms),
        None if target_terms is None else tuple(target_terms),
        tuple(term_audit),
    )
    issues: list[Issue] = []
    for spec in CHECKS:
        if config.enabled(spec.name):
            issues.extend(_apply_severity(spec.function(ctx, config), config))
    return sort_issues(issues)


def run_document_checks(
    targets: Sequence[str],
    pair: LanguagePair,
    *,
    config: ChecksConfig = ChecksConfig(),  # noqa: B008 - frozen value
) -> list[list[Issue]]:
    """Checks that need the whole document (ё consistency); one list per segment."""
    validate_checks(config.named_checks)
    out: list[list[Issue]] = [[] for _ in targets]
    if pair.target == "ru" and config.enabled("yo_consistency"):
        for i, found in enumerate(checks_typography.check_yo_document(targets, config)):
            out[i].extend(_apply_severity(found, config))
    return out


def _apply_severity(issues: Iterable[Issue], config: ChecksConfig) -> list[Issue]:
    out = []
    for issue in issues:
        severity = config.severity(issue.check, issue.severity)
        out.append(issue if severity == issue.severity else replace(issue, severity=severity))
    return out


def sort_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Worst first, then by check name and position (deterministic)."""
    return sorted(
        issues,
        key=lambda i: (-i.severity, i.check, i.side, i.span.start if i.span else -1, i.message),
    )
