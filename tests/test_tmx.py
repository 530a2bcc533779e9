"""TMX specifics: streaming writer and reader, header, props/notes, inline codes, languages."""

# ruff: noqa: E501  (inline XML/PO fixtures read best unbroken)

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

from transpipe.errors import FormatError
from transpipe.formats.tmx import TmxWriter, iter_tmx, read_tmx, tmx_date, write_tmx
from transpipe.model import Bitext, LanguagePair, Unit

RU_EN = LanguagePair("ru", "en")


def unit(i: int) -> Unit:
    return Unit(f"d:p1:s{i}", f"Предложение {i}.", f"Sentence {i}.", props=(("engine", "ct2"),))


def test_header_matches_the_contract() -> None:
    buffer = io.BytesIO()
    bitext = Bitext(
        "d", RU_EN, (unit(1),), created="2026-11-28T13:05:09Z", props=(("domain", "news"),)
    )
    write_tmx(bitext, buffer, tool_version="9.9")
    root = etree.fromstring(buffer.getvalue())
    header = root.find("header")
    assert root.get("version") == "1.4"
    assert dict(header.attrib) == {
        "creationtool": "transpipe",
        "creationtoolversion": "9.9",
        "segtype": "sentence",
        "o-tmf": "transpipe",
        "adminlang": "en",
        "srclang": "ru",
        "datatype": "plaintext",
        "creationdate": "20261128T130509Z",
    }
    props = [(p.get("type"), p.text) for p in header.findall("prop")]
    assert props[0] == ("domain", "news")
    assert [key for key, _ in props[1:]] == ["x-transpipe-digest"]  # what transpipe wrote
    tu = root.find("body/tu")
    assert tu.get("tuid") == "d:p1:s1"
    assert [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in tu.findall("tuv")] == [
        "ru",
        "en",
    ]


def test_tmx_date() -> None:
    assert tmx_date("2026-01-02T03:04:05Z") == "20260102T030405Z"
    assert tmx_date("") == ""


def test_streaming_writer_and_reader(tmp_path: Path) -> None:
    path = tmp_path / "big.tmx"
    with (
        path.open("wb") as stream,
        TmxWriter(stream, RU_EN, created="2026-01-01T00:00:00Z") as writer,
    ):
        for i in range(1, 2001):
            writer.write(unit(i))
    units = iter_tmx(path, RU_EN)
    first = next(units)
    assert (first.id, first.source, first.props) == (
        "d:p1:s1",
        "Предложение 1.",
        (("engine", "ct2"),),
    )
    assert sum(1 for _ in units) == 1999
    reverse = next(iter_tmx(path, RU_EN.reversed()))
    assert (reverse.source, reverse.target) == ("Sentence 1.", "Предложение 1.")


def test_writer_failure_leaves_no_closing_tags(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with pytest.raises(RuntimeError), TmxWriter(buffer, RU_EN) as writer:
        writer.write(unit(1))
        raise RuntimeError("engine crashed")
    assert not buffer.getvalue().rstrip().endswith(b"</tmx>")  # the caller's temp file is discarded


def test_inline_codes_round_trip_and_stay_dtd_valid(tmp_path: Path, shared_dir: Path) -> None:
    source = tmp_path / "in.tmx"
    source.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="x" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" '
        'datatype="html"/><body><tu tuid="7"><tuv xml:lang="en-GB"><seg>Read <bpt i="1" x="1">&lt;a href="x"&gt;'
        '</bpt>the <hi type="b">full</hi> story<ept i="1">&lt;/a&gt;</ept><ph x="2">&lt;br/&gt;</ph></seg></tuv>'
        '<tuv xml:lang="ru-RU"><seg><bpt i="1" x="1">&lt;a href="x"&gt;</bpt>Читайте <hi type="b">всю</hi> '
        'историю<ept i="1">&lt;/a&gt;</ept><ph x="2">&lt;br/&gt;</ph></seg></tuv></tu></body></tmx>',
        "utf-8",
    )
    bitext = read_tmx(source, LanguagePair("en", "ru"))
    (u,) = bitext.units
    assert u.source == "Read ⟦1⟧the ⟦2⟧full⟦/2⟧ story⟦3⟧⟦4⟧"
    assert u.target == "⟦1⟧Читайте ⟦2⟧всю⟦/2⟧ историю⟦3⟧⟦4⟧"
    out = io.BytesIO()
    write_tmx(bitext, out)
    text = out.getvalue().decode()
    assert (
        '<seg>Read <bpt i="1" x="1">&lt;a href="x"&gt;</bpt>the <hi type="b">full</hi> story'
        in text
    )
    assert "x-transpipe-inline" not in text
    dtd = etree.DTD(str(shared_dir / "realfiles/dtd/tmx14.dtd"))
    assert dtd.validate(etree.fromstring(out.getvalue()).getroottree()), dtd.error_log


def test_broken_placeholder_order_still_gives_well_formed_xml() -> None:
    table = '{"⟦1⟧":"<hi>","⟦/1⟧":"</hi>"}'
    bad = Unit("x", "⟦1⟧a⟦/1⟧", "⟦/1⟧б⟦1⟧", props=(("x-transpipe-inline", table),))
    out = io.BytesIO()
    write_tmx(Bitext("d", RU_EN, (bad,)), out)
    root = etree.fromstring(out.getvalue())
    assert [s.xpath("string()") for s in root.iter("seg")] == ["a", "⟦/1⟧б⟦1⟧"]


def test_props_notes_and_alternatives_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "p.tmx"
    path.write_text(
        '<tmx version="1.4"><header srclang="*all*" creationtool="x" creationtoolversion="1" segtype="sentence" '
        'o-tmf="x" adminlang="en" datatype="plaintext"><note>header note</note></header><body>'
        '<tu><prop type="x-origin">wire</prop><note>check the name</note>'
        '<tuv xml:lang="ru"><prop type="x-who">ed</prop><seg>Да.</seg></tuv>'
        '<tuv xml:lang="en"><seg>Yes.</seg></tuv><tuv xml:lang="en"><seg>Yeah.</seg></tuv></tu>'
        "</body></tmx>",
        "utf-8",
    )
    bitext = read_tmx(path, RU_EN)
    (u,) = bitext.units
    assert u.id == "p:tu1"
    assert u.notes == ("check the name",)
    assert u.props == (("x-origin", "wire"), ("source:x-who", "ed"), ("x-alt-target", "Yeah."))
    assert bitext.props == (("x-note", "header note"),)
    out = io.BytesIO()
    write_tmx(bitext, out)
    root = etree.fromstring(out.getvalue())
    assert root.find("body/tu/tuv/prop").get("type") == "x-who"


def test_pair_is_inferred_from_two_languages_and_header(tmp_path: Path) -> None:
    path = tmp_path / "i.tmx"
    path.write_text(
        '<tmx version="1.4"><header srclang="ru-RU"/><body><tu><tuv xml:lang="en-US"><seg>Hi.</seg></tuv>'
        '<tuv xml:lang="ru-RU"><seg>Привет.</seg></tuv></tu></body></tmx>',
        "utf-8",
    )
    bitext = read_tmx(path)
    assert bitext.pair == RU_EN
    assert bitext.units[0].source == "Привет."


def test_tuv_without_language_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "n.tmx"
    path.write_text(
        '<tmx version="1.4"><header/><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>', "utf-8"
    )
    with pytest.raises(FormatError, match="without xml:lang"):
        read_tmx(path, RU_EN)
