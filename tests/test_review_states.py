"""Review states carried honestly: machine translation stays machine translation.

XLIFF ``approved="yes"`` only for reviewed units, ``mt-suggestion`` for machine output; TMX
props for origin, status and score and ``convert --min-score``; ``tm import`` stores
transpipe's own unedited output as unreviewed unless ``--reviewed``, and a translation a
person changed as reviewed; ``convert`` to text reports readiness and names what it leaves
out; a ``translate`` run's outputs go through the same path end to end.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from transpipe.cli import main
from transpipe.formats.po import write_po
from transpipe.formats.review import ReviewState, readiness, review_state
from transpipe.formats.tmx import read_tmx, write_tmx
from transpipe.formats.xliff import NS12, NS20, read_xliff, write_xliff
from transpipe.model import (
    Bitext,
    LanguagePair,
    Score,
    SegmentStatus,
    TermAudit,
    TermOutcome,
    Unit,
)
from transpipe.tm import TranslationMemory

EN_RU = LanguagePair("en", "ru")
MT = (("x-origin", "ct2"),)


def states_doc() -> Bitext:
    return Bitext(
        "states",
        EN_RU,
        (
            Unit(
                "s:p1:s1", "Machine.", "Машина.", 1, props=MT, score=Score(91.0, SegmentStatus.GOOD)
            ),
            Unit("s:p1:s2", "Memory.", "Память.", 1, props=(("x-origin", "tm:old.po"),)),
            Unit("s:p2:s1", "Edited.", "Правка.", 2, props=(*MT, ("x-review", "reviewed"))),
            Unit("s:p2:s2", "Foreign.", "Чужое.", 2),
            Unit("s:p3:s1", "Doubtful.", "Сомнительно.", 3, fuzzy=True, props=MT),
            Unit("s:p3:s2", "Empty.", "", 3, props=(("x-origin", "none"),)),
        ),
    )


def test_review_state_of_each_kind_of_unit() -> None:
    assert [review_state(u) for u in states_doc().units] == [
        ReviewState.MACHINE,
        ReviewState.REVIEWED,
        ReviewState.REVIEWED,
        ReviewState.REVIEWED,
        ReviewState.FUZZY,
        ReviewState.UNTRANSLATED,
    ]
    ready = readiness(states_doc().units)
    assert (ready.approved, ready.reviewed, ready.machine) == (4, 3, 1)
    assert (ready.fuzzy, ready.untranslated, ready.ready) == (1, 1, False)


def _xliff(version: str) -> etree._Element:
    buffer = io.BytesIO()
    write_xliff(states_doc(), buffer, version=version)
    return etree.fromstring(buffer.getvalue())


def test_xliff12_approves_only_reviewed_units() -> None:
    q = f"{{{NS12}}}"
    units = _xliff("1.2").findall(f".//{q}trans-unit")
    assert [u.get("approved") for u in units] == ["no", "yes", "yes", "yes", "no", "no"]
    targets = [u.find(q + "target") for u in units]
    assert [t.get("state") for t in targets] == [
        "translated",
        "translated",
        "translated",
        "translated",
        "needs-review-translation",
        "new",
    ]
    assert [t.get("state-qualifier") for t in targets] == [
        "mt-suggestion",
        None,
        None,
        None,
        None,
        None,
    ]


def test_xliff21_states() -> None:
    q = f"{{{NS20}}}"
    segments = _xliff("2.1").findall(f".//{q}segment")
    assert [s.get("state") for s in segments] == [
        "translated",
        "reviewed",
        "reviewed",
        "translated",
        "initial",
        "initial",
    ]


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_xliff_review_states_read_back(tmp_path: Path, version: str) -> None:
    path = tmp_path / "s.xlf"
    with path.open("wb") as stream:
        write_xliff(states_doc(), stream, version=version)
    back = read_xliff(path)
    assert [review_state(u) for u in back.units] == [review_state(u) for u in states_doc().units]


def test_foreign_mt_suggestion_is_machine(tmp_path: Path) -> None:
    path = tmp_path / "trados.xlf"
    path.write_text(
        f'<xliff version="1.2" xmlns="{NS12}"><file source-language="en" target-language="ru" '
        'datatype="plaintext" original="x"><body>'
        '<trans-unit id="1"><source>Hello.</source>'
        '<target state="translated" state-qualifier="mt-suggestion">Привет.</target></trans-unit>'
        '<trans-unit id="2" approved="yes"><source>Bye.</source>'
        '<target state="signed-off">Пока.</target></trans-unit>'
        "</body></file></xliff>",
        "utf-8",
    )
    first, second = read_xliff(path).units
    assert review_state(first) is ReviewState.MACHINE
    assert review_state(second) is ReviewState.REVIEWED


def test_tmx_props_say_origin_status_and_score(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    write_tmx(states_doc(), buffer)
    root = etree.fromstring(buffer.getvalue())
    first = {p.get("type"): p.text for p in root.find("body/tu").findall("prop")}
    assert first["x-origin"] == "ct2"
    assert first["x-status"] == "good" and first["x-score"] == "91.0"
    fuzzy = {p.get("type"): p.text for p in root.findall("body/tu")[4].findall("prop")}
    assert fuzzy["x-review"] == "fuzzy"


def _scored(tmp_path: Path) -> Path:
    units = tuple(
        Unit(
            f"d:p{i}:s1",
            f"Sentence {i}.",
            f"Предложение {i}.",
            i,
            props=MT,
            score=Score(value, SegmentStatus.GOOD if value >= 70 else SegmentStatus.BAD),
        )
        for i, value in enumerate((95.0, 0.0, 49.9, 50.0), start=1)
    )
    path = tmp_path / "scored.tmx"
    with path.open("wb") as stream:
        write_tmx(Bitext("d", EN_RU, (*units, Unit("d:p5:s1", "No score.", "Без оценки."))), stream)
    return path


def test_convert_min_score_leaves_out_low_units(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "clean.tmx"
    assert main(["convert", str(_scored(tmp_path)), str(out), "--min-score", "50"]) == 0
    assert "2 below score 50 left out" in capsys.readouterr().err
    assert [u.id for u in read_tmx(out).units] == ["d:p1:s1", "d:p4:s1", "d:p5:s1"]
    too_high = ["--min-score", "101"]
    assert main(["convert", str(_scored(tmp_path)), str(tmp_path / "x.tmx"), *too_high]) == 1
    assert "--min-score 101.0 is not in 0..100" in capsys.readouterr().err


def _transpipe_output(tmp_path: Path, suffix: str) -> Path:
    """What ``translate`` writes: machine translations, one fuzzy, one from the memory."""
    units = (
        Unit("n:p1:s1", "The summit opened.", "Саммит открылся.", 1, props=MT),
        Unit("n:p1:s2", "Leaders met.", "Лидеры встретились.", 1, props=MT),
        Unit("n:p2:s1", "Talks resumed.", "Переговоры возобновились.", 2, fuzzy=True, props=MT),
        Unit("n:p2:s2", "It rained.", "Шёл дождь.", 2, props=(("x-origin", "tm:old.po"),)),
    )
    path = tmp_path / f"n{suffix}"
    with path.open("wb") as stream:
        (write_po if suffix == ".po" else write_tmx)(Bitext("n", EN_RU, units), stream)
    return path


@pytest.mark.parametrize("suffix", [".po", ".tmx"])
def test_tm_import_stores_our_machine_translation_as_unreviewed(
    tmp_path: Path, suffix: str
) -> None:
    path = _transpipe_output(tmp_path, suffix)
    with TranslationMemory(tmp_path / "tm.db") as memory:
        stats = memory.import_file(path, EN_RU)
        assert (stats.added, stats.machine, stats.skipped_fuzzy) == (3, 2, 1)
        summit = memory.lookup("The summit opened.", EN_RU)
        rain = memory.lookup("It rained.", EN_RU)
        assert summit is not None and not summit.reviewed
        assert rain is not None and rain.reviewed
        assert memory.lookup("The summit opened.", EN_RU, reviewed_only=True) is None


def test_tm_import_reviewed_flag_and_edited_entries(tmp_path: Path) -> None:
    path = _transpipe_output(tmp_path, ".po")
    with TranslationMemory(tmp_path / "said.db") as memory:
        assert memory.import_file(path, EN_RU, reviewed=True).machine == 0
        assert memory.stats().reviewed == 3
    text = path.read_text("utf-8")
    path.write_text(text.replace('msgstr "Лидеры встретились."', 'msgstr "Лидеры собрались."'))
    with TranslationMemory(tmp_path / "edited.db") as memory:
        assert memory.import_file(path, EN_RU).machine == 1
        leaders = memory.lookup("Leaders met.", EN_RU, reviewed_only=True)
        assert leaders is not None and leaders.target == "Лидеры собрались."


def test_convert_to_text_reports_readiness_and_what_it_leaves_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "states.po"
    doc = states_doc()
    failed = TermAudit("csto", "CSTO", "ОДКБ", TermOutcome.FAILED, "")
    units = (*doc.units[:3], replace(doc.units[3], term_audit=(failed,)), *doc.units[4:])
    with source.open("wb") as stream:
        write_po(Bitext("states", EN_RU, units), stream)
    out = tmp_path / "states.ru.txt"
    assert main(["convert", str(source), str(out)]) == 0
    err = capsys.readouterr().err
    readiness_line = "readiness: 4 approved (3 reviewed, 1 machine), 1 fuzzy, 1 untranslated"
    assert f"{readiness_line}, 1 term failure" in err
    assert "1 untranslated unit(s) have no text" in err and "s:p3:s2" in err
    assert "is not ready to publish" in err
    assert out.read_text("utf-8") == "Машина. Память.\n\nПравка. Чужое.\n\nСомнительно.\n"


def test_translate_output_round_trip_through_the_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """translate (identity engine) -> tm import: machine output is fuzzy until approved and
    is not imported as reviewed; a PO edited in a text editor (translation changed, fuzzy
    removed) comes in reviewed."""
    article = tmp_path / "note.en.txt"
    article.write_text("The sides discussed security.\n\nGo back\n", "utf-8")
    out = tmp_path / "out"
    argv = ["translate", str(article), "--from", "en", "--to", "ru", "--engine", "identity"]
    assert main([*argv, "--out", str(out)]) == 0
    db = str(tmp_path / "tm.db")
    pair = ["--from", "en", "--to", "ru"]
    assert main(["tm", "import", str(out / "note.po"), "--db", db, *pair]) == 0
    assert "0 added, 0 updated, 0 unchanged, 2 skipped (2 fuzzy)" in capsys.readouterr().err
    stats_json = ["tm", "stats", "--db", db, "--json"]
    assert main(stats_json) == 0
    assert json.loads(capsys.readouterr().out)["reviewed"] == 0

    po = out / "note.po"
    text = po.read_text("utf-8")
    fixed = text.replace(
        '#, fuzzy\nmsgctxt "note:p1:s1"\nmsgid "The sides discussed security."\n'
        'msgstr "The sides discussed security."',
        'msgctxt "note:p1:s1"\nmsgid "The sides discussed security."\n'
        'msgstr "Стороны обсудили безопасность."',
    )
    assert fixed != text
    po.write_text(fixed, "utf-8")
    assert main(["tm", "import", str(po), "--db", db, *pair]) == 0
    capsys.readouterr()
    assert main(stats_json) == 0
    assert json.loads(capsys.readouterr().out)["reviewed"] == 1
