"""The article text outputs never lose a sentence silently (issue 12, "unfinished text").

Defects reproduced first: ``translate --engine tm`` left unmatched sentences (a whole dateline
paragraph) out of ``<name>.ru.txt``; a CAT tool's TMX (OmegaT's project memory: no paragraph
information, its own order) became text one sentence per paragraph with no word said.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.formats.text import (
    has_paragraphs,
    render_translated_text,
    write_draft_text,
)
from transpipe.formats.tmx import write_tmx
from transpipe.model import Bitext, LanguagePair, SegmentKind, Unit

EN_RU = LanguagePair("en", "ru")


def _article() -> Bitext:
    return Bitext(
        "note",
        EN_RU,
        (
            Unit("note:p1:s1", "Summit in Minsk", "Саммит в Минске", 1, SegmentKind.HEADLINE),
            Unit("note:p2:s1", "MINSK, 7 March.", "", 2),
            Unit("note:p3:s1", "Leaders met.", "Лидеры встретились.", 3),
            Unit("note:p3:s2", "They signed a treaty.", "", 3),
        ),
    )


def test_draft_text_keeps_untranslated_sentences_in_the_source_language() -> None:
    stream = io.BytesIO()
    write_draft_text(_article(), stream)
    assert stream.getvalue().decode("utf-8") == (
        "Саммит в Минске\n\nMINSK, 7 March.\n\nЛидеры встретились. They signed a treaty.\n"
    )
    # the publishing text (convert) leaves them out, and says so (see test_review_states)
    assert render_translated_text(_article()) == "Саммит в Минске\n\nЛидеры встретились.\n"


def test_convert_warns_when_a_tmx_has_no_article_layout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = tuple(
        Unit(f"u{i}", en, ru)
        for i, (en, ru) in enumerate([("Leaders met.", "Лидеры встретились."), ("Go.", "Идём.")])
    )
    memory = tmp_path / "project-level2.tmx"
    with memory.open("wb") as stream:
        write_tmx(Bitext("memory", EN_RU, units), stream)
    assert not has_paragraphs(Bitext("memory", EN_RU, units))
    out = tmp_path / "article.ru.txt"
    assert main(["convert", str(memory), str(out)]) == 0
    err = capsys.readouterr().err
    assert "say nothing of the article's paragraphs or order" in err
    assert out.read_text("utf-8") == "Лидеры встретились.\n\nИдём.\n"

    article = tmp_path / "note.tmx"
    with article.open("wb") as stream:
        write_tmx(_article(), stream)
    assert main(["convert", str(article), str(tmp_path / "note.ru.txt")]) == 0
    assert "paragraphs or order" not in capsys.readouterr().err
