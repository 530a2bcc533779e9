"""Tests for ``transpipe align``: outputs (listing, --jsonl, --out TMX/PO), --segmented, errors."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from lxml import etree

from transpipe.cli import main

# Our own two-paragraph article; the English version merges two sentences and adds one.
RU_TEXT = """Городской совет Новоозёрска утвердил бюджет на 2025 год.

Депутаты проголосовали за документ 14 марта. Расходы на транспорт вырастут на 12%. \
Мэр Ирина Воронцова назвала решение разумным компромиссом.

Новый мост через реку Светлую откроют в сентябре. Его строительство обошлось в 3,5 млрд рублей.
"""
EN_TEXT = """The Novoozyorsk city council has approved the budget for 2025.

Deputies voted for the document on March 14, and transport spending will grow by 12%. \
Mayor Irina Vorontsova called the decision a reasonable compromise.

The new bridge across the Svetlaya river will open in September. \
Its construction cost 3.5 billion roubles. Local residents have waited for it for ten years.
"""


@pytest.fixture
def article(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "budget.ru.txt"
    tgt = tmp_path / "budget.en.txt"
    src.write_text(RU_TEXT, encoding="utf-8")
    tgt.write_text(EN_TEXT, encoding="utf-8")
    return src, tgt


def _jsonl(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_jsonl_links(article: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    src, tgt = article
    assert main(["align", str(src), str(tgt), "--from", "ru", "--to", "en", "--jsonl"]) == 0
    records = _jsonl(capsys)
    assert all(set(r) == {"source", "target", "score"} for r in records)
    assert all(isinstance(r["score"], float) and 0.0 <= r["score"] <= 1.0 for r in records)
    links = [(r["source"], r["target"]) for r in records]
    assert links == [([0], [0]), ([1, 2], [1]), ([3], [2]), ([4], [3]), ([5], [4]), ([], [5])]


def test_listing_is_side_by_side(
    article: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    src, tgt = article
    assert main(["align", str(src), str(tgt), "--from", "ru", "--to", "en"]) == 0
    out = capsys.readouterr().out
    assert "#2 2-1" in out
    assert "  ru: Депутаты проголосовали за документ 14 марта. Расходы на транспорт" in out
    assert "#6 0-1" in out and "  ru: -" in out


def test_out_tmx_written_atomically(
    article: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, tgt = article
    out = tmp_path / "out" / "budget.tmx"
    assert main(["align", str(src), str(tgt), "--from", "ru", "--to", "en", "--out", str(out)]) == 0
    assert "5 units" in capsys.readouterr().out
    root = etree.parse(str(out), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    tus = root.findall("./body/tu")
    assert [tu.get("tuid") for tu in tus] == [
        "budget:p1:s1",
        "budget:p2:s1",
        "budget:p2:s3",
        "budget:p3:s1",
        "budget:p3:s2",
    ]
    props = {p.get("type"): p.text for p in tus[1].findall("prop")}
    assert props["x-align-type"] == "2-1"
    header = {p.get("type"): p.text for p in root.findall("./header/prop")}
    assert header["x-align-unaligned-target"] == "1"
    assert sorted(p.name for p in out.parent.iterdir()) == ["budget.tmx"]  # no temp files left


def test_out_po(article: tuple[Path, Path], tmp_path: Path) -> None:
    src, tgt = article
    out = tmp_path / "budget.po"
    assert main(["align", str(src), str(tgt), "--from", "ru", "--to", "en", "--out", str(out)]) == 0
    po = polib.pofile(str(out))
    entries = [e for e in po if e.msgid]
    assert len(entries) == 5
    assert entries[0].msgctxt == "budget:p1:s1"
    assert entries[1].msgid.endswith("вырастут на 12%.")
    assert entries[1].msgstr.startswith("Deputies voted")


def test_failed_run_keeps_existing_output(article: tuple[Path, Path], tmp_path: Path) -> None:
    src, _ = article
    out = tmp_path / "keep.tmx"
    out.write_text("previous", encoding="utf-8")
    missing = tmp_path / "missing.en.txt"
    code = main(["align", str(src), str(missing), "--from", "ru", "--to", "en", "--out", str(out)])
    assert code == 1
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "budget.en.txt",
        "budget.ru.txt",
        "keep.tmx",
    ]


def test_segmented_takes_lines_as_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.ru"
    tgt = tmp_path / "a.en"
    # line 2 holds two sentences and stays one segment; the target has no final newline
    src.write_text(
        "Мост откроют в сентябре.\nОн стоил 3,5 млрд рублей. Аудит назначен на май.\n"
        "Мэр Ирина Воронцова довольна.\n",
        encoding="utf-8",
    )
    tgt.write_text(
        "The bridge will open in September.\nIt cost 3.5 billion roubles.\n"
        "The audit is scheduled for May.\nMayor Irina Vorontsova is pleased.",
        encoding="utf-8",
    )
    args = ["align", str(src), str(tgt), "--from", "ru", "--to", "en", "--segmented", "--jsonl"]
    assert main(args) == 0
    links = [(r["source"], r["target"]) for r in _jsonl(capsys)]
    assert links == [([0], [0]), ([1], [1, 2]), ([2], [3])]


def test_missing_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.ru.txt"
    other = tmp_path / "x.en.txt"
    other.write_text("Hello.\n", encoding="utf-8")
    assert main(["align", str(missing), str(other), "--from", "ru", "--to", "en"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(missing) in err and "not found" in err


def test_empty_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.ru.txt"
    tgt = tmp_path / "a.en.txt"
    src.write_text("Привет.\n", encoding="utf-8")
    tgt.write_text(" \n\n", encoding="utf-8")
    assert main(["align", str(src), str(tgt), "--from", "ru", "--to", "en", "--jsonl"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(tgt) in captured.err and "empty" in captured.err


def test_unknown_output_format(article: tuple[Path, Path], tmp_path: Path) -> None:
    src, tgt = article
    out = tmp_path / "x.docx"
    assert main(["align", str(src), str(tgt), "--from", "ru", "--to", "en", "--out", str(out)]) == 1
    assert not out.exists()


def test_same_language_is_a_usage_error(article: tuple[Path, Path]) -> None:
    src, tgt = article
    with pytest.raises(SystemExit) as exc:
        main(["align", str(src), str(tgt), "--from", "ru", "--to", "ru"])
    assert exc.value.code == 2


def test_glossary_terms_as_anchors(
    article: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, tgt = article
    glossary = tmp_path / "city.tsv"
    glossary.write_text(
        "id\ten\tru\tpos\tstatus\tnote\n"
        "bridge\tbridge\tмост\tnoun\tpreferred\t\n"
        "council\tcity council\tгородской совет\tnoun\tpreferred\t\n",
        encoding="utf-8",
    )
    args = ["align", str(src), str(tgt), "--from", "ru", "--to", "en", "--jsonl"]
    assert main([*args, "--glossary", str(glossary)]) == 0
    links = [(r["source"], r["target"]) for r in _jsonl(capsys)]
    assert links[0] == ([0], [0]) and ([4], [3]) in links


def test_bad_glossary_is_a_clear_error(
    article: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, tgt = article
    missing = tmp_path / "none.tsv"
    args = ["align", str(src), str(tgt), "--from", "ru", "--to", "en", "--glossary", str(missing)]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and str(missing) in captured.err
