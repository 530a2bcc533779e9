"""``transpipe convert``: every reader and writer reachable by extension, safe outputs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.formats.tmx import read_tmx, write_tmx
from transpipe.model import Bitext, LanguagePair, SegmentKind, Unit

RU_EN = LanguagePair("ru", "en")
UNITS = (
    Unit("art:p1:s1", "Итоги саммита", "Summit results", paragraph=1, kind=SegmentKind.HEADLINE),
    Unit(
        "art:p2:s1",
        "Лидеры встретились в Минске.",
        "The leaders met in Minsk.",
        paragraph=2,
        fuzzy=True,
    ),
    Unit(
        "art:p2:s2",
        "Они обсудили «безопасность» — снова.",
        "They discussed “security” — again.",
        paragraph=2,
    ),
)


@pytest.fixture
def source_tmx(tmp_path: Path) -> Path:
    path = tmp_path / "article.tmx"
    with path.open("wb") as stream:
        write_tmx(Bitext("article", RU_EN, UNITS, created="2026-06-01T12:00:00Z"), stream)
    return path


def convert(*args: str | Path) -> int:
    return main(["convert", *map(str, args)])


def test_chain_through_every_format_keeps_the_units(tmp_path: Path, source_tmx: Path) -> None:
    steps = ["a.po", "b.xlf", "c.xliff", "d.tmx"]
    current = source_tmx
    for name in steps:
        assert convert(current, tmp_path / name) == 0
        current = tmp_path / name
    assert read_tmx(current).units == UNITS


def test_tsv_needs_languages_from_the_command_line(tmp_path: Path, source_tmx: Path) -> None:
    assert convert(source_tmx, tmp_path / "x.tsv") == 0
    assert (tmp_path / "x.tsv").read_text("utf-8").splitlines()[0] == "id\tsource\ttarget"
    assert convert(tmp_path / "x.tsv", tmp_path / "y.tmx", "--from", "ru", "--to", "en") == 0
    back = read_tmx(tmp_path / "y.tmx")
    assert back.pair == RU_EN
    assert [(u.id, u.source, u.target) for u in back] == [(u.id, u.source, u.target) for u in UNITS]


def test_languages_by_code_reverse_the_direction(tmp_path: Path, source_tmx: Path) -> None:
    assert convert(source_tmx, tmp_path / "r.tmx", "--from", "en", "--to", "ru") == 0
    first = read_tmx(tmp_path / "r.tmx").units[1]
    assert (first.source, first.target) == (
        "The leaders met in Minsk.",
        "Лидеры встретились в Минске.",
    )


def test_translated_text_output(tmp_path: Path, source_tmx: Path) -> None:
    assert convert(source_tmx, tmp_path / "article.en.txt") == 0
    assert (tmp_path / "article.en.txt").read_text("utf-8") == (
        "Summit results\n\nThe leaders met in Minsk. They discussed “security” — again.\n"
    )


def test_xliff_version_option(tmp_path: Path, source_tmx: Path) -> None:
    assert convert(source_tmx, tmp_path / "v.xlf", "--xliff-version", "2.1") == 0
    assert 'version="2.1"' in (tmp_path / "v.xlf").read_text("utf-8")


def test_existing_output_is_kept_unless_forced(
    tmp_path: Path, source_tmx: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "work.po"
    out.write_text("# reviewed by hand\n", "utf-8")
    assert convert(source_tmx, out) == 1
    assert "already exists; not overwriting (pass --force" in capsys.readouterr().err
    assert out.read_text("utf-8") == "# reviewed by hand\n"
    assert convert(source_tmx, out, "--force") == 0
    assert 'msgctxt "art:p2:s1"' in out.read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["in.doc", "out.po"], "cannot read .doc"),
        (["article.tmx", "out.docx"], "cannot write .docx"),
        (["article.tmx", "out.po", "--from", "ru"], "give both --from and --to"),
        (
            ["article.tmx", "out.po", "--from", "de", "--to", "fr"],
            "no unit has both de and fr (3 skipped)",
        ),
    ],
)
def test_user_errors_are_one_line_and_write_nothing(
    tmp_path: Path,
    source_tmx: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    paths = [str(tmp_path / a) if "." in a and not a.startswith("-") else a for a in args]
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["convert", *paths]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_pot_input_is_read_as_po(tmp_path: Path) -> None:
    pot = tmp_path / "t.pot"
    pot.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello"\nmsgstr ""\n',
        "utf-8",
    )
    assert convert(pot, tmp_path / "t.tmx", "--from", "en", "--to", "ru") == 0
    (unit,) = read_tmx(tmp_path / "t.tmx").units
    assert (unit.source, unit.target) == ("Hello", "")


def test_help_lists_convert() -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit), pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", out)
        main(["convert", "--help"])
    assert "--force" in out.getvalue()
