"""Quality scoring: rule checks, reference metrics and reference-free estimation.

Owns the public API of the quality stage::

    run_checks(source, target, pair, *, term_matches=(), term_audit=(), glossary=None,
               config=None) -> list[Issue]
    run_document_checks(targets, pair, *, config=None) -> list[list[Issue]]
    estimate_quality(sources, targets, pair, *, issues=None, engine_scores=None,
                     encoder=None, thresholds=QualityThresholds()) -> list[Score]
    reference_metrics(hypotheses, references, *, target_lang) -> dict

Findings are values (``model.Issue``), never exceptions. The checks are documented in
``docs/checks.md``; the score calibration in ``docs/quality.md``.
"""

from __future__ import annotations

from transpipe.quality.checks import CHECK_NAMES, CHECKS, run_checks, run_document_checks
from transpipe.quality.checks_config import CheckContext, ChecksConfig
from transpipe.quality.estimate import EstimatorSettings, estimate_quality
from transpipe.quality.metrics import reference_metrics

__all__ = [
    "CHECKS",
    "CHECK_NAMES",
    "CheckContext",
    "ChecksConfig",
    "EstimatorSettings",
    "estimate_quality",
    "reference_metrics",
    "run_checks",
    "run_document_checks",
]
