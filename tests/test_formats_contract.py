"""One contract every bilingual format honours (Translate Toolkit ``test_base.py`` style).

``FormatContract`` holds the tests; each format's class below inherits them and fills in how to
write and read. Round trip, Unicode, empty segments, XML-illegal characters, determinism.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO, ClassVar

import pytest

from transpipe.formats.bitext_tsv import read_bitext_tsv, write_bitext_tsv
from transpipe.formats.po import read_po, write_po
from transpipe.formats.registry import formats, load_bitext
from transpipe.formats.tmx import read_tmx, write_tmx
from transpipe.formats.xliff import read_xliff, write_xliff
from transpipe.model import (
    Bitext,
    Issue,
    LanguagePair,
    Score,
    SegmentKind,
    SegmentStatus,
    Severity,
    TermAudit,
    TermOutcome,
    Unit,
)

PAIR = LanguagePair("ru", "en")
CREATED = "2026-03-01T09:30:00Z"


def rich_unit() -> Unit:
    return Unit(
        id="demo:p1:s1",
        source="Совет коллективной безопасности собрался в Ереване.",
        target="The Collective Security Council met in Yerevan.",
        paragraph=1,
        fuzzy=True,
        notes=("checked by the night editor", "two\nlines"),
        props=(("engine", "ct2"), ("model", "demo-ru-en")),
        term_audit=(
            TermAudit(
                "council",
                "Совет коллективной безопасности",
                "Collective Security Council",
                TermOutcome.PINNED,
                "Collective Security Council",
            ),
        ),
        issues=(Issue("numbers", Severity.MAJOR, "3 in the source, none in the target"),),
        score=Score(61.5, SegmentStatus.REVIEW, (("qe", 0.6123456789), ("engine", -0.25))),
    )


def sample(*units: Unit) -> Bitext:
    return Bitext(name="demo", pair=PAIR, units=units, created=CREATED)


class FormatContract:
    """Tests every format must pass; subclasses set ``suffix``, ``write`` and ``read``."""

    suffix: ClassVar[str]
    rich: ClassVar[bool] = True  # the format carries notes, props, review state and findings

    def write(self, bitext: Bitext, stream: BinaryIO) -> None:
        raise NotImplementedError

    def read(self, path: Path) -> Bitext:
        raise NotImplementedError

    def round_trip(self, bitext: Bitext, tmp_path: Path) -> Bitext:
        path = tmp_path / f"out{self.suffix}"
        with path.open("wb") as stream:
            self.write(bitext, stream)
        return self.read(path)

    def render(self, bitext: Bitext) -> bytes:
        buffer = io.BytesIO()
        self.write(bitext, buffer)
        return buffer.getvalue()

    def test_round_trip_keeps_ids_and_text(self, tmp_path: Path) -> None:
        units = (
            Unit("demo:p1:s1", "Москва, 5 марта.", "Moscow, March 5."),
            Unit("demo:p1:s2", "Второе предложение.", "The second sentence."),
        )
        back = self.round_trip(sample(*units), tmp_path)
        assert [(u.id, u.source, u.target) for u in back] == [
            (u.id, u.source, u.target) for u in units
        ]

    def test_round_trip_keeps_annotations(self, tmp_path: Path) -> None:
        if not self.rich:
            pytest.skip("format carries only ids and texts")
        unit = rich_unit()
        (back,) = self.round_trip(sample(unit), tmp_path).units
        assert back == unit

    def test_unicode_quotes_dashes_yo(self, tmp_path: Path) -> None:
        unit = Unit("demo:p2:s1", "«Ёлки» — это ёмко, «ещё» 𝐀 ☃", "“Fir trees” — that’s it…")
        (back,) = self.round_trip(sample(unit), tmp_path).units
        assert (back.source, back.target) == (unit.source, unit.target)

    def test_empty_segments(self, tmp_path: Path) -> None:
        units = (Unit("demo:p1:s1", "", ""), Unit("demo:p1:s2", "Текст.", ""))
        back = self.round_trip(sample(*units), tmp_path)
        assert [(u.id, u.source, u.target) for u in back] == [
            (u.id, u.source, u.target) for u in units
        ]

    def test_xml_illegal_characters_are_removed(self, tmp_path: Path) -> None:
        unit = Unit(
            "demo:p1:s1", "Звонок\x07 и\x00 нуль\x1b.", "A bell\x07 and\x0c a form feed\ufffe."
        )
        (back,) = self.round_trip(sample(unit), tmp_path).units
        assert (back.source, back.target) == ("Звонок и нуль.", "A bell and a form feed.")

    def test_whitespace_and_markup_like_text_survive(self, tmp_path: Path) -> None:
        unit = Unit("demo:p1:s1", '  <b>a & b</b> "q" \\n  ', "tab\there &amp; <x1/>")
        (back,) = self.round_trip(sample(unit), tmp_path).units
        assert (back.source, back.target) == (unit.source, unit.target)

    def test_deterministic_bytes(self) -> None:
        bitext = sample(rich_unit(), Unit("demo:p1:s2", "Ещё.", "More."))
        first = self.render(bitext)
        assert first == self.render(bitext)
        assert not first.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in first

    def test_failed_term_without_target_surface_survives(self, tmp_path: Path) -> None:
        if not self.rich:
            pytest.skip("format carries only ids and texts")
        failed = TermAudit("csto", "ОДКБ", "CSTO", TermOutcome.FAILED, "")
        unit = Unit("demo:p1:s1", "ОДКБ заявила.", "The bloc said.", term_audit=(failed,))
        (back,) = self.round_trip(sample(unit), tmp_path).units
        assert back.term_audit == (failed,)

    def test_written_file_is_transpipe_unchanged_output(self, tmp_path: Path) -> None:
        if self.suffix == ".tsv":
            pytest.skip("TSV records no digests")
        path = tmp_path / f"own{self.suffix}"
        with path.open("wb") as stream:
            self.write(sample(rich_unit(), Unit("demo:p1:s2", "Ещё.", "More.")), stream)
        assert load_bitext(path, PAIR).provenance.unchanged

    def test_timestamp_changes_output(self) -> None:
        if self.suffix == ".tsv":
            pytest.skip("TSV has no header")
        a = self.render(sample(rich_unit()))
        b = self.render(Bitext("demo", PAIR, (rich_unit(),), created="2027-01-02T03:04:00Z"))
        assert a != b


class TestTmxContract(FormatContract):
    suffix = ".tmx"

    def write(self, bitext: Bitext, stream: BinaryIO) -> None:
        write_tmx(bitext, stream)

    def read(self, path: Path) -> Bitext:
        return read_tmx(path, PAIR)


class TestPoContract(FormatContract):
    suffix = ".po"

    def write(self, bitext: Bitext, stream: BinaryIO) -> None:
        write_po(bitext, stream)

    def read(self, path: Path) -> Bitext:
        return read_po(path)


class TestXliff12Contract(FormatContract):
    suffix = ".xlf"

    def write(self, bitext: Bitext, stream: BinaryIO) -> None:
        write_xliff(bitext, stream, version="1.2")

    def read(self, path: Path) -> Bitext:
        return read_xliff(path)


class TestXliff21Contract(FormatContract):
    suffix = ".xlf"

    def write(self, bitext: Bitext, stream: BinaryIO) -> None:
        write_xliff(bitext, stream, version="2.1")

    def read(self, path: Path) -> Bitext:
        return read_xliff(path)


class TestBitextTsvContract(FormatContract):
    suffix = ".tsv"
    rich = False

    def write(self, bitext: Bitext, stream: BinaryIO) -> None:
        write_bitext_tsv(bitext, stream)

    def read(self, path: Path) -> Bitext:
        return read_bitext_tsv(path, PAIR)


def test_languages_survive_in_self_describing_formats(tmp_path: Path) -> None:
    bitext = sample(Unit("demo:p1:s1", "Да.", "Yes."))
    for suffix, write, read in (
        (".tmx", write_tmx, read_tmx),
        (".po", write_po, read_po),
        (".xlf", write_xliff, read_xliff),
    ):
        path = tmp_path / f"x{suffix}"
        with path.open("wb") as stream:
            write(bitext, stream)
        back = read(path)
        assert back.pair == PAIR, suffix
        assert back.created == CREATED, suffix


def test_headline_kind_and_paragraph_survive(tmp_path: Path) -> None:
    unit = Unit("demo:p1:s1", "Заголовок", "Headline", paragraph=1, kind=SegmentKind.HEADLINE)
    for suffix, write, read in (
        (".tmx", write_tmx, read_tmx),
        (".po", write_po, read_po),
        (".xlf", write_xliff, read_xliff),
    ):
        path = tmp_path / f"k{suffix}"
        with path.open("wb") as stream:
            write(sample(unit), stream)
        (back,) = read(path).units
        assert (back.kind, back.paragraph) == (SegmentKind.HEADLINE, 1), suffix


def test_every_readable_registered_format_runs_the_contract() -> None:
    """A format added to the registry without a contract class here fails this test."""
    covered = {cls.suffix for cls in FormatContract.__subclasses__()}
    for fmt in formats():
        if fmt.read is not None:
            assert covered & set(fmt.extensions), f"{fmt.name} has no contract class"
