"""One registry of formats and one ``read_bitext`` for every bilingual file.

Every format declares itself (name, extensions, read, write); readers are found by extension;
a requested language pair is never imposed on a file that states other languages; commands
that read bilingual files (``convert``, ``tm import``, ``glossary extract --tmx``) all go
through the same function.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.errors import ConfigError, InputError
from transpipe.formats.registry import extensions, format_for, formats, read_bitext
from transpipe.model import Bitext, LanguagePair, Unit

EN_RU = LanguagePair("en", "ru")
UNITS = (
    Unit("d:p1:s1", "The CSTO summit opened.", "Саммит ОДКБ открылся."),
    Unit("d:p1:s2", "The CSTO summit ended.", "Саммит ОДКБ завершился."),
)


def test_formats_declare_name_extensions_read_and_write() -> None:
    declared = {fmt.name: fmt for fmt in formats()}
    assert sorted(declared) == ["po", "text", "tmx", "tsv", "xliff"]
    assert declared["text"].read is None  # the article text is an output only
    assert extensions(readable=True) == [".po", ".pot", ".tmx", ".tsv", ".xlf", ".xliff"]
    assert format_for(Path("A.XLIFF")).name == "xliff"
    with pytest.raises(ConfigError, match=r"cannot read \.txt .*known: \.po, \.pot"):
        format_for(Path("a.txt"), reading=True)
    with pytest.raises(ConfigError, match=r"cannot write \.docx"):
        format_for(Path("a.docx"))


@pytest.mark.parametrize("suffix", [".tmx", ".po", ".xlf", ".tsv"])
def test_every_bilingual_file_reads_through_one_function(tmp_path: Path, suffix: str) -> None:
    fmt = format_for(Path(f"x{suffix}"))
    buffer = io.BytesIO()
    fmt.write(Bitext("d", EN_RU, UNITS), buffer)
    path = tmp_path / f"d{suffix}"
    path.write_bytes(buffer.getvalue())
    back = read_bitext(path, EN_RU)
    assert [(u.id, u.source, u.target) for u in back.units] == [
        (u.id, u.source, u.target) for u in UNITS
    ]
    assert back.pair == EN_RU


@pytest.mark.parametrize("suffix", [".po", ".xlf"])
def test_stated_languages_are_never_relabelled(tmp_path: Path, suffix: str) -> None:
    buffer = io.BytesIO()
    format_for(Path(f"x{suffix}")).write(Bitext("d", EN_RU, UNITS), buffer)
    path = tmp_path / f"d{suffix}"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="the file's source language is 'en', not 'de'"):
        read_bitext(path, LanguagePair("de", "ru"))


def test_glossary_extract_reads_its_tmx_through_the_registry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tmx = tmp_path / "pairs.tmx"
    buffer = io.BytesIO()
    format_for(tmx).write(Bitext("d", EN_RU, UNITS), buffer)
    tmx.write_bytes(buffer.getvalue())
    args = ["glossary", "extract", "--tmx", str(tmx), "--from", "en", "--to", "ru"]
    assert main([*args, "--min-freq", "2"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows[0][1:3] == ["en", "ru"]  # id, en, ru, ... (proposed terms for review)
    # "summit" / "ОДКБ" never occur outside "CSTO summit" / "Саммит ОДКБ": one term
    assert ["CSTO summit", "Саммит ОДКБ"] in [row[1:3] for row in rows[1:]]
    reverse = ["glossary", "extract", "--tmx", str(tmx), "--from", "ru", "--to", "en"]
    assert main([*reverse, "--min-freq", "2"]) == 0  # languages by code, not by position
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows[0][1:3] == ["ru", "en"]
    assert ["Саммит ОДКБ", "CSTO summit"] in [row[1:3] for row in rows[1:]]
