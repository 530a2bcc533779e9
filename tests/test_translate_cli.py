"""End-to-end tests of ``transpipe translate``: real engines on the demo model, real outputs.

Checks the four outputs of issue 2 in both directions, DTD validity of the TMX, ``msgfmt -c``
on the PO, byte-identical reruns under SOURCE_DATE_EPOCH, the fast and clean failure when no
model is installed, and that a failed run leaves nothing half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import pytest
from lxml import etree

from transpipe import registry
from transpipe.cli import main
from transpipe.engines.identity import IdentityEngine
from transpipe.formats.po import read_po
from transpipe.model import Hypothesis

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "glossary" / "csto.tsv"

EN_ARTICLE = (
    "CSTO Secretary General met the President\n"
    "\n"
    "On 10 March, the CSTO Secretary General met the President of the Kyrgyz Republic. "
    "The sides discussed regional security.\n"
    "\n"
    "Go back\n"
)


def _run(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "transpipe", *argv],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=REPO,
        timeout=600,
    )


def _corpus_file(lang: str) -> Path:
    files = sorted((REPO / "corpora").glob(f"*.{lang}.txt"))
    if not files:
        pytest.fail("corpora/ has no sample articles")
    return files[0]


@pytest.fixture(scope="module")
def models_env(models_store: Path) -> dict[str, str]:
    """`--model demo` finds the demo models shipped in the package; the store stays empty."""
    return {"TRANSPIPE_MODELS_DIR": str(models_store), "SOURCE_DATE_EPOCH": "1700000000"}


@pytest.mark.parametrize(("source", "target"), [("en", "ru"), ("ru", "en")])
@pytest.mark.parametrize("engine", ["ct2", "marian"])
def test_translate_writes_all_outputs(
    source: str, target: str, engine: str, models_env: dict[str, str], tmp_path: Path
) -> None:
    article = _corpus_file(source)
    out = tmp_path / "out"
    result = _run(
        [
            "translate",
            str(article),
            "--from",
            source,
            "--to",
            target,
            "--glossary",
            str(GLOSSARY),
            "--model",
            "demo",
            "--engine",
            engine,
            "--out",
            str(out),
        ],
        models_env,
    )
    assert result.returncode == 0, result.stderr
    name = article.name[: -len(f".{source}.txt")]
    tmx = out / f"{name}.tmx"
    po = out / f"{name}.po"
    text = out / f"{name}.{target}.txt"
    report = out / f"{name}.report.json"
    for path in (tmx, po, text, report, out / f"{name}.report.html"):
        assert path.is_file() and path.stat().st_size > 0, path
    assert "terms:" in result.stderr

    # the translated article keeps the paragraph structure of the source
    source_paragraphs = article.read_text(encoding="utf-8").strip().split("\n\n")
    target_paragraphs = text.read_text(encoding="utf-8").strip().split("\n\n")
    assert len(target_paragraphs) == len(source_paragraphs)

    # tuid = segment id; the TMX holds the segments scored 45 or more (the default
    # --min-score), in document order; the report has every segment
    data = json.loads(report.read_text(encoding="utf-8"))
    tree = etree.parse(str(tmx), etree.XMLParser(resolve_entities=False, no_network=True))
    tuids = [tu.get("tuid") for tu in tree.iter("tu")]
    kept = [s["id"] for s in data["segments"] if s["target"] and s["score"] >= 45]
    assert tuids == kept
    assert all(t.startswith(f"{name}:p") for t in tuids)
    po_units = read_po(po).units
    assert [u.id for u in po_units] == [s["id"] for s in data["segments"]]


def test_demo_translation_reproduces_training_text(
    models_env: dict[str, str], tmp_path: Path
) -> None:
    """The demo model memorised the corpus: translating a corpus article gives its partner back."""
    article = _corpus_file("en")
    partner = article.with_name(article.name.replace(".en.txt", ".ru.txt"))
    out = tmp_path / "out"
    result = _run(
        [
            "translate",
            str(article),
            "--from",
            "en",
            "--to",
            "ru",
            "--model",
            "demo",
            "--engine",
            "ct2",
            "--compute-type",
            "float32",
            "--no-pin",
            "--reference",
            str(partner),
            "--out",
            str(out),
        ],
        models_env,
    )
    assert result.returncode == 0, result.stderr
    name = article.name[: -len(".en.txt")]
    report = json.loads((out / f"{name}.report.json").read_text(encoding="utf-8"))
    corpus = report["summary"]["metrics"]["corpus"]
    assert corpus["chrf"]["score"] >= 85, corpus["chrf"]
    assert "nrefs:1" in corpus["bleu"]["signature"]


def test_tmx_valid_and_po_passes_msgfmt(
    models_env: dict[str, str], tmp_path: Path, shared_dir: Path
) -> None:
    out = tmp_path / "out"
    article = _corpus_file("en")
    result = _run(
        [
            "translate",
            str(article),
            "--from",
            "en",
            "--to",
            "ru",
            "--glossary",
            str(GLOSSARY),
            "--model",
            "demo",
            "--out",
            str(out),
        ],
        models_env,
    )
    assert result.returncode == 0, result.stderr
    name = article.name[: -len(".en.txt")]
    dtd = etree.DTD(str(shared_dir / "realfiles" / "dtd" / "tmx14.dtd"))
    tree = etree.parse(
        str(out / f"{name}.tmx"),
        etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False),
    )
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) not installed")
    check = subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", os.devnull, str(out / f"{name}.po")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr


def test_same_source_date_epoch_gives_identical_bytes(
    models_env: dict[str, str], tmp_path: Path
) -> None:
    article = _corpus_file("ru")
    outputs = []
    for run_dir in ("a", "b"):
        out = tmp_path / run_dir
        result = _run(
            [
                "translate",
                str(article),
                "--from",
                "ru",
                "--to",
                "en",
                "--glossary",
                str(GLOSSARY),
                "--model",
                "demo",
                "--out",
                str(out),
            ],
            models_env,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(out)
    name = article.name[: -len(".ru.txt")]
    for suffix in (".tmx", ".po", ".en.txt"):
        first = (outputs[0] / f"{name}{suffix}").read_bytes()
        second = (outputs[1] / f"{name}{suffix}").read_bytes()
        assert first == second, suffix
    assert b"2023-11-14" in (outputs[0] / f"{name}.po").read_bytes()


def test_no_model_fails_fast_with_install_command(tmp_path: Path) -> None:
    article = tmp_path / "note.en.txt"
    article.write_text(EN_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    start = time.perf_counter()
    result = _run(
        ["translate", str(article), "--from", "en", "--to", "ru", "--out", str(out)],
        {"TRANSPIPE_MODELS_DIR": str(tmp_path / "no-models")},
    )
    elapsed = time.perf_counter() - start
    assert result.returncode == 1
    assert elapsed < 10
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "transpipe models pull" in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_identity_engine_pipeline_in_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The shipped identity engine runs the whole pipeline without a model (test double)."""
    article = tmp_path / "note.en.txt"
    article.write_text(EN_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "translate",
            str(article),
            "--from",
            "en",
            "--to",
            "ru",
            "--engine",
            "identity",
            "--glossary",
            str(GLOSSARY),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    translated = (out / "note.ru.txt").read_text(encoding="utf-8")
    # boilerplate is translated from the fixed table, prose is passed through by identity
    assert translated.rstrip("\n").endswith("Назад")
    assert "regional security" in translated
    report = json.loads((out / "note.report.json").read_text(encoding="utf-8"))
    flagged = {i["check"] for seg in report["segments"] for i in seg["issues"]}
    assert "untranslated" in flagged


def test_bad_input_leaves_no_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "broken.en.txt"
    article.write_bytes("Совет коллективной безопасности".encode("cp1251"))
    out = tmp_path / "out"
    code = main(
        [
            "translate",
            str(article),
            "--from",
            "en",
            "--to",
            "ru",
            "--engine",
            "identity",
            "--out",
            str(out),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "broken.en.txt" in err and "cp1251" in err
    assert not out.exists()


def test_translator_edited_po_is_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "note.en.txt"
    article.write_text(EN_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    argv = [
        "translate",
        str(article),
        "--from",
        "en",
        "--to",
        "ru",
        "--engine",
        "identity",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    po = out / "note.po"
    edited = po.read_text(encoding="utf-8").replace(
        "PO-Revision-Date: ", 'PO-Revision-Date: 2030-01-01 10:00+0000\\n"\n"X-Old-Revision: '
    )
    po.write_text(edited, encoding="utf-8")
    assert main(argv) == 1
    assert "note.po" in capsys.readouterr().err
    assert po.read_text(encoding="utf-8") == edited
    assert main([*argv, "--force"]) == 0
    assert po.read_text(encoding="utf-8") != edited


def test_reviewed_translations_from_memory_are_reused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A translator's reviewed PO goes into the memory; the next run reuses it before MT."""
    import polib

    article = tmp_path / "note.en.txt"
    article.write_text(EN_ARTICLE, encoding="utf-8")
    first = tmp_path / "first"
    base = ["translate", str(article), "--from", "en", "--to", "ru"]
    assert main([*base, "--engine", "identity", "--out", str(first)]) == 0

    reviewed = polib.pofile(str(first / "note.po"))
    entry = next(e for e in reviewed if e.msgctxt == "note:p2:s2")
    entry.msgstr = "Стороны обсудили региональную безопасность."
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    reviewed_path = tmp_path / "reviewed.po"
    reviewed.save(str(reviewed_path))

    db = tmp_path / "memory.db"
    assert (
        main(["tm", "import", str(reviewed_path), "--db", str(db), "--from", "en", "--to", "ru"])
        == 0
    )

    second = tmp_path / "second"
    assert main([*base, "--engine", "identity", "--tm", str(db), "--out", str(second)]) == 0
    text = (second / "note.ru.txt").read_text(encoding="utf-8")
    assert "Стороны обсудили региональную безопасность." in text
    origins = {u.id: dict(u.props)["x-origin"] for u in read_po(second / "note.po").units}
    assert origins["note:p2:s2"] == "tm:reviewed.po"
    assert origins["note:p2:s1"] == "identity"
    # the TMX, which CAT tools apply as memory, leaves the untranslated identity output out
    tree = etree.parse(str(second / "note.tmx"), etree.XMLParser(resolve_entities=False))
    tuids = [tu.get("tuid") for tu in tree.iter("tu")]
    assert "note:p2:s2" in tuids and "note:p2:s1" not in tuids

    # memory only: misses stay empty and are flagged, hits are kept
    third = tmp_path / "third"
    assert main([*base, "--engine", "tm", "--tm", str(db), "--out", str(third)]) == 0
    report = json.loads((third / "note.report.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in report["segments"]}
    assert by_id["note:p2:s2"]["target"] == "Стороны обсудили региональную безопасность."
    assert by_id["note:p2:s1"]["target"] == ""
    assert by_id["note:p2:s1"]["status"] == "bad"


def test_engine_tm_without_memory_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "note.en.txt"
    article.write_text(EN_ARTICLE, encoding="utf-8")
    code = main(
        [
            "translate",
            str(article),
            "--from",
            "en",
            "--to",
            "ru",
            "--engine",
            "tm",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    assert "--tm DB" in capsys.readouterr().err


def test_two_inputs_with_the_same_output_name_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "note.en.txt", tmp_path / "b" / "note.en.txt"
    for path in (first, second):
        path.write_text(EN_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    argv = ["translate", str(first), str(second), "--from", "en", "--to", "ru"]
    assert main([*argv, "--engine", "identity", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(first) in err[0] and str(second) in err[0]
    assert not out.exists()


class ExplodingEngine(IdentityEngine):
    """The shipped identity double, failing on one marked sentence as a broken model library
    would (a model-free plugin engine, registered below as ``exploding``)."""

    name: ClassVar[str] = "exploding"

    def _translate_batch(self, texts: list[str], prefixes: list[str | None]) -> list[Hypothesis]:
        if any("EXPLODE" in text for text in texts):
            raise RuntimeError("simulated library failure")
        return super()._translate_batch(texts, prefixes)


def test_engine_failure_on_one_article_names_it_and_the_others_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry.engines.register("exploding", f"{__name__}:ExplodingEngine", needs_model=False)
    broken = tmp_path / "broken.en.txt"
    broken.write_text("Headline\n\nFirst sentence. Then EXPLODE here. Last one.\n", "utf-8")
    fine = tmp_path / "fine.en.txt"
    fine.write_text(EN_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    argv = ["translate", str(broken), str(fine), "--from", "en", "--to", "ru"]
    assert main([*argv, "--engine", "exploding", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("transpipe: error:")]
    assert errors == [
        f"transpipe: error: {broken}: segment broken:p2:s2: engine exploding failed: "
        "RuntimeError: simulated library failure"
    ]
    assert "1 of 2 articles failed" in err and "Traceback" not in err
    # the hidden manifest (.fine.transpipe.json) records the complete set; no file of "broken"
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "fine.po",
        "fine.report.html",
        "fine.report.json",
        "fine.ru.txt",
        "fine.tmx",
    ]
