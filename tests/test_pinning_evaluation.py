"""The pinning test set file and the metrics the benchmark reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from transpipe.errors import FormatError, InputError
from transpipe.model import LanguagePair, Span, TermMatch, TermStatus
from transpipe.pinning.evaluation import PinningJudge, PinningScores, load_testset
from transpipe.terms import Glossary, load_glossary

EN_RU = LanguagePair("en", "ru")


@pytest.fixture(scope="module")
def glossary(repo_root: Path) -> Glossary:
    return load_glossary(repo_root / "corpora" / "pinning" / "glossary.tsv")


def match(concept_id: str) -> TermMatch:
    return TermMatch(concept_id, Span(0, 1), concept_id, "en", TermStatus.PREFERRED)


def test_repository_testset_covers_cases_numbers_and_directions(repo_root: Path) -> None:
    cases = load_testset(repo_root / "corpora" / "pinning" / "testset.tsv")
    assert {c.source_lang for c in cases} == {"en", "ru"}
    assert len(cases) >= 25
    notes = " ".join(c.note for c in cases)
    for case_name in (
        "nominative",
        "genitive",
        "dative",
        "instrumental",
        "prepositional",
        "accusative",
        "plural",
        "possessive",
    ):
        assert case_name in notes
    assert cases[0].pair == EN_RU


def test_testset_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text(
        "id\tsource_lang\tsource\texpected_output\tnote\n# c\na\ten\tHello.\tПривет.\n"
        "b\tde\tHallo.\tПривет.\n",
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match=r"t\.tsv:4: source_lang must be en or ru"):
        load_testset(path)
    path.write_text("id\tsource_lang\tsource\texpected_output\nx\ten\tonly\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r":2: a row needs"):
        load_testset(path)
    path.write_text("wrong\theader\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r":1: expected the header"):
        load_testset(path)
    with pytest.raises(InputError, match="not found"):
        load_testset(tmp_path / "missing.tsv")


def test_judge_counts_adherence_forms_and_leaks(glossary: Glossary) -> None:
    judge = PinningJudge(glossary, EN_RU)
    expected = "Президент встретился с Генеральным секретарём во вторник."
    exact = judge.score(expected, [match("sg")], expected)
    assert exact == PinningScores(1, 1, 1, 1, 1, 1, 0)
    other_form = judge.score(
        "Президент встретился с Генеральный секретарь.", [match("sg")], expected
    )
    assert (other_form.adherent, other_form.exact_forms, other_form.exact_sentences) == (1, 0, 0)
    leak = judge.score("Президент встретился с генсеком.", [match("sg")], expected)
    assert (leak.adherent, leak.leaks) == (0, 1)
    total = exact + other_form + leak
    assert total.adherence == pytest.approx(2 / 3)
    assert total.form_accuracy == pytest.approx(1 / 3)
    assert total.leaks == 1
