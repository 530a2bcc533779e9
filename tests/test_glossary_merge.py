"""``glossary merge`` (stable ids, conflict report) and ``glossary diff`` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.model import TermStatus
from transpipe.terms import load_glossary


def test_merging_two_imported_header_less_glossaries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "one.txt"
    two = tmp_path / "two.txt"
    one.write_text("Secretary General\tГенеральный секретарь\nsession\tсессия\n", "utf-8")
    # the same concept in another form, a new one, and "session" meaning something else
    two.write_text(
        "Secretaries General\tГенерального секретаря\nsummit\tсаммит\nsession\tзаседание\n",
        "utf-8",
    )
    imported = []
    for path in (one, two):
        tsv = path.with_suffix(".tsv")
        assert main(["glossary", "import", str(path), str(tsv)]) == 0
        imported.append(tsv)
    ids = [[c.id for c in load_glossary(p)] for p in imported]
    assert ids == [["secretary-general", "session"], ["secretaries-general", "summit", "session"]]
    merged = tmp_path / "merged.tsv"
    capsys.readouterr()
    assert (
        main(["glossary", "merge", str(imported[0]), str(imported[1]), "--out", str(merged)]) == 0
    )
    out = capsys.readouterr().out.splitlines()
    glossary = load_glossary(merged)
    assert [c.id for c in glossary] == ["secretary-general", "session", "summit"]
    # "Secretaries General" is a form of A's term: merged into it, nothing added
    sg = glossary.concept("secretary-general")
    assert [t.text for t in sg.terms] == ["Secretary General", "Генеральный секретарь"]
    # "session" / "заседание" shares the English term with A's "session": same concept, and
    # its second preferred translation is added as admitted, reported as a conflict
    session = glossary.concept("session")
    assert [(t.text, t.status) for t in session.terms_in("ru")] == [
        ("сессия", TermStatus.PREFERRED),
        ("заседание", TermStatus.ADMITTED),
    ]
    assert any(line.startswith("conflict\tsession\tru preferred 'сессия' in A") for line in out)
    assert (
        out[-1] == f"{merged}: 3 concepts (2 of B merged into A's, 1 added, 0 renamed), 1 conflicts"
    )
    # merging again does not replace the output without --force
    assert (
        main(["glossary", "merge", str(imported[0]), str(imported[1]), "--out", str(merged)]) == 1
    )


def test_merge_renames_a_clashing_id_of_another_concept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "a.tsv"
    second = tmp_path / "b.tsv"
    first.write_text("id\ten\tru\n1\tpeace\tмир\n", "utf-8")
    second.write_text("id\ten\tru\n1\tsteel\tсталь\n", "utf-8")
    merged = tmp_path / "m.tsv"
    assert main(["glossary", "merge", str(first), str(second), "--out", str(merged)]) == 0
    assert [c.id for c in load_glossary(merged)] == ["1", "1-2"]
    assert "conflict\t1-2\tB's '1' is another concept in A; renamed" in capsys.readouterr().out


def test_diff_lists_changes_and_exits_one(
    repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = repo_root / "glossary" / "csto.tsv"
    lines = old.read_text("utf-8").splitlines()
    new_lines = [
        line.replace("\tadmitted\t", "\tforbidden\t") if line.startswith("csc\tCSC\t") else line
        for line in lines
        if not line.startswith("presidency\t")
    ]
    new_lines.append("ceasefire\tceasefire\tперемирие\tnoun\tpreferred\t")
    new = tmp_path / "new.tsv"
    new.write_text("\n".join(new_lines) + "\n", "utf-8")
    assert main(["glossary", "diff", str(old), str(new), "--jsonl"]) == 1
    changes = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(c["kind"], c["concept"]) for c in changes] == [
        ("concept-removed", "presidency"),
        ("status", "csc"),
        ("status", "csc"),
        ("concept-added", "ceasefire"),
    ]
    assert changes[1]["detail"] == "en 'CSC': admitted -> forbidden"
    assert main(["glossary", "diff", str(old), str(old)]) == 0
    assert capsys.readouterr().out == ""
