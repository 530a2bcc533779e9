"""The shipped ``reference`` engine: human translations in, under the full engine contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.config import DecodingOptions
from transpipe.engines import Engine
from transpipe.engines.reference import ReferenceEngine, pair_references
from transpipe.errors import EngineError, InputError
from transpipe.formats.po import read_po
from transpipe.formats.review import readiness
from transpipe.model import LanguagePair, TermOutcome
from transpipe.segment import segment_text

REPO = Path(__file__).resolve().parents[1]
EN_RU = LanguagePair("en", "ru")
SOURCE = "Leaders met in Minsk. They signed a treaty.\n\nGo back\n"
REFERENCE = "Лидеры встретились в Минске. Они подписали договор.\n\nНазад\n"


def _engine() -> ReferenceEngine:
    pairs = pair_references(
        segment_text(SOURCE, "en", name="note"), segment_text(REFERENCE, "ru", name="note")
    )
    return ReferenceEngine(pairs, DecodingOptions(), label="note.ru.txt")


def test_returns_the_reference_of_each_segment_in_order() -> None:
    engine = _engine()
    assert isinstance(engine, Engine)
    out = engine.translate(["They signed a treaty.", "", "Leaders  met in Minsk."], EN_RU)
    assert [h.text for h in out] == ["Они подписали договор.", "", "Лидеры встретились в Минске."]
    assert out[1].pieces == 0 and out[0].score is None
    assert engine.info.name == "reference" and engine.info.model_id == "note.ru.txt"


def test_prefix_and_score() -> None:
    engine = _engine()
    kept, forced = engine.translate(
        ["Leaders met in Minsk.", "Leaders met in Minsk."],
        EN_RU,
        prefixes=["Лидеры", "Главы государств"],
    )
    assert kept.text == "Лидеры встретились в Минске."
    # the forced words stand for as many reference words; the reference carries on after them
    assert forced.text == "Главы государств в Минске."
    same, other = engine.score(
        ["Leaders met in Minsk."] * 2,
        ["Лидеры встретились в Минске.", "Совсем другой текст."],
        EN_RU,
    )
    assert same == 0.0 and other < -0.3


def test_text_without_a_reference_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="no reference translation for 'Unknown"):
        _engine().translate(["Unknown sentence."], EN_RU)


def test_counts_that_do_not_line_up_are_refused() -> None:
    source = segment_text(SOURCE, "en", name="note")
    one = segment_text("Один абзац.\n", "ru")
    wanted = r"^ref\.ru\.txt: has 1 paragraphs, the source 'note' has 2"
    with pytest.raises(InputError, match=wanted):
        pair_references(source, one, reference_path="ref.ru.txt")
    merged = segment_text("Лидеры встретились в Минске и подписали договор.\n\nНазад\n", "ru")
    with pytest.raises(InputError, match="paragraph 1 has 1 sentences, the source 'note' has 2"):
        pair_references(source, merged, reference_path="ref.ru.txt")


def _translate(tmp_path: Path, *extra: str) -> int:
    article = REPO / "corpora" / "csc-session-minsk.en.txt"
    reference = REPO / "corpora" / "csc-session-minsk.ru.txt"
    return main(
        [
            "translate",
            str(article),
            "--from",
            "en",
            "--to",
            "ru",
            "--engine",
            "reference",
            "--reference",
            str(reference),
            "--out",
            str(tmp_path),
            *extra,
        ]
    )


def test_cli_runs_checks_and_quality_on_human_translations(tmp_path: Path) -> None:
    assert _translate(tmp_path, "--no-pin") == 0
    reference = segment_text(
        (REPO / "corpora" / "csc-session-minsk.ru.txt").read_text(encoding="utf-8"), "ru"
    )
    report = json.loads((tmp_path / "csc-session-minsk.report.json").read_text(encoding="utf-8"))
    assert [s["target"] for s in report["segments"]] == [s.text for s in reference.segments]
    assert report["props"]["x-engine"] == "reference"
    assert report["props"]["x-model"] == "csc-session-minsk.ru.txt"
    assert report["summary"]["metrics"]["corpus"]["chrf"]["score"] == pytest.approx(100.0)
    assert all(s["status"] in ("good", "review", "bad") for s in report["segments"])


def test_cli_pins_terms_in_human_translations(tmp_path: Path) -> None:
    """A human translation that honours the glossary is left alone and nothing is failed:
    after "CSTO" the full name is not expected abbreviated, "И.Н. Тасмагамбетов" honours
    "Imangali Tasmagambetov" (issue 12 item 6; issue 13)."""
    glossary = REPO / "glossary" / "csto.tsv"
    assert _translate(tmp_path, "--glossary", str(glossary)) == 0
    reference = segment_text(
        (REPO / "corpora" / "csc-session-minsk.ru.txt").read_text(encoding="utf-8"), "ru"
    )
    report = json.loads((tmp_path / "csc-session-minsk.report.json").read_text(encoding="utf-8"))
    assert report["run"]["term_pinning"] is True
    outcomes = {a["outcome"] for s in report["segments"] for a in s["term_audit"]}
    assert outcomes == {TermOutcome.HONOURED.value}
    assert [s["target"] for s in report["segments"]] == [s.text for s in reference.segments]
    by_id = {s["id"]: s for s in report["segments"]}
    for segment_id in ("csc-session-minsk:p5:s1", "csc-session-minsk:p3:s3"):
        checks = {issue["check"] for issue in by_id[segment_id]["issues"]}
        assert not checks & {"glossary", "forbidden_terms"}, by_id[segment_id]["issues"]
    po = read_po(tmp_path / "csc-session-minsk.po")
    assert readiness(po.units).term_failures == 0


def test_cli_refuses_a_reference_that_does_not_line_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "note.en.txt"
    article.write_text(SOURCE, encoding="utf-8")
    reference = tmp_path / "note.ru.txt"
    reference.write_text("Лидеры встретились в Минске и подписали договор.\n\nНазад\n", "utf-8")
    out = tmp_path / "out"
    argv = ["translate", str(article), "--from", "en", "--to", "ru", "--engine", "reference"]
    assert main([*argv, "--reference", str(reference), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "note.ru.txt: paragraph 1 has 1 sentences" in err[0]
    assert not out.exists()
    assert main([*argv, "--out", str(out)]) == 1
    assert "--reference FILE" in capsys.readouterr().err
