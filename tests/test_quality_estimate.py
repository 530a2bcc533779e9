"""Reference-free estimation: the learned model, engine confidence and findings make one score."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from transpipe.config import EstimatorSettings, QualityThresholds
from transpipe.embeddings import SentenceEncoder
from transpipe.errors import ModelError
from transpipe.model import Issue, LanguagePair, SegmentStatus, Severity
from transpipe.quality import estimate_quality
from transpipe.quality.estimate import combine
from transpipe.quality.qe_features import FEATURES
from transpipe.quality.qe_model import MODEL_PATH, load_model, model_from_json

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
    assert {"predicted_z", "learned", "similarity", "source_support", "target_support"} <= set(
        parts
    )
    assert 0.5 < parts["similarity"] <= 1.0


def test_ranking_follows_meaning_loss(encoder: SentenceEncoder) -> None:
    source = "Президент Казахстана провёл переговоры с канцлером Германии в Москве по энергетике."
    targets = [
        "The President of Kazakhstan held talks with the German Chancellor in Moscow on energy.",
        "The President of Kazakhstan held talks in Moscow.",
        "The President held talks.",
    ]
    full, shorter, shortest = estimate_quality([source] * 3, targets, RU_EN, encoder=encoder)
    assert full.value > shorter.value > shortest.value


def test_the_model_alone_ranks_an_omission_below_the_intact_translation(
    encoder: SentenceEncoder,
) -> None:
    source = (
        "Садыр Жапаров выразил уверенность, что он использует свой опыт для реализации целей и "
        "задач Организации в интересах укрепления региональной и международной безопасности."
    )
    intact = (
        "Sadyr Japarov expressed confidence that he would use his experience to implement the "
        "goals and objectives of the Organization for strengthening regional and international "
        "security."
    )
    omitted = "Sadyr Japarov expressed confidence that he would use his experience to implement "
    omitted += "the goals and international security."
    # no findings passed in: the learned prediction alone must see the loss
    full, cut = estimate_quality(
        [source] * 2, [intact, omitted], RU_EN, issues=[[], []], encoder=encoder
    )
    assert dict(cut.components)["predicted_z"] < dict(full.components)["predicted_z"]
    assert cut.value < full.value


def test_low_engine_confidence_costs_points(encoder: SentenceEncoder) -> None:
    src = ["Саммит пройдёт в Минске."] * 3
    tgt = ["The summit will take place in Minsk."] * 3
    none, sure, unsure = estimate_quality(
        src, tgt, RU_EN, engine_scores=[None, -0.2, -1.9], encoder=encoder, issues=[[], [], []]
    )
    assert dict(sure.components)["confidence"] == pytest.approx(-0.2)
    assert sure.value == none.value  # a confident engine changes nothing
    assert unsure.value == pytest.approx(none.value - 0.9 * 30, abs=0.02)


def test_combine_caps_by_findings() -> None:
    thresholds = QualityThresholds()
    settings = EstimatorSettings()
    clean = combine(95.0, None, [], thresholds=thresholds, settings=settings)
    assert clean.value == 95.0 and clean.status is SegmentStatus.GOOD
    major = combine(
        95.0,
        None,
        [Issue("numbers", Severity.MAJOR, "x")],
        thresholds=thresholds,
        settings=settings,
    )
    assert major.status is SegmentStatus.REVIEW and major.value < thresholds.good
    critical = combine(
        95.0,
        None,
        [Issue("empty", Severity.CRITICAL, "x")],
        thresholds=thresholds,
        settings=settings,
    )
    assert critical.status is SegmentStatus.BAD and critical.value < thresholds.review
    minor = combine(
        95.0,
        None,
        [Issue("typography", Severity.MINOR, "x")],
        thresholds=thresholds,
        settings=settings,
    )
    assert minor.status is SegmentStatus.GOOD and minor.value == 95.0


def test_mismatched_lengths_raise(encoder: SentenceEncoder) -> None:
    with pytest.raises(ValueError, match="2 sources but 1 targets"):
        estimate_quality(["a", "b"], ["a"], RU_EN, encoder=encoder)


def test_committed_model_records_its_data_and_command() -> None:
    model = load_model()
    info = model.info
    assert info["training_data"] == "human/wmt21.newstest2021.ru-en.da-seg.tsv"
    assert len(info["training_sha256"]) == 64 and info["training_rows"] > 8000
    assert info["command"].startswith("python scripts/train_qe.py")
    for name in ("ru-en", "en-ru"):
        calibration = model.calibration_for(LanguagePair(*name.split("-")))
        assert calibration.review < calibration.good
        references = info["calibration_references"][name]
        assert references["not_good"] <= 0.05
        assert len(references["sha256"]) == 64 and len(references["source_sha256"]) == 64
    assert set(model.detectors) == {
        f"{kind} {pair}" for kind in ("omission", "addition") for pair in ("ru-en", "en-ru")
    }
    rows = np.zeros((2, len(FEATURES)))
    assert model.predict(rows).shape == (2,)


def test_a_model_for_other_features_is_refused() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["features"] = [*data["features"][:-1], "something_else"]
    with pytest.raises(ModelError, match="trained on other features"):
        model_from_json(data, "qe-model.json")


@pytest.mark.slow
def test_training_script_writes_a_loadable_model(
    tmp_path: Path, repo_root: Path, shared_dir: Path
) -> None:
    out = tmp_path / "model.json"
    result = subprocess.run(
        [
            sys.executable,
            str(repo_root / "scripts" / "train_qe.py"),
            "--limit",
            "120",
            "--epochs",
            "50",
            "--cache",
            str(tmp_path / "cache"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    model = model_from_json(data)
    assert data["info"]["training_rows"] == 120
    assert data["info"]["command"].endswith("--out " + str(out))
    assert set(model.calibration) == {"ru-en", "en-ru"}
    assert (tmp_path / "cache" / "coverage.jsonl").is_file()
