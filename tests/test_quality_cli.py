"""``transpipe score`` and ``transpipe qe`` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transpipe.cli import main

SOURCES = "Саммит ОДКБ пройдёт 10 марта в Минске.\nМинистры обсудили безопасность.\n"
HYPS = "The CSTO summit will be held on March 11 in Minsk.\nМинистры обсудили безопасность.\n"
REFS = "The CSTO summit will take place in Minsk on 10 March.\nThe ministers discussed security.\n"


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in {"src": SOURCES, "hyp": HYPS, "ref": REFS}.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def test_qe_jsonl_one_object_per_line(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "qe",
            "--src",
            str(files["src"]),
            "--hyp",
            str(files["hyp"]),
            "--from",
            "ru",
            "--to",
            "en",
            "--jsonl",
        ]
    )
    assert code == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["line"] for r in records] == [1, 2]
    first, second = records
    assert 0 <= first["score"] <= 100 and first["status"] in {"good", "review", "bad"}
    assert any(i["check"] == "numbers" and i["severity"] == "major" for i in first["issues"])
    assert {"check", "severity", "message", "side", "start", "end"} <= set(first["issues"][0])
    assert second["status"] == "bad"
    assert second["issues"][0]["check"] == "untranslated"


def test_qe_with_glossary(
    files: dict[str, Path], repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    glossary = repo_root / "glossary" / "csto.tsv"
    if not glossary.exists():
        pytest.skip("glossary/csto.tsv not in this checkout")
    files["hyp"].write_text(
        "The Collective Security Treaty Organisation summit is held on 10 March in Minsk.\n"
        "The ministers discussed security.\n",
        encoding="utf-8",
    )
    args = [
        "qe",
        "--src",
        str(files["src"]),
        "--hyp",
        str(files["hyp"]),
        "--from",
        "ru",
        "--to",
        "en",
    ]
    assert main([*args, "--jsonl", "--glossary", str(glossary)]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert not [i for i in first["issues"] if i["severity"] in ("major", "critical")]


def test_qe_line_count_mismatch_is_one_clear_error(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    files["hyp"].write_text("only one line\n", encoding="utf-8")
    code = main(
        ["qe", "--src", str(files["src"]), "--hyp", str(files["hyp"]), "--from", "ru", "--to", "en"]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "hyp.txt: has 1 lines but" in captured.err and "src.txt has 2" in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_score_plain_and_json(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--hyp", str(files["hyp"]), "--ref", str(files["ref"])]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("bleu") and "nrefs:1|" in out and "chrf++" in out
    args = [
        "score",
        "--hyp",
        str(files["hyp"]),
        "--ref",
        str(files["ref"]),
        "--ref",
        str(files["ref"]),
    ]
    assert main([*args, "--src", str(files["src"]), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 3
    assert {"bleu", "chrf", "chrf++", "ter", "score", "status", "issues"} <= set(lines[0])
    assert lines[1]["status"] == "bad"
    assert lines[2]["references"] == 2 and "nrefs:2" in lines[2]["corpus"]["bleu"]["signature"]


def test_score_missing_file(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["score", "--hyp", str(files["hyp"]), "--ref", str(files["ref"].with_name("nope.txt"))]
    )
    assert code == 1
    assert "nope.txt: file not found" in capsys.readouterr().err
