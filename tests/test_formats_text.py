"""The translated-article writer: paragraphs, headlines, boilerplate, placeholders."""

from __future__ import annotations

import io

from transpipe.formats.text import render_translated_text, write_translated_text
from transpipe.model import Bitext, LanguagePair, SegmentKind, Unit

PAIR = LanguagePair("ru", "en")


def article(*units: Unit) -> Bitext:
    return Bitext("a", PAIR, units)


def test_paragraphs_sentences_and_headline() -> None:
    text = render_translated_text(
        article(
            Unit(
                "a:p1:s1",
                "Заголовок",
                "Leaders meet in Minsk",
                paragraph=1,
                kind=SegmentKind.HEADLINE,
            ),
            Unit("a:p2:s1", "Первое.", "First sentence.", paragraph=2),
            Unit("a:p2:s2", "Второе.", "Second sentence.", paragraph=2),
            Unit("a:p3:s1", "Третье.", "Third.", paragraph=3),
            Unit("a:p4:s1", "Фото: ТАСС", "Photo: TASS", paragraph=4, kind=SegmentKind.BOILERPLATE),
        )
    )
    assert (
        text
        == "Leaders meet in Minsk\n\nFirst sentence. Second sentence.\n\nThird.\n\nPhoto: TASS\n"
    )


def test_headline_inside_a_paragraph_stands_on_its_own_line() -> None:
    text = render_translated_text(
        article(
            Unit("a:p1:s1", "Москва", "MOSCOW", paragraph=1, kind=SegmentKind.BOILERPLATE),
            Unit("a:p1:s2", "Текст.", "Text one.", paragraph=1),
            Unit("a:p1:s3", "Ещё.", "Text two.", paragraph=1),
        )
    )
    assert text == "MOSCOW\nText one. Text two.\n"


def test_units_without_paragraph_are_separate_paragraphs_and_empty_targets_dropped() -> None:
    text = render_translated_text(
        article(Unit("x1", "a", "One."), Unit("x2", "b", ""), Unit("x3", "c", " Two.\n"))
    )
    assert text == "One.\n\nTwo.\n"


def test_placeholders_are_removed_and_bytes_are_utf8_lf() -> None:
    unit = Unit(
        "a:p1:s1",
        "⟦1⟧Жирный⟦2⟧",
        "⟦1⟧Bold⟦2⟧ «ёлка»",
        paragraph=1,
        props=(
            (
                "x-transpipe-inline",
                '{"⟦1⟧":"<bpt i=\\"1\\">b</bpt>","⟦2⟧":"<ept i=\\"1\\">/b</ept>"}',
            ),
        ),
    )
    buffer = io.BytesIO()
    write_translated_text(article(unit), buffer)
    assert buffer.getvalue() == "Bold «ёлка»\n".encode()


def test_empty_bitext_gives_empty_text() -> None:
    assert render_translated_text(article()) == ""


def test_line_break_inside_a_paragraph_is_kept() -> None:
    text = render_translated_text(
        article(
            Unit("a:p1:s1", "Строка один.", "Line one.", paragraph=1),
            Unit(
                "a:p1:s2",
                "Строка два.",
                "Line two.",
                paragraph=1,
                props=(("x-newline-before", "1"),),
            ),
            Unit("a:p1:s3", "Дальше.", "Same line.", paragraph=1),
        )
    )
    assert text == "Line one.\nLine two. Same line.\n"
