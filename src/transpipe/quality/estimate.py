"""Reference-free quality estimation: one 0-100 score and a status per segment.

Owns how the evidence is combined. Three parts, each recorded in ``Score.components``:

* ``similarity``: cosine of the source and translation embeddings (multilingual USE v3,
  ``transpipe.embeddings.SentenceEncoder``), mapped linearly from ``[sim_floor, sim_ceil]``
  to 0-100;
* ``confidence``: the engine's mean token log-probability when it reported one, mapped from
  ``[logprob_floor, 0]`` to 0-100 and averaged with the similarity part (weight
  ``confidence_weight``);
* ``penalty``: points taken off per rule-check finding by severity (``penalty``), capped
  at 100.

The constants are ``transpipe.config.EstimatorSettings`` (``TranslateConfig.estimator``).

``score = clip(base - penalty, 0, 100)``; status from ``QualityThresholds`` (good >= 70,
review >= 45, else bad), and a CRITICAL finding always makes a segment bad, a MAJOR one keeps
it out of good. Calibration is in ``docs/quality.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

from transpipe.config import EstimatorSettings, QualityThresholds
from transpipe.embeddings import SentenceEncoder
from transpipe.model import Issue, LanguagePair, Score, SegmentStatus, Severity


def _scale(value: float, low: float, high: float) -> float:
    return 100.0 * min(1.0, max(0.0, (value - low) / (high - low)))


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
    similarity: float | None,
    engine_score: float | None,
    issues: Sequence[Issue],
    *,
    thresholds: QualityThresholds,
    settings: EstimatorSettings,
) -> Score:
    """Combine one segment's evidence into a ``Score`` (pure; no model needed)."""
    components: list[tuple[str, float]] = []
    parts: list[tuple[float, float]] = []
    if similarity is not None:
        sim_part = _scale(similarity, settings.sim_floor, settings.sim_ceil)
        components += [
            ("similarity", round(similarity, 4)),
            ("similarity_score", round(sim_part, 2)),
        ]
        parts.append((sim_part, 1.0 - settings.confidence_weight))
    if engine_score is not None:
        conf_part = _scale(engine_score, settings.logprob_floor, 0.0)
        components += [
            ("confidence", round(engine_score, 4)),
            ("confidence_score", round(conf_part, 2)),
        ]
        parts.append((conf_part, settings.confidence_weight))
    total_weight = sum(w for _, w in parts)
    base = sum(p * w for p, w in parts) / total_weight if total_weight else 100.0
    penalty = min(settings.max_penalty, sum(settings.penalty.get(i.severity, 0.0) for i in issues))
    value = round(min(100.0, max(0.0, base - penalty)), 2)
    components += [("base", round(base, 2)), ("penalty", round(penalty, 2))]
    return Score(value, status_for(value, issues, thresholds), tuple(components))


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
) -> list[Score]:
    """Score every (source, target) pair; ``issues`` default to ``run_checks`` findings."""
    if len(sources) != len(targets):
        raise ValueError(f"{len(sources)} sources but {len(targets)} targets")
    if issues is not None and len(issues) != len(sources):
        raise ValueError("issues must have one list per segment")
    if engine_scores is not None and len(engine_scores) != len(sources):
        raise ValueError("engine_scores must have one value per segment")
    settings = settings or EstimatorSettings()
    if issues is None:
        from transpipe.quality.checks import run_checks, run_document_checks

        doc = run_document_checks(targets, pair)
        issues = [run_checks(s, t, pair) + d for s, t, d in zip(sources, targets, doc, strict=True)]
    encoder = encoder or SentenceEncoder()
    similarities = [float(x) for x in encoder.similarity(list(sources), list(targets))]
    scores = []
    for i, (source, target) in enumerate(zip(sources, targets, strict=True)):
        similarity = similarities[i] if source.strip() and target.strip() else 0.0
        if not source.strip() and not target.strip():
            similarity = 1.0
        engine = engine_scores[i] if engine_scores is not None else None
        scores.append(
            combine(similarity, engine, issues[i], thresholds=thresholds, settings=settings)
        )
    return scores
