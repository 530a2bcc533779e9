"""Input language check (issue 12, item 8): text in the wrong language is refused.

The defect first: a Russian article translated with ``--from en`` wrote ``*.ru.ru.txt`` and
exited 0. Now every command that is told a text's language (translate, its references, align,
segment, terms) refuses a text whose script says otherwise, in one line naming the file, and
``--skip-language-check`` reads it anyway. The verdict comes from
:func:`transpipe.lang.script.detect_language`; the cases below pin its behaviour on the inputs
that matter here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.errors import InputError
from transpipe.inputs import check_language, read_text
from transpipe.lang.script import detect_language

REPO = Path(__file__).resolve().parents[1]
RU_ARTICLE = REPO / "corpora" / "press-briefing.ru.txt"
EN_ARTICLE = REPO / "corpora" / "press-briefing.en.txt"
GLOSSARY = REPO / "glossary" / "csto.tsv"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Стороны обсудили вопросы региональной безопасности.", "ru"),
        ("The sides discussed regional security.", "en"),
        # names and acronyms in the other script do not outvote the running text
        ("Президент Apple Тим Кук и NASA провели встречу в Москве.", "ru"),
        ("Secretary General Тасмагамбетов met the President of ОДКБ in Москва today.", "en"),
        ("COVID-19 ОДКБ NATO", None),  # acronyms only: 4 letters each way, no verdict
        ("Встреча ОДКБ и NATO", "ru"),  # too few lower-case letters: capitalised words decide
        ("OK", None),  # too few letters
        ("", None),
        ("12 345 — 2024", None),
        ("https://www.odkb-csto.org/ info@odkb.ru говорит", "ru"),  # links never count
        ("Half English text и половина русского текста here now", None),  # too mixed
    ],
)
def test_text_language(text: str, expected: str | None) -> None:
    assert detect_language(text).lang == expected


def test_articles_of_the_corpus_are_recognised() -> None:
    for path in sorted((REPO / "corpora").glob("*.txt")):
        lang = path.name.split(".")[-2]
        assert detect_language(read_text(path)).lang == lang, path.name


def test_check_needs_enough_letters_to_refuse(tmp_path: Path) -> None:
    check_language("Москва", "en", tmp_path / "caption.txt")  # a name is no evidence
    check_language("", "ru", tmp_path / "empty.txt")
    with pytest.raises(InputError) as caught:
        check_language("Стороны обсудили вопросы безопасности.", "en", tmp_path / "a.txt")
    assert str(caught.value) == (
        f"{tmp_path / 'a.txt'}: the text is in Russian (Cyrillic script), but English was given "
        "for it (check the file and the language options, or pass --skip-language-check)"
    )
    check_language("Стороны обсудили вопросы безопасности.", "ru-RU", tmp_path / "a.txt")


def _one_line(err: str, path: Path) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"transpipe: error: {path}: the text is in ")
    assert "Traceback" not in err


def test_translate_refuses_a_russian_article_given_as_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["translate", str(RU_ARTICLE), "--from", "en", "--to", "ru", "--engine", "identity"]
    assert main([*argv, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    _one_line(err, RU_ARTICLE)
    assert "Russian (Cyrillic script), but English was given" in err
    assert not out.exists()  # no press-briefing.ru.ru.txt, nothing at all
    # the override reads it as told (the old behaviour, now on purpose)
    assert main([*argv, "--out", str(out), "--skip-language-check"]) == 0
    assert (out / "press-briefing.ru.ru.txt").is_file()


def test_translate_refuses_a_reference_in_the_source_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["translate", str(EN_ARTICLE), "--from", "en", "--to", "ru", "--engine", "reference"]
    assert main([*argv, "--reference", str(EN_ARTICLE), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    _one_line(err, EN_ARTICLE)
    assert "English (Latin script), but Russian was given" in err
    assert not (tmp_path / "o").exists()


def test_align_refuses_swapped_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pairs.tmx"
    argv = ["align", str(EN_ARTICLE), str(RU_ARTICLE), "--from", "ru", "--to", "en"]
    assert main([*argv, "--out", str(out)]) == 1
    _one_line(capsys.readouterr().err, EN_ARTICLE)
    assert not out.exists()
    assert main([*argv, "--out", str(out), "--skip-language-check"]) == 0
    assert out.is_file()


@pytest.mark.parametrize(
    "argv",
    [
        ["segment", str(RU_ARTICLE), "--lang", "en"],
        ["terms", str(RU_ARTICLE), "--lang", "en", "--glossary", str(GLOSSARY)],
    ],
    ids=["segment", "terms"],
)
def test_segment_and_terms_refuse_the_wrong_language(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    captured = capsys.readouterr()
    _one_line(captured.err, RU_ARTICLE)
    assert captured.out == ""
    assert main([*argv, "--skip-language-check"]) == 0  # it runs as told
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("command", ["segment", "terms"])
def test_the_right_language_passes(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [command, str(RU_ARTICLE), "--lang", "ru"]
    if command == "terms":
        argv += ["--glossary", str(GLOSSARY)]
    assert main(argv) == 0
    assert capsys.readouterr().err == ""
