"""Reference-free estimation: similarity, engine confidence and findings make one score."""

from __future__ import annotations

import pytest

from transpipe.config import QualityThresholds
from transpipe.embeddings import SentenceEncoder
from transpipe.model import Issue, LanguagePair, SegmentStatus, Severity
from transpipe.quality import estimate_quality
from transpipe.quality.estimate import EstimatorSettings, combine

RU_EN = LanguagePair("ru", "en")


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


def test_good_translation_scores_above_wrong_one(encoder: SentenceEncoder) -> None:
    sources = ["Министры иностранных дел обсудили ситуацию на границе."] * 3
    targets = [
        "The foreign ministers discussed the situation on the border.",
        "The weather in the mountains was sunny and warm yesterday.",
        "Министры иностранных дел обсудили ситуацию на границе.",
    ]
    good, wrong, copied = estimate_quality(sources, targets, RU_EN, encoder=encoder)
    assert good.status is SegmentStatus.GOOD and good.value >= 70
    assert wrong.value < good.value - 30
    assert wrong.status is not SegmentStatus.GOOD
    assert copied.status is SegmentStatus.BAD  # untranslated is CRITICAL
    parts = dict(good.components)
    assert {"similarity", "similarity_score", "base", "penalty"} <= set(parts)
    assert 0.5 < parts["similarity"] <= 1.0


def test_engine_confidence_is_combined_when_given(encoder: SentenceEncoder) -> None:
    src = ["Саммит пройдёт в Минске."] * 2
    tgt = ["The summit will take place in Minsk."] * 2
    sure, unsure = estimate_quality(
        src, tgt, RU_EN, engine_scores=[-0.1, -1.9], encoder=encoder, issues=[[], []]
    )
    assert dict(sure.components)["confidence"] == pytest.approx(-0.1)
    assert sure.value > unsure.value


def test_combine_applies_penalties_and_status_rules() -> None:
    thresholds = QualityThresholds()
    settings = EstimatorSettings()
    clean = combine(0.9, None, [], thresholds=thresholds, settings=settings)
    assert clean.value == 100.0 and clean.status is SegmentStatus.GOOD
    major = combine(
        0.9, None, [Issue("numbers", Severity.MAJOR, "x")], thresholds=thresholds, settings=settings
    )
    assert major.status is SegmentStatus.REVIEW and major.value < clean.value
    critical = combine(
        0.9,
        None,
        [Issue("empty", Severity.CRITICAL, "x")],
        thresholds=thresholds,
        settings=settings,
    )
    assert critical.status is SegmentStatus.BAD
    low = combine(0.1, None, [], thresholds=thresholds, settings=settings)
    assert low.value == 0.0 and low.status is SegmentStatus.BAD


def test_mismatched_lengths_raise(encoder: SentenceEncoder) -> None:
    with pytest.raises(ValueError, match="2 sources but 1 targets"):
        estimate_quality(["a", "b"], ["a"], RU_EN, encoder=encoder)
