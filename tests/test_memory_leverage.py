"""Fuzzy memory leverage in ``translate --tm`` and the TMX a CAT tool may reuse (issue 12).

Reproduces the defects first: ``tm lookup --fuzzy`` found 93% and 81% matches while
``translate --tm`` sent those sentences to MT with no trace of the match in PO, TMX or report;
the TMX gave OmegaT score-0 garbage as a normal unit; ``--engine tm`` left unmatched sentences
out of the translated text. Real SQLite memories, the shipped reference engine (human
translations as "MT", so the estimate of each segment is known), real msgfmt and OmegaT.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from lxml import etree

from transpipe.cli import main
from transpipe.formats.leverage import memory_offer
from transpipe.formats.po import read_po
from transpipe.model import (
    Draft,
    DraftKind,
    Hypothesis,
    LanguagePair,
    Score,
    Segment,
    SegmentRecord,
    SegmentStatus,
    Span,
    Unit,
)
from transpipe.tm import TranslationMemory
from transpipe.tm.engine import FuzzyMemory

EN_RU = LanguagePair("en", "ru")
CREATED = "2026-01-01T00:00:00Z"

COUNCIL = "The Collective Security Council met in Minsk on 7 March 2024."
BORDERS = "The leaders discussed the situation on the external borders of the Organization."
STATEMENT = "They adopted a statement on international security."
ARTICLE = f"{COUNCIL}\n\n{BORDERS} {STATEMENT}\n"

# the translator's earlier, reviewed work: 91% and 84% similar to COUNCIL and BORDERS
OLD_COUNCIL = (
    "The Collective Security Council met in Minsk on 5 March 2024.",
    "Совет коллективной безопасности собрался в Минске 5 марта 2024 года.",
)
OLD_BORDERS = (
    "The leaders discussed the situation on the southern borders of the Commonwealth.",
    "Лидеры обсудили ситуацию на южных границах Содружества.",
)

# the "MT" (reference engine): the first sentence loses its date (a numbers finding lowers
# its estimate below 91), the others are good translations (estimate 100 > 84)
MT_COUNCIL = "Совет коллективной безопасности собрался в Минске."
MT_BORDERS = "Лидеры обсудили ситуацию на внешних границах Организации."
MT_STATEMENT = "Они приняли заявление о международной безопасности."
REFERENCE = f"{MT_COUNCIL}\n\n{MT_BORDERS} {MT_STATEMENT}\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "note.en.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "note.ru.txt").write_text(REFERENCE, "utf-8")
    with TranslationMemory(tmp_path / "tm.db") as memory:
        units = [Unit(f"m{i}", s, t) for i, (s, t) in enumerate((OLD_COUNCIL, OLD_BORDERS))]
        memory.add(units, EN_RU, "reviewed.po", created=CREATED)
    return tmp_path


def _translate(workdir: Path, *extra: str, out: str = "out") -> int:
    argv = ["translate", str(workdir / "note.en.txt"), "--from", "en", "--to", "ru"]
    argv += ["--engine", "reference", "--reference", str(workdir / "note.ru.txt")]
    return main([*argv, "--out", str(workdir / out), *extra])


def _entry(po_text: str, segment: str) -> str:
    """The PO entry (comments to msgstr) of one segment, as text."""
    entries = po_text.split("\n\n")
    return next(e for e in entries if f'msgctxt "{segment}"' in e)


def _tuids(tmx: Path) -> dict[str, dict[str, str]]:
    tree = etree.parse(str(tmx), etree.XMLParser(resolve_entities=False, no_network=True))
    return {
        str(tu.get("tuid")): {str(p.get("type")): p.text or "" for p in tu.findall("prop")}
        for tu in tree.iter("tu")
    }


def test_translate_offers_fuzzy_matches_tm_lookup_finds(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(workdir / "tm.db")
    lookups = []
    for sentence in (COUNCIL, BORDERS):
        assert (
            main(
                [
                    "tm",
                    "lookup",
                    sentence,
                    "--db",
                    db,
                    "--from",
                    "en",
                    "--to",
                    "ru",
                    "--fuzzy",
                    "0.75",
                ]
            )
            == 0
        )
        lookups.append(re.search(r"fuzzy (\d+)% match", capsys.readouterr().err))
    assert [m.group(1) if m else None for m in lookups] == ["91", "84"]

    assert _translate(workdir, "--tm", db) == 0
    err = capsys.readouterr().err
    assert "memory: 0 exact, 2 fuzzy offered (1 filled the segment, 1 noted beside MT)" in err
    po_text = (workdir / "out" / "note.po").read_text("utf-8")

    # 91% beats the MT's estimate (a date is missing from it): the match fills the segment,
    # gettext's previous msgid shows what changed, the MT is kept beside it, fuzzy
    council = _entry(po_text, "note:p1:s1")
    assert f'#| msgid "{OLD_COUNCIL[0]}"' in council
    assert f'msgstr "{OLD_COUNCIL[1]}"' in council
    assert "#. prop x-tm-match: 91% reviewed.po" in council
    assert f"#. prop x-mt-alternative: {MT_COUNCIL}" in council
    assert "#, fuzzy" in council

    # 84% loses to a translation estimated at 100: the MT stays, the match is noted, fuzzy
    borders = _entry(po_text, "note:p2:s1")
    assert f'msgstr "{MT_BORDERS}"' in borders and "#|" not in borders
    assert "#. prop x-tm-match: 84% reviewed.po" in borders
    assert f"#. prop x-tm-source: {OLD_BORDERS[0]}" in borders
    assert f"#. prop x-tm-target: {OLD_BORDERS[1]}" in borders
    assert "#, fuzzy" in borders

    statement = _entry(po_text, "note:p2:s2")  # no match: machine translation, to review
    assert "x-tm-match" not in statement and "#|" not in statement and "#, fuzzy" in statement

    if shutil.which("msgfmt"):
        check = subprocess.run(
            ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(workdir / "out" / "note.po")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, check.stderr

    # read back: the offers survive the PO, and the used one is fuzzy until reviewed
    units = {u.id: u for u in read_po(workdir / "out" / "note.po").units}
    used, noted = memory_offer(units["note:p1:s1"]), memory_offer(units["note:p2:s1"])
    assert used is not None and used.used and used.percent == 91
    assert (used.source, used.target, used.alternative) == (*OLD_COUNCIL, MT_COUNCIL)
    assert noted is not None and not noted.used and (noted.source, noted.target) == OLD_BORDERS
    assert units["note:p1:s1"].fuzzy and units["note:p2:s1"].fuzzy

    # the report says the same, per segment
    report = json.loads((workdir / "out" / "note.report.json").read_text("utf-8"))
    matches = {s["id"]: s.get("memory_match") for s in report["segments"]}
    assert matches["note:p1:s1"]["used"] is True and matches["note:p1:s1"]["percent"] == 91
    assert matches["note:p2:s1"]["used"] is False and matches["note:p2:s1"]["percent"] == 84
    assert matches["note:p2:s2"] is None
    html = (workdir / "out" / "note.report.html").read_text("utf-8")
    assert "memory 91% (reviewed.po, used)" in html and "memory 84% (reviewed.po, offered)" in html

    # the TMX: the MT with its noted match stays (a translation of its own source, with the
    # offer as a prop); the used match translates another sentence and is left out
    tuids = _tuids(workdir / "out" / "note.tmx")
    assert "note:p1:s1" not in tuids
    assert tuids["note:p2:s1"]["x-tm-match"] == "84% reviewed.po"
    assert "note:p2:s2" in tuids
    assert "1 units left out (1 fuzzy memory matches to review)" in err
    # the translated text uses the filled match
    assert (workdir / "out" / "note.ru.txt").read_text("utf-8") == (
        f"{OLD_COUNCIL[1]}\n\n{MT_BORDERS} {MT_STATEMENT}\n"
    )


def test_threshold_decides_what_is_offered(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(workdir / "tm.db")
    assert _translate(workdir, "--tm", db, "--tm-threshold", "90", out="t90") == 0
    assert "1 fuzzy offered" in capsys.readouterr().err
    assert _translate(workdir, "--tm", db, "--tm-threshold", "95", out="t95") == 0
    assert "0 fuzzy offered" in capsys.readouterr().err
    po_text = (workdir / "t95" / "note.po").read_text("utf-8")
    assert "x-tm-match" not in po_text and "#|" not in po_text
    assert f'msgstr "{MT_COUNCIL}"' in po_text

    for bad, said in (
        ("0", "--tm-threshold 0 is not in 1..100"),
        ("101", "--tm-threshold 101 is not in 1..100"),
    ):
        assert _translate(workdir, "--tm", db, "--tm-threshold", bad, out="x") == 1
        assert said in capsys.readouterr().err
    assert _translate(workdir, "--tm-threshold", "80", out="x") == 1
    assert "--tm-threshold needs a memory" in capsys.readouterr().err
    assert not (workdir / "x").exists()


def test_memory_only_run_fills_from_fuzzy_matches_and_keeps_every_sentence(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--engine tm``: a fuzzy match is better than nothing; a sentence nothing translates
    stays in the text in the source language (it used to vanish), and out of the TMX."""
    argv = ["translate", str(workdir / "note.en.txt"), "--from", "en", "--to", "ru"]
    out = workdir / "out"
    assert main([*argv, "--engine", "tm", "--tm", str(workdir / "tm.db"), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "2 fuzzy offered (2 filled the segment, 0 noted beside MT)" in err
    assert "note.ru.txt: 1 untranslated segments kept in the source" in err
    assert "1 untranslated" in err  # the readiness line
    assert (out / "note.ru.txt").read_text("utf-8") == (
        f"{OLD_COUNCIL[1]}\n\n{OLD_BORDERS[1]} {STATEMENT}\n"
    )
    units = {u.id: u for u in read_po(out / "note.po").units}
    assert units["note:p2:s2"].target == ""
    offer = memory_offer(units["note:p2:s1"])
    assert offer is not None and offer.used and offer.alternative == ""
    assert _tuids(out / "note.tmx") == {}


def test_approved_leverage_comes_back_as_an_exact_reviewed_match(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The translator fixes the date in the offered match and approves it in a text editor;
    ``tm import`` takes it as reviewed; the next run uses it as an exact match."""
    db = str(workdir / "tm.db")
    assert _translate(workdir, "--tm", db) == 0
    po = workdir / "out" / "note.po"
    text = po.read_text("utf-8")
    entry = _entry(text, "note:p1:s1")
    approved = entry.replace("#, fuzzy\n", "").replace("5 марта", "7 марта")
    po.write_text(text.replace(entry, approved), "utf-8")
    assert main(["tm", "import", str(po), "--db", db, "--from", "en", "--to", "ru"]) == 0
    capsys.readouterr()
    assert _translate(workdir, "--tm", db, out="again") == 0
    assert "memory: 1 exact, 1 fuzzy offered" in capsys.readouterr().err
    units = {u.id: u for u in read_po(workdir / "again" / "note.po").units}
    council = units["note:p1:s1"]
    assert council.target == OLD_COUNCIL[1].replace("5 марта", "7 марта")
    assert not council.fuzzy and memory_offer(council) is None
    assert dict(council.props)["x-origin"] == "tm:note.po"
    # the unedited "MT" of the statement was still fuzzy: not imported, translated again and
    # still to review
    statement = units["note:p2:s2"]
    assert statement.target == MT_STATEMENT and statement.fuzzy
    assert dict(statement.props)["x-origin"] == "reference"


# -- the decision rule, on records ------------------------------------------------------------


def _record(text: str, draft: Draft, score: float | None) -> SegmentRecord:
    segment = Segment(f"d:p1:s{len(text)}", text, 1, 1, Span(0, len(text)))
    status = SegmentStatus.GOOD
    return SegmentRecord(
        segment, draft=draft, score=None if score is None else Score(score, status)
    )


def _machine(text: str) -> Draft:
    return Draft(Hypothesis(text, score=-0.5), origin="ct2", kind=DraftKind.MACHINE)


class Rescore:
    """A rescoring stage that records what it was given (a real stage of the chain would
    re-run target terms, checks and the estimate)."""

    name = "rescore"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, records: Sequence[SegmentRecord]) -> list[SegmentRecord]:
        self.calls.append([r.target for r in records])
        return [r if r.score is not None else _with_score(r) for r in records]


def _with_score(record: SegmentRecord) -> SegmentRecord:
    from dataclasses import replace

    return replace(record, score=Score(50.0, SegmentStatus.REVIEW))


@pytest.mark.parametrize(
    ("mt_score", "memory_fills"), [(90.0, True), (91.0, True), (91.5, False), (None, True)]
)
def test_the_higher_estimate_fills_the_segment(
    tmp_path: Path, mt_score: float | None, memory_fills: bool
) -> None:
    """A 91% match against the MT's score: ties and unscored MT go to the memory."""
    with TranslationMemory(tmp_path / "tm.db") as memory:
        memory.add([Unit("m", *OLD_COUNCIL)], EN_RU, "reviewed.po", created=CREATED)
        rescore = Rescore()
        stage = FuzzyMemory(memory, EN_RU, threshold=0.75, rescore=[rescore])
        other = _record(STATEMENT, _machine(MT_STATEMENT), 99.0)
        records = [_record(COUNCIL, _machine(MT_COUNCIL), mt_score), other]
        done = stage(records)
    assert done[1] == other  # no match: untouched
    draft = done[0].draft
    assert draft is not None and draft.needs_review
    if memory_fills:
        assert draft.kind is DraftKind.MEMORY and draft.text == OLD_COUNCIL[1]
        assert draft.origin == "tm:reviewed.po"
        assert dict(draft.props)["x-mt-alternative"] == MT_COUNCIL
        assert rescore.calls == [[OLD_COUNCIL[1], MT_STATEMENT]]  # the whole document
        assert done[0].score == Score(50.0, SegmentStatus.REVIEW)  # re-estimated
    else:
        assert draft.kind is DraftKind.MACHINE and draft.text == MT_COUNCIL
        assert dict(draft.props)["x-tm-target"] == OLD_COUNCIL[1]
        assert rescore.calls == []  # nothing changed, nothing re-scored


def test_unreviewed_matches_are_labelled_and_can_be_excluded(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.db") as memory:
        memory.add([Unit("m", *OLD_COUNCIL)], EN_RU, "mt.po", reviewed=False, created=CREATED)
        records = [_record(COUNCIL, _machine(MT_COUNCIL), 10.0)]
        offered = FuzzyMemory(memory, EN_RU, threshold=0.75)(records)
        excluded = FuzzyMemory(memory, EN_RU, threshold=0.75, reviewed_only=True)(records)
    draft = offered[0].draft
    assert draft is not None and dict(draft.props)["x-tm-match"] == "91% mt.po (unreviewed)"
    assert excluded == records


# -- the TMX a CAT tool applies ------------------------------------------------------------------

GARBAGE = "к к к к к к к к"


@pytest.fixture
def garbage_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An article whose second sentence the "engine" turns into a loop (score near 0)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "note.en.txt").write_text(f"{STATEMENT}\n\n{BORDERS}\n", "utf-8")
    (tmp_path / "note.ru.txt").write_text(f"{MT_STATEMENT}\n\n{GARBAGE}\n", "utf-8")
    return tmp_path


def _translate_garbage(workdir: Path, *extra: str, out: str = "out") -> int:
    argv = ["translate", str(workdir / "note.en.txt"), "--from", "en", "--to", "ru"]
    argv += ["--engine", "reference", "--reference", str(workdir / "note.ru.txt")]
    return main([*argv, "--out", str(workdir / out), *extra])


def test_tmx_leaves_out_units_the_estimate_calls_bad(
    garbage_run: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _translate_garbage(garbage_run) == 0
    err = capsys.readouterr().err
    report = json.loads((garbage_run / "out" / "note.report.json").read_text("utf-8"))
    scores = {s["id"]: s["score"] for s in report["segments"]}
    assert scores["note:p2:s1"] < 45 <= scores["note:p1:s1"]
    tuids = _tuids(garbage_run / "out" / "note.tmx")
    assert list(tuids) == ["note:p1:s1"]
    assert "note.tmx: 1 units left out (1 scored below 45)" in err
    header = etree.parse(str(garbage_run / "out" / "note.tmx")).find("header")
    assert header is not None
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert props["x-min-score"] == "45" and props["x-left-out"] == "1: 1 scored below 45"
    # the PO and the text keep every segment, for review
    assert GARBAGE in (garbage_run / "out" / "note.po").read_text("utf-8")

    assert _translate_garbage(garbage_run, "--min-score", "0", out="all") == 0
    assert list(_tuids(garbage_run / "all" / "note.tmx")) == ["note:p1:s1", "note:p2:s1"]
    assert _translate_garbage(garbage_run, "--min-score", "100.5", out="x") == 1
    assert "--min-score 100.5 is not in 0..100" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("omegat") is None, reason="omegat not installed")
@pytest.mark.parametrize(
    ("extra", "second"), [((), BORDERS), (("--min-score", "0"), GARBAGE)], ids=["default", "all"]
)
def test_omegat_never_applies_a_bad_unit_from_our_tmx(
    garbage_run: Path, extra: tuple[str, ...], second: str
) -> None:
    """The TMX in OmegaT's tm/auto: the good unit is inserted, the garbage one is not - it
    would be, as the defect was, if the TMX kept it (``--min-score 0``)."""
    from test_interop import OMEGAT_PROJECT  # the project file the interop tests use

    assert _translate_garbage(garbage_run, *extra) == 0
    project = garbage_run / "proj"
    for folder in ("source", "tm/auto", "omegat", "target", "glossary"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(OMEGAT_PROJECT, "utf-8")
    (project / "source" / "article.txt").write_text(f"{STATEMENT}\n\n{BORDERS}\n", "utf-8")
    shutil.copy(garbage_run / "out" / "note.tmx", project / "tm" / "auto" / "note.tmx")
    result = subprocess.run(
        [
            "omegat",
            "--mode=console-translate",
            f"--config-dir={garbage_run / 'cfg'}",
            "--disable-project-locking",
            "--no-team",
            str(project),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0 and "TF_TM_LOAD_ERROR" not in log, log[-2000:]
    translated = (project / "target" / "article.txt").read_text("utf-8")
    assert translated == f"{MT_STATEMENT}\n\n{second}\n"
