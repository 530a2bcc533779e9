"""PO specifics: header, plural forms, contexts of foreign files, comments, previous msgid."""

# ruff: noqa: E501  (inline XML/PO fixtures read best unbroken)

from __future__ import annotations

import io
from pathlib import Path

import pytest

from transpipe.formats.po import PLURAL_FORMS, read_po, write_po
from transpipe.model import Bitext, LanguagePair, Unit

EN_RU = LanguagePair("en", "ru")


def render(bitext: Bitext) -> str:
    buffer = io.BytesIO()
    write_po(bitext, buffer)
    return buffer.getvalue().decode("utf-8")


def test_header_fields() -> None:
    text = render(
        Bitext("news", EN_RU, (Unit("n:p1:s1", "Hi.", "Привет."),), created="2026-04-05T06:07:08Z")
    )
    for line in (
        '"Project-Id-Version: news\\n"',
        '"Language: ru\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Plural-Forms: {PLURAL_FORMS["ru"]}\\n"',
        '"POT-Creation-Date: 2026-04-05 06:07+0000\\n"',
        '"PO-Revision-Date: 2026-04-05 06:07+0000\\n"',
        '"X-Generator: transpipe 0.1.0\\n"',
    ):
        assert line in text
    assert 'msgctxt "n:p1:s1"\nmsgid "Hi."\nmsgstr "Привет."\n' in text
    english = render(Bitext("news", EN_RU.reversed(), (Unit("n:p1:s1", "Привет.", "Hi."),)))
    assert "nplurals=2; plural=(n != 1);" in english


def test_plural_forms_of_the_input_file_are_kept(tmp_path: Path) -> None:
    forms = "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : 2);"
    path = tmp_path / "four.po"
    path.write_text(
        f'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {forms}\\n"\n\n'
        'msgid "%d hour"\nmsgid_plural "%d hours"\nmsgstr[0] "%d час"\nmsgstr[1] "%d часа"\nmsgstr[2] "%d часов"\n'
        'msgstr[3] "%d часа"\n',
        "utf-8",
    )
    text = render(read_po(path))
    assert "nplurals=4" in text and 'msgstr[3] "%d часа"' in text


def test_foreign_contexts_are_kept_not_invented(tmp_path: Path) -> None:
    path = tmp_path / "ctx.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "unit"\nmsgid "m"\nmsgstr "м"\n\nmsgctxt "unit"\nmsgid "s"\nmsgstr "с"\n\n'
        'msgctxt "only"\nmsgid "x"\nmsgstr "х"\n\nmsgid "plain"\nmsgstr "простой"\n',
        "utf-8",
    )
    bitext = read_po(path)
    assert [u.id for u in bitext] == ["ctx:e1", "ctx:e2", "only", "ctx:e4"]
    text = render(bitext)
    assert text.count('msgctxt "unit"') == 2 and 'msgctxt "only"' in text
    assert 'msgid "plain"' in text and 'msgctxt "ctx:e4"' not in text
    again = read_po(_save(tmp_path / "again.po", text))
    assert [(u.source, u.target) for u in again] == [(u.source, u.target) for u in bitext]


def _save(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_comments_flags_references_and_previous_msgid_round_trip(tmp_path: Path) -> None:
    path = _save(
        tmp_path / "c.po",
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "# translator: keep short\n#. extracted note\n#: src/a.c:12 src/b.c:3\n#, fuzzy, c-format\n"
        '#| msgid "Old %d"\nmsgid "New %d"\nmsgstr "Новое %d"\n\n'
        '#~ msgid "gone"\n#~ msgstr "ушло"\n',
    )
    bitext = read_po(path)
    (u,) = bitext.units
    assert u.fuzzy and u.notes == ("extracted note",)
    assert dict(u.props) == {
        "x-po-no-msgctxt": "1",
        "x-po-comment": "translator: keep short",
        "x-po-flags": "c-format",
        "x-po-reference": "src/a.c:12 src/b.c:3",
        "x-previous-source": "Old %d",
    }
    assert dict(bitext.props)["x-transpipe-obsolete"] == "1"
    text = render(bitext)
    for line in (
        "# translator: keep short",
        "#. extracted note",
        "#: src/a.c:12 src/b.c:3",
        "#, fuzzy, c-format",
        '#| msgid "Old %d"',
    ):
        assert line in text
    (tmp_path / "again").mkdir()
    assert (
        read_po(_save(tmp_path / "again" / "c.po", text)).units == bitext.units
    )  # ids from the stem


def test_writer_never_emits_duplicate_keys() -> None:
    units = (
        Unit("a", "Same.", "Одно.", props=(("x-po-no-msgctxt", "1"),)),
        Unit("b", "Same.", "Другое.", props=(("x-po-no-msgctxt", "1"),)),
    )
    text = render(Bitext("d", EN_RU, units))
    assert text.count('msgid "Same."') == 2
    assert 'msgctxt "b"' in text


@pytest.mark.parametrize("charset", ["ISO-8859-15", "EUC-KR"])
def test_other_declared_charsets_are_decoded(tmp_path: Path, charset: str) -> None:
    word = "€uro" if charset == "ISO-8859-15" else "한국어"
    path = tmp_path / "l.po"
    path.write_bytes(
        (
            f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n\nmsgid "w"\nmsgstr "{word}"\n'
        ).encode(charset)
    )
    assert read_po(path).units[0].target == word


def test_unknown_charset_is_named(tmp_path: Path) -> None:
    from transpipe.errors import EncodingError

    path = _save(
        tmp_path / "u.po", 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=KLINGON-8\\n"\n'
    )
    with pytest.raises(EncodingError, match="unknown charset 'KLINGON-8'"):
        read_po(path)


def test_extracted_comments_show_terms_findings_and_score() -> None:
    """Machine notes are ``#.`` extracted comments (Poedit: notes for translators); ``# ``
    translator comments stay the translator's."""
    from transpipe.model import (
        Issue,
        Score,
        SegmentStatus,
        Severity,
        Span,
        TermAudit,
        TermMatch,
        TermOutcome,
        TermStatus,
    )

    unit = Unit(
        "n:p1:s1",
        "The CSTO summit opened.",
        "Саммит ОДКБ открылся.",
        term_matches=(
            TermMatch(
                "csto",
                Span(4, 8),
                "CSTO",
                "en",
                TermStatus.PREFERRED,
                (("en", "CSTO"), ("ru", "ОДКБ")),
            ),
        ),
        term_audit=(TermAudit("csto", "CSTO", "ОДКБ", TermOutcome.PINNED, "ОДКБ"),),
        issues=(Issue("length", Severity.MINOR, "target is short"),),
        score=Score(88.0, SegmentStatus.GOOD),
    )
    text = render(Bitext("n", EN_RU, (unit,)))
    for line in (
        "#. x-term-match: CSTO -> ОДКБ (preferred)",
        "#. x-term: csto: pinned | CSTO -> ОДКБ | ОДКБ",
        "#. x-issue: minor length: target is short",
        "#. x-score: 88.0",
        "#. x-status: good",
    ):
        assert line in text
    assert not [line for line in text.splitlines() if line.startswith("# x-")]


@pytest.mark.parametrize(
    ("flag", "source", "target", "fuzzy"),
    [
        ("c-format", "%d of %s", "%s из %d", True),  # swapped order: msgfmt would reject it
        ("c-format", "%1$d of %2$s", "%2$s из %1$d", False),
        ("c-format", "100%% of %d", "100%% из %d", False),
        ("python-format", "%(name)s has %(n)d", "%(имя)s имеет %(n)d", True),
        ("python-format", "%(name)s has %(n)d", "%(n)d у %(name)s", False),
        ("python-brace-format", "{1} of {2}", "{2} из {3}", True),
        ("python-brace-format", "{1} of {2}", "{2} из {1}", False),
    ],
)
def test_format_mismatch_from_mt_is_marked_fuzzy_so_msgfmt_passes(
    tmp_path: Path, flag: str, source: str, target: str, fuzzy: bool
) -> None:
    import shutil
    import subprocess

    unit = Unit("u", source, target, props=(("x-po-flags", flag),))
    path = _save(tmp_path / "f.po", render(Bitext("d", EN_RU, (unit,))))
    assert read_po(path).units[0].fuzzy is fuzzy
    if shutil.which("msgfmt"):
        result = subprocess.run(
            ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)], capture_output=True
        )
        assert result.returncode == 0, result.stderr
