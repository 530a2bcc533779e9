"""Digests of what transpipe wrote: any edit by any tool shows, formatting alone does not.

For PO, TMX and XLIFF 1.2/2.1: a file transpipe wrote reads back as unchanged (also with
hostile characters in every field); changing a translation, a fuzzy flag, an approval or a
translator comment shows (per unit where the translation changed, per file for everything);
re-wrapping by msgcat or CRLF line ends do not count as edits; a foreign file carries none.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest

from transpipe.formats.po import load_po, write_po
from transpipe.formats.provenance import BitextFile, Check
from transpipe.formats.review import ReviewState, review_state
from transpipe.formats.tmx import load_tmx, write_tmx
from transpipe.formats.xliff import load_xliff, write_xliff
from transpipe.model import (
    Bitext,
    Issue,
    LanguagePair,
    Score,
    SegmentKind,
    SegmentStatus,
    Severity,
    Unit,
)

EN_RU = LanguagePair("en", "ru")
Writer = Callable[[Bitext, BinaryIO], None]
Loader = Callable[[Path, LanguagePair | None], BitextFile]

FORMATS: list[tuple[str, str, Writer, Loader]] = [
    ("po", ".po", write_po, load_po),
    ("tmx", ".tmx", write_tmx, load_tmx),
    ("xliff12", ".xlf", lambda b, s: write_xliff(b, s, version="1.2"), load_xliff),
    ("xliff21", ".xlf", lambda b, s: write_xliff(b, s, version="2.1"), load_xliff),
]
IDS = [name for name, *_ in FORMATS]


def machine_unit(
    number: int,
    source: str,
    target: str,
    *,
    kind: SegmentKind = SegmentKind.SENTENCE,
    fuzzy: bool = False,
    issues: tuple[Issue, ...] = (),
) -> Unit:
    """A unit as ``translate`` produces it: machine origin, paragraph, score, findings."""
    return Unit(
        id=f"news:p{number}:s1",
        source=source,
        target=target,
        paragraph=number,
        kind=kind,
        fuzzy=fuzzy,
        props=(("x-origin", "ct2"),),
        issues=issues,
        score=Score(90.0, SegmentStatus.GOOD),
    )


def article() -> Bitext:
    return Bitext(
        "news",
        EN_RU,
        (
            machine_unit(1, "Summit results", "Итоги саммита", kind=SegmentKind.HEADLINE),
            machine_unit(2, "The leaders met in Minsk.", "Лидеры встретились в Минске."),
            machine_unit(
                3,
                "They discussed security.",
                "Они обсудили безопасность.",
                fuzzy=True,
                issues=(Issue("length", Severity.MINOR, "short"),),
            ),
        ),
        created="2026-05-01T10:00:00Z",
    )


def save(tmp_path: Path, suffix: str, write: Writer, bitext: Bitext) -> Path:
    buffer = io.BytesIO()
    write(bitext, buffer)
    path = tmp_path / f"news{suffix}"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(("name", "suffix", "write", "load"), FORMATS, ids=IDS)
def test_our_file_reads_back_unchanged(
    tmp_path: Path, name: str, suffix: str, write: Writer, load: Loader
) -> None:
    loaded = load(save(tmp_path, suffix, write, article()), EN_RU)
    assert loaded.provenance.by_transpipe
    assert loaded.provenance.unchanged
    assert loaded.provenance.units == (Check.MATCH,) * 3
    assert [review_state(u) for u in loaded.bitext.units] == [
        ReviewState.MACHINE,
        ReviewState.MACHINE,
        ReviewState.FUZZY,
    ]
    assert all(key != "x-digest" for u in loaded.bitext.units for key, _ in u.props)
    assert all("digest" not in key for key, _ in loaded.bitext.props)


HOSTILE = (
    "a", "Я", " ", "\t", "\n", "\r", "\r\n", "\\", '"', "'", "&", "<", ">", "]]>", "&amp;",
    "\x00", "\x07", "\x1b", "\ufffe", "\ud800", "😀", "#", "#.", "msgid", ":", ": ", "x-digest: 0",
    "prop ", "note: ", "%d", "{0}", "\u00a0", "\u2028",
)  # fmt: skip


def _noise(rng: random.Random) -> str:
    return "".join(rng.choice(HOSTILE) for _ in range(rng.randint(0, 12)))


@pytest.mark.parametrize(("name", "suffix", "write", "load"), FORMATS, ids=IDS)
def test_hostile_characters_do_not_look_like_edits(
    tmp_path: Path, name: str, suffix: str, write: Writer, load: Loader
) -> None:
    rng = random.Random(f"provenance-{name}")
    units = tuple(
        Unit(
            id=f"doc:p{i}:s1" if i % 3 else f"id {_noise(rng)}{i}",
            source=_noise(rng) + f"source {i}",
            target=_noise(rng),
            paragraph=i % 4,
            fuzzy=rng.random() < 0.3,
            notes=(_noise(rng),) if i % 2 else (),
            props=(("x-origin", "marian"), (f"k{_noise(rng)}", _noise(rng))),
        )
        for i in range(1, 60)
    )
    bitext = Bitext("doc " + _noise(rng), EN_RU, units, props=(("domain", _noise(rng)),))
    loaded = load(save(tmp_path, suffix, write, bitext), EN_RU)
    assert loaded.provenance.unchanged
    assert set(loaded.provenance.units) == {Check.MATCH}


def test_po_translation_edited_in_a_text_editor(tmp_path: Path) -> None:
    path = save(tmp_path, ".po", write_po, article())
    text = path.read_text("utf-8")
    path.write_text(
        text.replace('msgstr "Лидеры встретились в Минске."', 'msgstr "Лидеры собрались."')
    )
    loaded = load_po(path)
    assert not loaded.provenance.unchanged and loaded.provenance.file is Check.MISMATCH
    assert loaded.provenance.units == (Check.MATCH, Check.MISMATCH, Check.MATCH)
    states = [review_state(u) for u in loaded.bitext.units]
    assert states == [ReviewState.MACHINE, ReviewState.REVIEWED, ReviewState.FUZZY]


def test_po_fuzzy_flag_removed_is_a_review(tmp_path: Path) -> None:
    path = save(tmp_path, ".po", write_po, article())
    text = path.read_text("utf-8")
    assert text.count("#, fuzzy\n") == 1
    path.write_text(text.replace("#, fuzzy\n", ""), "utf-8")
    loaded = load_po(path)
    assert loaded.provenance.units == (Check.MATCH, Check.MATCH, Check.MISMATCH)
    assert review_state(loaded.bitext.units[2]) is ReviewState.REVIEWED


def test_po_translator_comment_and_header_edits_change_the_file_not_the_units(
    tmp_path: Path,
) -> None:
    path = save(tmp_path, ".po", write_po, article())
    original = path.read_text("utf-8")
    commented = original.replace(
        'msgctxt "news:p2:s1"', '# check the city name\nmsgctxt "news:p2:s1"'
    )
    path.write_text(commented, "utf-8")
    loaded = load_po(path)
    assert loaded.provenance.file is Check.MISMATCH
    assert set(loaded.provenance.units) == {Check.MATCH}
    assert ("x-po-comment", "check the city name") in loaded.bitext.units[1].props

    poedit = re.sub(
        r"PO-Revision-Date: [^\\]*", "PO-Revision-Date: 2030-01-01 10:00+0000", original
    )
    path.write_text(poedit, "utf-8")
    assert load_po(path).provenance.file is Check.MISMATCH


def test_po_formatting_is_not_an_edit(tmp_path: Path) -> None:
    path = save(tmp_path, ".po", write_po, article())
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert load_po(path).provenance.unchanged


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="gettext msgcat not installed")
def test_po_rewrapped_by_msgcat_is_not_an_edit(tmp_path: Path) -> None:
    path = save(tmp_path, ".po", write_po, article())
    wrapped = tmp_path / "wrapped.po"
    subprocess.run(["msgcat", "--width=20", str(path), "-o", str(wrapped)], check=True)
    assert wrapped.read_text("utf-8") != path.read_text("utf-8")  # really re-wrapped
    assert load_po(wrapped).provenance.unchanged


def test_po_digest_line_removed_leaves_the_unit_unproven(tmp_path: Path) -> None:
    path = save(tmp_path, ".po", write_po, article())
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"#\. x-digest: \w+\n", "", text, count=1), "utf-8")
    loaded = load_po(path)
    assert loaded.provenance.units == (Check.ABSENT, Check.MATCH, Check.MATCH)
    assert loaded.provenance.file is Check.MATCH  # the content itself is as written
    assert review_state(loaded.bitext.units[0]) is ReviewState.MACHINE


def test_tmx_segment_edited(tmp_path: Path) -> None:
    path = save(tmp_path, ".tmx", write_tmx, article())
    text = path.read_text("utf-8")
    path.write_text(text.replace("<seg>Итоги саммита</seg>", "<seg>Итоги встречи</seg>"), "utf-8")
    loaded = load_tmx(path, EN_RU)
    assert loaded.provenance.units == (Check.MISMATCH, Check.MATCH, Check.MATCH)
    assert loaded.provenance.file is Check.MISMATCH
    assert review_state(loaded.bitext.units[0]) is ReviewState.REVIEWED


def test_tmx_read_in_the_other_direction_is_still_unchanged(tmp_path: Path) -> None:
    path = save(tmp_path, ".tmx", write_tmx, article())
    loaded = load_tmx(path, EN_RU.reversed())
    assert loaded.provenance.unchanged and set(loaded.provenance.units) == {Check.MATCH}


def test_xliff12_approved_in_a_cat_tool_is_a_review(tmp_path: Path) -> None:
    path = save(tmp_path, ".xlf", write_xliff, article())
    text = path.read_text("utf-8")
    first = text.index('approved="no"')
    path.write_text(text[:first] + 'approved="yes"' + text[first + len('approved="no"') :])
    loaded = load_xliff(path)
    assert loaded.provenance.units[0] is Check.MISMATCH
    assert review_state(loaded.bitext.units[0]) is ReviewState.REVIEWED
    assert review_state(loaded.bitext.units[1]) is ReviewState.MACHINE


def test_xliff21_state_reviewed_in_a_cat_tool_is_a_review(tmp_path: Path) -> None:
    path = save(tmp_path, ".xlf", lambda b, s: write_xliff(b, s, version="2.1"), article())
    text = path.read_text("utf-8")
    path.write_text(text.replace('state="translated"', 'state="final"', 1), "utf-8")
    loaded = load_xliff(path)
    assert loaded.provenance.units[0] is Check.MISMATCH
    assert review_state(loaded.bitext.units[0]) is ReviewState.REVIEWED


def test_foreign_po_has_no_provenance(tmp_path: Path) -> None:
    path = tmp_path / "foreign.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'
        'msgid "Hello"\nmsgstr "Привет"\n',
        "utf-8",
    )
    loaded = load_po(path)
    assert not loaded.provenance.by_transpipe
    assert loaded.provenance.file is Check.ABSENT and loaded.provenance.units == (Check.ABSENT,)
    assert review_state(loaded.bitext.units[0]) is ReviewState.REVIEWED
