"""``transpipe glossary audit``: forbidden variants in every form, unrendered concepts in
bilingual files and the translation memory, rendering distribution, exit codes, HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.formats.po import write_po
from transpipe.formats.tmx import write_tmx
from transpipe.formats.xliff import write_xliff
from transpipe.lang import morphology
from transpipe.model import Bitext, LanguagePair, Unit

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "glossary" / "csto.tsv"
CORPORA = REPO / "corpora"
EN_RU = LanguagePair("en", "ru")


def lexeme(word: str) -> list[str]:
    """Every case and number form of a Russian noun, from the morphology dictionary."""
    morph = morphology.analyzer()
    forms = sorted({form.word for form in morph.lexeme(morph.parse(word)[0])})
    return [f[:1].upper() + f[1:] if word[:1].isupper() else f for f in forms]


def audit_jsonl(
    capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, list[dict[str, object]]]:
    code = main(["glossary", "audit", *argv, "--glossary", str(GLOSSARY), "--jsonl"])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_sample_corpora_are_clean_and_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["glossary", "audit", str(CORPORA), "--glossary", str(GLOSSARY)])
    out = capsys.readouterr().out
    assert code == 0
    assert "26 files, " in out and ": 0 violations" in out
    # the distribution of renderings: CIS mostly abbreviated, in several inflected forms
    cis = next(line for line in out.splitlines() if line.startswith("renderings\tcis\tru\t"))
    assert "СНГ [admitted] 9" in cis
    assert "Содружество Независимых Государств [preferred] 1" in cis


def test_every_form_of_planted_forbidden_variants_is_found_on_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    planted: list[tuple[int, int, str, str]] = []  # line, column, surface, concept
    lines: list[str] = []
    original = (CORPORA / "csc-session-minsk.ru.txt").read_text("utf-8").rstrip("\n").split("\n")
    lines.extend(original)
    for word, concept in (
        ("генсек", "secretary-general"),
        ("Киргизия", "kyrgyz-republic"),
        ("Белоруссия", "republic-of-belarus"),
    ):
        for form in lexeme(word):
            lines.append("")
            prefix = "Об этом сообщил источник, упомянув "
            lines.append(f"{prefix}{form} в пятницу.")
            planted.append((len(lines), len(prefix) + 1, form, concept))
    last = "Заседание Совбеза ООН и учения, где «миротворческих войск» не было."
    lines += ["", last]
    planted.append((len(lines), last.index("Совбеза") + 1, "Совбеза ООН", "unsc"))
    planted.append(
        (len(lines), last.index("миро") + 1, "миротворческих войск", "peacekeeping-forces")
    )
    article = tmp_path / "planted.ru.txt"
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, records = audit_jsonl(capsys, str(article))
    assert code == 1
    found = [(r["line"], r["column"], r["surface"], r["concept"]) for r in records]
    assert found == planted
    assert len(planted) >= 10 + 4 + 4 + 2  # 10 forms of генсек, 4 of each country
    assert {r["kind"] for r in records} == {"forbidden"}
    first = records[0]
    assert first["file"] == str(article)
    assert str(first["segment"]).startswith("planted:p")  # ids as translate makes them
    assert "[" + str(first["surface"]) + "]" in str(first["context"])


def test_english_forbidden_variants_in_a_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "published"
    folder.mkdir()
    (folder / "a.en.txt").write_text(
        "Headline\n\nThe General Secretary met officials of Kirghizia.\n", encoding="utf-8"
    )
    (folder / "b.en.txt").write_text("Nothing to report.\n", encoding="utf-8")
    code = main(["glossary", "audit", str(folder), "--glossary", str(GLOSSARY)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    where = [line.split("\t")[:3] for line in lines[:2]]
    assert where == [
        [f"{folder / 'a.en.txt'}:3:5", "forbidden", "secretary-general"],
        [f"{folder / 'a.en.txt'}:3:40", "forbidden", "kyrgyz-republic"],
    ]
    assert lines[2] == "2 files, 3 segments: 2 violations"


def _bitext() -> Bitext:
    return Bitext(
        "news",
        EN_RU,
        (
            Unit("news:p1:s1", "The Secretary General arrived.", "Генеральный секретарь прибыл."),
            Unit("news:p1:s2", "The Secretary General spoke.", "Генсек выступил."),
            Unit("news:p2:s1", "The CSTO Secretary General left.", "Глава организации уехал."),
        ),
        created="2026-05-09T10:00:00Z",
    )


@pytest.mark.parametrize(
    "suffix,writer", [(".tmx", write_tmx), (".po", write_po), (".xlf", write_xliff)]
)
def test_bilingual_files_forbidden_and_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, writer: object
) -> None:
    path = tmp_path / f"news{suffix}"
    with path.open("wb") as stream:
        writer(_bitext(), stream)  # type: ignore[operator]
    code, records = audit_jsonl(capsys, str(path))
    assert code == 1
    summary = [(r["kind"], r["segment"], r["concept"], r["surface"]) for r in records]
    assert ("forbidden", "news:p1:s2", "secretary-general", "Генсек") in summary
    assert ("missing", "news:p1:s2", "secretary-general", "") in summary
    assert ("missing", "news:p2:s1", "secretary-general", "") in summary
    assert not any(r["segment"] == "news:p1:s1" for r in records)
    lines = path.read_text("utf-8").splitlines()
    forbidden = next(r for r in records if r["kind"] == "forbidden")
    line, column = int(str(forbidden["line"])), int(str(forbidden["column"]))
    assert lines[line - 1][column - 1 :].startswith("Генсек")


def test_translation_memory_and_rendering_distribution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from transpipe.tm.store import TranslationMemory

    db = tmp_path / "tm.db"
    with TranslationMemory(db) as memory:
        memory.add(_bitext().units, EN_RU, "news.po")
    code = main(["glossary", "audit", "--tm", str(db), "--glossary", str(GLOSSARY)])
    out = capsys.readouterr().out
    assert code == 1
    assert "1 files, 3 segments: 4 violations" in out
    assert f"{db}\tmissing\tcsto\tnews:p2:s1\t-\texpected: ОДКБ\t" in out  # CSTO -> ОДКБ
    sg = next(
        line for line in out.splitlines() if line.startswith("renderings\tsecretary-general\tru")
    )
    # one preferred rendering, one forbidden one, one with no glossary form at all
    assert "Генеральный секретарь [preferred] 1" in sg
    assert "генсек [forbidden] 1 (Генсек 1)" in sg
    assert "no glossary form 1" in sg


def test_html_groups_by_concept_and_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "x.en.txt"
    article.write_text("<script>alert(1)</script> The General Secretary spoke.\n", "utf-8")
    page = tmp_path / "audit.html"
    code = main(
        ["glossary", "audit", str(article), "--glossary", str(GLOSSARY), "--html", str(page)]
    )
    assert code == 1
    html = page.read_text("utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<h2 id="secretary-general">' in html and "General Secretary" in html
    capsys.readouterr()
    # an existing report is not replaced without --force
    assert (
        main(["glossary", "audit", str(article), "--glossary", str(GLOSSARY), "--html", str(page)])
        == 1
    )
    assert "--force" in capsys.readouterr().err


def test_terms_command_exits_one_on_forbidden_and_gives_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "brief.ru.txt"
    article.write_text("Заголовок\n\nГенсек ОДКБ прибыл в Киргизию.\n", encoding="utf-8")
    code = main(["terms", str(article), "--lang", "ru", "--glossary", str(GLOSSARY), "--jsonl"])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    forbidden = [r for r in records if r["status"] == "forbidden"]
    assert [(r["segment"], r["line"], r["column"], r["surface"]) for r in forbidden] == [
        ("brief:p2:s1", 3, 1, "Генсек"),
        ("brief:p2:s1", 3, 22, "Киргизию"),
    ]
    assert all("context" in r for r in records)


def test_audit_missing_path_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "audit", "/nonexistent/x.txt", "--glossary", str(GLOSSARY)]) == 1
    assert "file not found" in capsys.readouterr().err
