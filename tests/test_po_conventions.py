"""PO as Poedit and gettext expect it: ``#.`` machine notes, ``#:`` references, translators'
``# `` comments left alone, and ``msgfmt -c`` clean with all of it."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from transpipe.formats.po import read_po, write_po
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

EN_RU = LanguagePair("en", "ru")


def translated() -> Bitext:
    return Bitext(
        "csto-news",
        EN_RU,
        (
            Unit(
                "csto-news:p1:s1",
                "CSTO summit",
                "Саммит ОДКБ",
                paragraph=1,
                kind=SegmentKind.HEADLINE,
                props=(("x-origin", "ct2"),),
                term_audit=(TermAudit("csto", "CSTO", "ОДКБ", TermOutcome.PINNED, "ОДКБ"),),
                score=Score(88.0, SegmentStatus.GOOD),
            ),
            Unit(
                "csto-news:p2:s1",
                "Moscow, 5 March.",
                "Москва, 5 марта.",
                paragraph=2,
                fuzzy=True,
                notes=("x-score: 12 (a note that looks like a machine line)", "prop a: b"),
                props=(("x-origin", "ct2"),),
                issues=(Issue("numbers", Severity.MAJOR, "5 vs 6"),),
            ),
        ),
        created="2026-05-01T10:00:00Z",
    )


def render(bitext: Bitext) -> str:
    buffer = io.BytesIO()
    write_po(bitext, buffer)
    return buffer.getvalue().decode("utf-8")


def test_machine_notes_are_extracted_comments_and_references_name_the_paragraph() -> None:
    text = render(translated())
    lines = text.splitlines()
    assert "#. prop x-origin: ct2" in lines
    assert "#. x-term: csto: pinned | CSTO -> ОДКБ | ОДКБ" in lines
    assert "#. x-issue: major numbers: 5 vs 6" in lines
    assert "#: csto-news:1" in lines and "#: csto-news:2" in lines
    body = text[text.index("\n\n") :]
    assert not [line for line in body.splitlines() if line.startswith("# ")]  # translators'


def test_round_trip_keeps_units_notes_included(tmp_path: Path) -> None:
    path = tmp_path / "csto-news.po"
    path.write_text(render(translated()), "utf-8")
    assert read_po(path).units == translated().units


def test_translator_comments_survive_a_rewrite(tmp_path: Path) -> None:
    """A translator adds ``# `` comments in Poedit; converting the file keeps them there."""
    path = tmp_path / "csto-news.po"
    text = render(translated())
    text = text.replace(
        "#: csto-news:2\n", "# Check the date with the desk.\n#   indented too\n#: csto-news:2\n"
    )
    path.write_text(text, "utf-8")
    bitext = read_po(path)
    assert ("x-po-comment", "Check the date with the desk.") in bitext.units[1].props
    again = render(bitext)
    assert "# Check the date with the desk.\n#   indented too\n" in again
    path.write_text(again, "utf-8")
    assert read_po(path).units == bitext.units


def test_foreign_references_are_kept_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "ui.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#: src/app.c:12\nmsgid "Open"\nmsgstr "Открыть"\n',
        "utf-8",
    )
    bitext = read_po(path)
    assert ("x-po-reference", "src/app.c:12") in bitext.units[0].props
    assert "#: src/app.c:12\n" in render(bitext)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext msgfmt not installed")
def test_msgfmt_accepts_every_convention(tmp_path: Path) -> None:
    path = tmp_path / "csto-news.po"
    path.write_text(render(translated()), "utf-8")
    result = subprocess.run(
        ["msgfmt", "-c", "--check-format", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "1 translated message, 1 fuzzy translation" in result.stderr
