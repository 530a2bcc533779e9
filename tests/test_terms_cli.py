"""``transpipe terms`` and ``transpipe glossary ...`` through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.errors import GlossaryError
from transpipe.terms import load_glossary

DATA = Path(__file__).parent / "data" / "terms"
SAMPLE = DATA / "sample.tsv"


def test_terms_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Саммит ОДКБ открылся.\n\nГенеральному секретарю вручили письмо. Генсек молчал.\n"
    source = tmp_path / "news.ru.txt"
    source.write_text(text, encoding="utf-8")
    # a forbidden variant ("Генсек") makes the exit status 1
    assert main(["terms", str(source), "--lang", "ru", "--glossary", str(SAMPLE), "--jsonl"]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["segment"], r["surface"], r["concept"], r["status"]) for r in records] == [
        ("news:p1:s1", "ОДКБ", "csto", "preferred"),
        ("news:p2:s1", "Генеральному секретарю", "sg", "preferred"),
        ("news:p2:s2", "Генсек", "sg", "forbidden"),
    ]
    second = records[1]
    assert second["preferred"] == {"en": "Secretary-General", "ru": "Генеральный секретарь"}
    assert (second["start"], second["end"]) == (0, 22)
    assert (second["line"], second["column"]) == (3, 1)
    assert text[second["doc_start"] : second["doc_end"]] == "Генеральному секретарю"


def test_terms_plain_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_text("The Press Secretary met WHO staff.", encoding="utf-8")
    assert main(["terms", str(source), "--lang", "en", "--glossary", str(SAMPLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[3:5] for line in lines] == [
        ["Press Secretary", "press"],
        ["WHO", "who"],
    ]


def test_terms_bad_glossary_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\ten\tru\tstatus\nx\ta\tб\tperhaps\n", encoding="utf-8")
    source = tmp_path / "a.txt"
    source.write_text("text", encoding="utf-8")
    assert main(["terms", str(source), "--lang", "en", "--glossary", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err.strip() == f"transpipe: error: {bad}:2: unknown status 'perhaps' "
        "(use preferred, admitted or forbidden)"
    )


def test_glossary_check_reports_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(
        "id\ten\tru\tpos\tstatus\tnote\n"
        "a\tpeace\tмир\tnoun\tpreferred\t\n"
        "b\tpeace\tспокойствие\tnoun\tpreferred\t\n"
        "c\tworld\tмир\tnoun\tpreferred\t\n"
        "c\t\tмира\tnoun\tforbidden\t\n"
        "d\tcouncil\t\tnoun\tpreferred\t\n",
        encoding="utf-8",
    )
    corpus = tmp_path / "c.txt"
    corpus.write_text("Борьба за мир и спокойствие.", encoding="utf-8")
    code = main(
        ["glossary", "check", str(path), "--corpus", str(corpus), "--lang", "ru", "--jsonl"]
    )
    assert code == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    checks = {(r["check"], r["concept"]) for r in records}
    assert ("missing-language", "d") in checks
    assert ("conflicting-translation", "a") in checks  # peace -> мир / спокойствие
    assert (
        "approved-and-forbidden",
        "a",
    ) in checks  # мир approved in a, c; its form forbidden in c
    assert ("unused-term", "a") not in checks  # "мир" occurs
    lines = {r["check"]: r["line"] for r in records}
    assert lines["missing-language"] == 6


def test_glossary_check_clean_glossary_exits_zero_with_a_summary(
    repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo_root / "glossary" / "csto.tsv"
    assert main(["glossary", "check", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: 92 concepts checked: no problems\n"


def test_glossary_check_reports_every_problem_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(
        "id\ten\tru\tstatus\n"
        "a\tpeace\tмир\tpreferred\n"
        "a\tpeace-time\tмирное время\tpreferred\n"  # line 3: second preferred row
        "b\tUN \tООН\tpreferred\n"  # line 4: edge space
        "c\tperhaps\tможет\tmaybe\n"  # line 5: unknown status (skipped, not fatal)
        "d\tWho\tкто\tpreferred\n"
        "e\tWHO\tВОЗ\tpreferred\n"  # line 7: differs from d only in case
        "f\ttoo\tmany\tcells\tx\n"  # line 8: too many fields
        "g\tcouncil\tсовет\tadmitted\n"
        "g\t\tсовет\tforbidden\n",  # line 10: forbidden equal to admitted
        encoding="utf-8",
    )
    assert main(["glossary", "check", str(path), "--jsonl"]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    found = [(r["severity"], r["check"], r["line"]) for r in records]
    assert found == [
        ("critical", "approved-and-forbidden", 9),
        ("major", "two-preferred", 3),  # en
        ("major", "two-preferred", 3),  # ru
        ("major", "unreadable-row", 5),
        ("major", "conflicting-translation", 6),  # Who / WHO compare equal as lemmas
        ("major", "unreadable-row", 8),
        ("minor", "edge-whitespace", 4),
        ("minor", "case-duplicate", 6),
    ]
    assert main(["glossary", "check", str(path)]) == 1
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == f"{path}: 5 concepts checked: 6 errors, 2 warnings, 0 notes"


def test_glossary_import_export_round_trip(tmp_path: Path) -> None:
    tbx = tmp_path / "g.tbx"
    csv_path = tmp_path / "g.csv"
    back = tmp_path / "g.tsv"
    assert main(["glossary", "export", str(SAMPLE), str(tbx), "--tbx-version", "3"]) == 0
    assert b"urn:iso:std:iso:30042:ed-2" in tbx.read_bytes()
    assert main(["glossary", "export", str(tbx), str(csv_path)]) == 0
    assert main(["glossary", "import", str(csv_path), str(back)]) == 0
    assert back.read_bytes() == SAMPLE.read_bytes()


def test_glossary_export_layouts_and_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o.txt"
    assert main(["glossary", "export", str(SAMPLE), str(out), "--layout", "omegat"]) == 0
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert (
        first == "Collective Security Treaty Organization\t"
        "Организация Договора о коллективной безопасности"
    )
    assert (
        main(["glossary", "export", str(SAMPLE), str(tmp_path / "x.txt"), "--layout", "deepl"]) == 1
    )
    assert main(["glossary", "import", str(SAMPLE), str(tmp_path / "x.tbx")]) == 1
    assert not (tmp_path / "x.tbx").exists()
    assert "error:" in capsys.readouterr().err


def test_failed_export_leaves_no_partial_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tbx"
    bad.write_text("<martif><text><body>", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["glossary", "export", str(bad), str(out)]) == 1
    assert list(tmp_path.iterdir()) == [bad]


def test_glossary_extract_from_parallel_files(tmp_path: Path) -> None:
    en_lines, ru_lines = [], []
    for city_en, city_ru, day_en, day_ru in (
        ("Minsk", "Минске", "Monday", "понедельник"),
        ("Astana", "Астане", "Tuesday", "вторник"),
        ("Moscow", "Москве", "Wednesday", "среду"),
        ("Bishkek", "Бишкеке", "Thursday", "четверг"),
        ("Dushanbe", "Душанбе", "Friday", "пятницу"),
    ):
        en_lines.append(f"The joint staff met in {city_en} on {day_en}.")
        ru_lines.append(f"Объединённый штаб собрался в {city_ru} в {day_ru}.")
    src, tgt = tmp_path / "a.en", tmp_path / "a.ru"
    src.write_text("\n".join(en_lines) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(ru_lines) + "\n", encoding="utf-8")
    out = tmp_path / "cand.tsv"
    argv = ["glossary", "extract", "--src", str(src), "--tgt", str(tgt)]
    argv += ["--from", "en", "--to", "ru", "--glossary", str(SAMPLE), "--out", str(out)]
    assert main(argv) == 0
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["id", "en", "ru", "pos", "status", "note"]
    pairs = {(r[1], r[2]) for r in rows[1:]}
    # no fragment ("joint" / "штаб"), no verb ("met"), nothing seen fewer than 3 times
    assert pairs == {("joint staff", "Объединённый штаб")}
    assert {r[4] for r in rows[1:]} == {"proposed"}
    assert all(r[5].startswith("mined: 5 sentence pairs") for r in rows[1:])
    # proposed terms are refused until a linguist reviews them
    with pytest.raises(GlossaryError, match=r"cand\.tsv:2: a proposed term nobody has reviewed"):
        load_glossary(out)
    # an existing output is not replaced without --force
    assert main(argv) == 1
    assert main([*argv, "--force"]) == 0


def test_extract_rejects_misaligned_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, tgt = tmp_path / "a.en", tmp_path / "a.ru"
    src.write_text("one\ntwo\n", encoding="utf-8")
    tgt.write_text("один\n", encoding="utf-8")
    assert (
        main(
            [
                "glossary",
                "extract",
                "--src",
                str(src),
                "--tgt",
                str(tgt),
                "--from",
                "en",
                "--to",
                "ru",
            ]
        )
        == 1
    )
    assert "not line-aligned" in capsys.readouterr().err


def test_glossary_mine_aligns_article_pairs_in_one_command(repo_root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for slug in ("japarov-meets-secretary-general", "secretary-general-visit-dushanbe"):
        for lang in ("en", "ru"):
            name = f"{slug}.{lang}.txt"
            (folder / name).write_bytes((repo_root / "corpora" / name).read_bytes())
    out = tmp_path / "proposed.tbx"
    argv = ["glossary", "mine", "--pairs", str(folder), "--from", "en", "--to", "ru"]
    assert main([*argv, "--min-freq", "2", "--out", str(out)]) == 0
    from lxml import etree

    root = etree.parse(str(out)).getroot()
    entries = root.findall(".//termEntry")
    pairs = {tuple(t.text for t in entry.iter("term")) for entry in entries}
    assert ("Sadyr Japarov", "Садыр Жапаров") in pairs  # the full name, not "Sadyr" / "Жапаров"
    assert ("Kyrgyz Republic", "Кыргызская Республика") in pairs  # a lemma, not "Кыргызской"
    assert not any(en == "Sadyr" or ru == "Жапаров" for en, ru in pairs)
    statuses = {n.text for n in root.iter("termNote") if n.get("type") == "processStatus"}
    assert statuses == {"provisionallyProcessed"}
    with pytest.raises(GlossaryError, match="nobody has reviewed"):
        load_glossary(out)
    # known terms (any form) are not proposed again
    known = tmp_path / "known.tsv"
    known.write_text("id\ten\tru\nkr\tKyrgyz Republic\tКыргызская Республика\n", "utf-8")
    again = tmp_path / "again.tsv"
    assert main([*argv, "--min-freq", "2", "--glossary", str(known), "--out", str(again)]) == 0
    rows = [line.split("\t") for line in again.read_text("utf-8").splitlines()[1:]]
    assert rows and not any("Kyrgyz" in r[1] or "Кыргызск" in r[2] for r in rows)


def test_import_and_export_never_replace_an_existing_file_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for action, out in (("import", tmp_path / "g.tsv"), ("export", tmp_path / "g.tbx")):
        out.write_text("a linguist's work\n", encoding="utf-8")
        assert main(["glossary", action, str(SAMPLE), str(out)]) == 1
        assert "already exists" in capsys.readouterr().err
        assert out.read_text(encoding="utf-8") == "a linguist's work\n"
        assert main(["glossary", action, str(SAMPLE), str(out), "--force"]) == 0
        assert load_glossary(out).concepts == load_glossary(SAMPLE).concepts
