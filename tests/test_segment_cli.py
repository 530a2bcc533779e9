"""``transpipe segment``: plain and JSON-lines output, SRX rules, and user errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.segment import load_rules
from transpipe.segment.srx import export_srx

TEXT = (
    "Итоги саммита\r\n\r\n"
    "Лидеры подписали декларацию, т.е. общий документ. «Это успех!» – сказал И.Н.\r\n"
    "Петров.\r\n\r\nНазад\r\n"
)
SENTENCES = [
    "Итоги саммита",
    "Лидеры подписали декларацию, т.е. общий документ.",
    "«Это успех!» – сказал И.Н. Петров.",
    "Назад",
]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.ru.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    return path


def test_plain_output_one_sentence_per_line(
    article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["segment", str(article), "--lang", "ru"]) == 0
    assert capsys.readouterr().out.splitlines() == SENTENCES


def test_jsonl_output_offsets_into_normalised_text(
    article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["segment", str(article), "--lang", "ru", "--jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    normalised = TEXT.replace("\r\n", "\n")
    assert [(r["paragraph"], r["index"]) for r in records] == [(1, 1), (2, 1), (2, 2), (3, 1)]
    assert [r["kind"] for r in records] == ["headline", "sentence", "sentence", "boilerplate"]
    for record in records:
        assert set(record) == {"paragraph", "index", "start", "end", "text", "kind"}
        assert normalised[record["start"] : record["end"]] == record["text"]
    assert records[2]["text"] == "«Это успех!» – сказал И.Н.\nПетров."


def test_srx_option_uses_the_srx_rules(
    article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    srx = tmp_path / "rules.srx"
    srx.write_bytes(export_srx([load_rules("ru")]))
    assert main(["segment", str(article), "--lang", "ru", "--srx", str(srx)]) == 0
    assert capsys.readouterr().out.splitlines() == SENTENCES
    naive = tmp_path / "naive.srx"
    naive.write_text(
        '<srx xmlns="http://www.lisa.org/srx20" version="2.0"><body><languagerules>'
        '<languagerule languagerulename="N"><rule break="yes"><beforebreak>\\.</beforebreak>'
        "<afterbreak>\\s</afterbreak></rule></languagerule></languagerules><maprules>"
        '<languagemap languagepattern=".*" languagerulename="N"/></maprules></body></srx>',
        encoding="utf-8",
    )
    assert main(["segment", str(article), "--lang", "ru", "--srx", str(naive)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "Лидеры подписали декларацию, т.е." in out  # the naive rules cut after "т.е."


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "missing.txt: file not found"),
        (lambda d: d, "is a directory"),
    ],
    ids=["missing-file", "directory"],
)
def test_user_errors_are_one_line_exit_1(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], Path],
    message: str,
) -> None:
    target = make(tmp_path)
    assert main(["segment", str(target), "--lang", "en"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_invalid_utf8_and_bad_srx_are_user_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = tmp_path / "cp1251.txt"
    legacy.write_bytes("Привет, мир. Это тест.".encode("cp1251"))
    assert main(["segment", str(legacy), "--lang", "ru"]) == 1
    assert "cp1251" in capsys.readouterr().err
    good = tmp_path / "good.txt"
    good.write_text("One. Two.", encoding="utf-8")
    bad_srx = tmp_path / "bad.srx"
    bad_srx.write_text("<srx><body>", encoding="utf-8")
    assert main(["segment", str(good), "--lang", "en", "--srx", str(bad_srx)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "bad.srx" in captured.err and "not well-formed XML" in captured.err


def test_unsupported_language_is_a_usage_error(
    article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["segment", str(article), "--lang", "de"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_help_documents_the_jsonl_fields(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["segment", "--help"])
    out = capsys.readouterr().out
    assert "1-based" in out and "0-based" in out and "CRLF" in out


def test_module_entry_point_subprocess(article: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "transpipe", "segment", str(article), "--lang", "ru", "--jsonl"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode("utf-8").splitlines()
    assert [json.loads(line)["text"].replace("\n", " ") for line in lines] == SENTENCES


def test_missing_lang_is_a_usage_error(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["segment", str(article)])
    assert info.value.code == 2
    assert "--lang are required" in capsys.readouterr().err


def test_export_srx_writes_rules_another_tool_can_read(
    tmp_path: Path, article: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "transpipe.srx"
    assert main(["segment", "--export-srx", str(out)]) == 0
    assert out.read_bytes().startswith(b"<?xml")
    assert b'languagerulename="Russian"' in out.read_bytes()
    assert b'languagerulename="English"' in out.read_bytes()
    assert main(["segment", str(article), "--lang", "ru", "--srx", str(out)]) == 0
    assert capsys.readouterr().out.splitlines() == SENTENCES
    only_en = tmp_path / "en.srx"
    assert main(["segment", "--export-srx", str(only_en), "--lang", "en"]) == 0
    assert b"Russian" not in only_en.read_bytes()
