"""Quality scoring: rule checks, reference metrics and reference-free estimation.

Owns the public API of the quality stage::

    run_checks(source, target, pair, *, source_terms=None, target_terms=None, term_audit=(),
               terms=None, config=ChecksConfig()) -> list[Issue]
    run_document_checks(targets, pair, *, config=ChecksConfig()) -> list[list[Issue]]
    configure_checks(config, *, disable=(), enable=(), severities=None) -> ChecksConfig
    estimate_quality(sources, targets, pair, *, issues=None, engine_scores=None,
                     encoder=None, thresholds=QualityThresholds(), settings=None) -> list[Score]
    reference_metrics(hypotheses, references, *, target_lang) -> dict

Term matches come in from the caller (``None`` = not computed, ``()`` = none found) or are
found once per side through a ``transpipe.terms.CompiledGlossary`` passed as ``terms``.
``ChecksConfig`` and ``EstimatorSettings`` are defined in ``transpipe.config``.

Findings are values (``model.Issue``), never exceptions. The checks are documented in
``docs/checks.md``; the score calibration in ``docs/quality.md``.
"""

from __future__ import annotations

from transpipe.config import ChecksConfig, EstimatorSettings
from transpipe.quality.checks import (
    CHECK_NAMES,
    CHECKS,
    configure_checks,
    run_checks,
    run_document_checks,
    validate_checks,
)
from transpipe.quality.checks_config import CheckContext
from transpipe.quality.estimate import estimate_quality
from transpipe.quality.metrics import reference_metrics

__all__ = [
    "CHECKS",
    "CHECK_NAMES",
    "CheckContext",
    "ChecksConfig",
    "EstimatorSettings",
    "configure_checks",
    "estimate_quality",
    "reference_metrics",
    "run_checks",
    "run_document_checks",
    "validate_checks",
]
