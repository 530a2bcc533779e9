"""XLIFF 1.2 / 2.1 specifics: states, notes, ids, foreign files, inline codes."""

# ruff: noqa: E501  (inline XML/PO fixtures read best unbroken)

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

from transpipe.errors import ConfigError, FormatError
from transpipe.formats.xliff import NS12, NS20, read_xliff, write_xliff
from transpipe.model import Bitext, Issue, LanguagePair, Score, SegmentStatus, Severity, Unit

PAIR = LanguagePair("en", "ru")


def doc() -> Bitext:
    return Bitext(
        "news",
        PAIR,
        (
            Unit("n:p1:s1", "Good.", "Хорошо.", score=Score(92.0, SegmentStatus.GOOD)),
            Unit(
                "n:p1:s2",
                "Check me.",
                "Проверь.",
                fuzzy=True,
                issues=(Issue("terms", Severity.MAJOR, "term 'summit' not honoured"),),
            ),
            Unit("n:p1:s3", "Untranslated.", ""),
            Unit("id with spaces", "Odd id.", "Странный id."),
        ),
        created="2026-02-02T08:00:00Z",
    )


def render(version: str) -> etree._Element:
    buffer = io.BytesIO()
    write_xliff(doc(), buffer, version=version)
    return etree.fromstring(buffer.getvalue())


def test_xliff12_states_approval_and_notes() -> None:
    root = render("1.2")
    q = f"{{{NS12}}}"
    units = root.findall(f".//{q}trans-unit")
    assert [u.get("id") for u in units] == ["n:p1:s1", "n:p1:s2", "n:p1:s3", "id with spaces"]
    assert [u.find(q + "target").get("state") for u in units] == [
        "translated",
        "needs-review-translation",
        "new",
        "translated",
    ]
    assert [u.get("approved") for u in units] == ["yes", "no", "no", "yes"]
    notes = [n.text for n in units[1].findall(q + "note")]
    assert "x-issue: major terms: term 'summit' not honoured" in notes
    file = root.find(q + "file")
    assert (file.get("source-language"), file.get("target-language")) == ("en", "ru")


def test_xliff21_states_ids_and_notes() -> None:
    root = render("2.1")
    q = f"{{{NS20}}}"
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "en", "ru")
    units = root.findall(f".//{q}unit")
    assert [u.get("id") for u in units] == ["n:p1:s1", "n:p1:s2", "n:p1:s3", "u4"]
    assert units[3].get("name") == "id with spaces"
    segments = [u.find(q + "segment") for u in units]
    assert [s.get("state") for s in segments] == ["translated", "initial", "initial", "translated"]
    assert segments[1].get("subState") == "transpipe:fuzzy"
    assert units[1].find(f"{q}notes/{q}note").get("category") == "transpipe"


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_round_trip_without_loss(tmp_path: Path, version: str) -> None:
    path = tmp_path / "x.xlf"
    with path.open("wb") as stream:
        write_xliff(doc(), stream, version=version)
    back = read_xliff(path)
    assert back.units == doc().units
    assert (back.pair, back.created, back.name) == (PAIR, "2026-02-02T08:00:00Z", "news")


def test_unknown_version_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unsupported XLIFF version"):
        write_xliff(doc(), io.BytesIO(), version="3.0")


def test_foreign_xliff12_with_groups_and_inline_codes(tmp_path: Path) -> None:
    path = tmp_path / "f.xlf"
    path.write_text(
        '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="a.html" source-language="en-US" target-language="ru-RU" datatype="html"><body>'
        '<group id="g"><trans-unit id="1"><source>Press <g id="1">Save</g> now<x id="2"/>.</source>'
        '<target state="needs-review-translation">Нажмите <g id="1">Сохранить</g><x id="2"/>.</target>'
        '</trans-unit></group><trans-unit id="2"><source>Only source.</source></trans-unit>'
        "</body></file></xliff>",
        "utf-8",
    )
    bitext = read_xliff(path)
    assert bitext.pair == LanguagePair("en-US", "ru-RU")
    first, second = bitext.units
    assert first.source == "Press ⟦1⟧Save⟦/1⟧ now⟦2⟧."
    assert first.target == "Нажмите ⟦1⟧Сохранить⟦/1⟧⟦2⟧."
    assert first.fuzzy
    assert (second.source, second.target) == ("Only source.", "")


def test_xliff2_multi_segment_units_become_units(tmp_path: Path) -> None:
    path = tmp_path / "f.xlf"
    path.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="ru">'
        '<file id="f"><unit id="u1"><segment id="a"><source>One.</source><target>Раз.</target></segment>'
        "<ignorable><source> </source></ignorable>"
        '<segment id="b" state="final"><source>Two.</source><target>Два.</target></segment></unit></file></xliff>',
        "utf-8",
    )
    units = read_xliff(path).units
    assert [(u.id, u.source, u.target, u.fuzzy) for u in units] == [
        ("u1:a", "One.", "Раз.", False),
        ("u1:b", "Two.", "Два.", False),
    ]


def test_not_xliff_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "f.xlf"
    path.write_text("<tmx version='1.4'/>", "utf-8")
    with pytest.raises(FormatError, match="not an XLIFF file"):
        read_xliff(path)
