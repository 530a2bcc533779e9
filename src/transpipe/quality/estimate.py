"""Reference-free quality estimation: one 0-100 score and a status per segment.

Owns how the evidence becomes a score. The learned part (``qe_model``) predicts the WMT
direct-assessment z-score a human would give, from reference-free features (``qe_features``:
cross-lingual sentence and word coverage, form, rule-check findings), and maps it to 0-100
(``to_score``) so that the calibrated points land on the ``review`` and ``good`` thresholds of
``QualityThresholds`` and on 100 (calibration in ``docs/quality.md``). Then, in this order:

* engine confidence: when the engine reported a mean token log-probability below
  ``logprob_ok``, up to ``confidence_penalty`` points come off (linearly down to
  ``logprob_floor``). This part is *not* learned: no training data carries an engine score;
* hard caps from the rule checks: a CRITICAL finding makes a segment *bad* and keeps its score
  under the *review* threshold; a MAJOR finding keeps it out of *good* and under the *good*
  threshold, so sorting by score and filtering by status agree.

The constants of the parts that are not learned are ``transpipe.config.EstimatorSettings``.
Every part is recorded in ``Score.components``.
"""

from __future__ import annotations

from collections.abc import Sequence

from transpipe.config import EstimatorSettings, QualityThresholds
from transpipe.embeddings import SentenceEncoder
from transpipe.model import Issue, LanguagePair, Score, SegmentStatus, Severity
from transpipe.quality.coverage import coverage
from transpipe.quality.qe_features import FEATURES, features
from transpipe.quality.qe_model import Calibration, QeModel, load_model

_CAP_MARGIN = 0.01


def status_for(
    value: float, issues: Sequence[Issue], thresholds: QualityThresholds
) -> SegmentStatus:
    """Status from the score and the worst finding."""
    worst = max((i.severity for i in issues), default=Severity.INFO)
    if worst >= Severity.CRITICAL or value < thresholds.review:
        return SegmentStatus.BAD
    if worst >= Severity.MAJOR or value < thresholds.good:
        return SegmentStatus.REVIEW
    return SegmentStatus.GOOD


def combine(
    learned: float,
    engine_score: float | None,
    issues: Sequence[Issue],
    *,
    thresholds: QualityThresholds,
    settings: EstimatorSettings,
) -> Score:
    """Turn one segment's learned score (0-100), engine log-prob and findings into a ``Score``."""
    components: list[tuple[str, float]] = [("learned", round(learned, 2))]
    value = learned
    if engine_score is not None:
        span = settings.logprob_ok - settings.logprob_floor
        shortfall = min(1.0, max(0.0, (settings.logprob_ok - engine_score) / span))
        penalty = round(settings.confidence_penalty * shortfall, 2)
        components += [("confidence", round(engine_score, 4)), ("confidence_penalty", penalty)]
        value -= penalty
    worst = max((i.severity for i in issues), default=Severity.INFO)
    if worst >= Severity.CRITICAL:
        value = min(value, thresholds.review - _CAP_MARGIN)
    elif worst >= Severity.MAJOR:
        value = min(value, thresholds.good - _CAP_MARGIN)
    value = round(min(100.0, max(0.0, value)), 2)
    return Score(value, status_for(value, issues, thresholds), tuple(components))


def to_score(z: float, calibration: Calibration, thresholds: QualityThresholds) -> float:
    """A predicted z-score on the 0-100 scale: piecewise linear through the calibration points
    (``review`` -> ``thresholds.review``, ``good`` -> ``thresholds.good``, ``top`` -> 100), the
    lower slope continued below ``review``; clipped to 0-100. Monotone, so it keeps the order."""
    low = (thresholds.good - thresholds.review) / (calibration.good - calibration.review)
    if z < calibration.good:
        value = thresholds.review + low * (z - calibration.review)
    else:
        high = (100.0 - thresholds.good) / max(calibration.top - calibration.good, 1e-9)
        value = thresholds.good + high * (z - calibration.good)
    return min(100.0, max(0.0, value))


def estimate_quality(
    sources: Sequence[str],
    targets: Sequence[str],
    pair: LanguagePair,
    *,
    issues: Sequence[Sequence[Issue]] | None = None,
    engine_scores: Sequence[float | None] | None = None,
    encoder: SentenceEncoder | None = None,
    thresholds: QualityThresholds = QualityThresholds(),  # noqa: B008 - frozen value
    settings: EstimatorSettings | None = None,
    model: QeModel | None = None,
) -> list[Score]:
    """Score every (source, target) pair; ``issues`` default to ``run_checks`` findings.

    ``model`` defaults to the committed ``quality/data/qe-model.json``.
    """
    if len(sources) != len(targets):
        raise ValueError(f"{len(sources)} sources but {len(targets)} targets")
    if issues is not None and len(issues) != len(sources):
        raise ValueError("issues must have one list per segment")
    if engine_scores is not None and len(engine_scores) != len(sources):
        raise ValueError("engine_scores must have one value per segment")
    settings = settings or EstimatorSettings()
    model = model or load_model()
    found = coverage(sources, targets, encoder=encoder)
    if issues is None:
        from transpipe.quality.checks import run_checks, run_document_checks

        doc = run_document_checks(targets, pair)
        issues = [run_checks(s, t, pair) + d for s, t, d in zip(sources, targets, doc, strict=True)]
    rows = features(sources, targets, pair, issues, found)
    predicted = model.predict(rows)
    calibration = model.calibration_for(pair)
    scores = []
    for i, (source, target) in enumerate(zip(sources, targets, strict=True)):
        if not source.strip() and not target.strip():
            learned = 100.0  # nothing to translate, nothing translated
        else:
            learned = to_score(float(predicted[i]), calibration, thresholds)
        engine = engine_scores[i] if engine_scores is not None else None
        score = combine(learned, engine, issues[i], thresholds=thresholds, settings=settings)
        extra = (
            ("predicted_z", round(float(predicted[i]), 4)),
            ("similarity", round(found[i].similarity, 4)),
            ("source_support", round(float(rows[i][FEATURES.index("src_support_mean")]), 4)),
            ("target_support", round(float(rows[i][FEATURES.index("tgt_support_mean")]), 4)),
        )
        scores.append(Score(score.value, score.status, extra + score.components))
    return scores
