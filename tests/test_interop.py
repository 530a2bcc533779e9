"""Our TMX/PO/XLIFF opened by real consumers: gettext msgfmt, OmegaT 3.6 console mode,
Translate Toolkit (Python API and po2tmx), and the TMX 1.4 DTD.

Each test skips with a reason when its consumer is missing. Consumers that exit 0 on failure
(OmegaT, pocount) are judged by their output, not their exit code.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from transpipe.formats.po import read_po, write_po
from transpipe.formats.registry import Writer
from transpipe.formats.tmx import read_tmx, write_tmx
from transpipe.model import (
    Bitext,
    Issue,
    LanguagePair,
    Score,
    SegmentStatus,
    Severity,
    TermAudit,
    TermOutcome,
    Unit,
)

pytestmark = pytest.mark.interop

EN_RU = LanguagePair("en", "ru")
SENTENCES = [
    ("The summit opened in Minsk on Monday.", "Саммит открылся в Минске в понедельник."),
    (
        "Ministers discussed «regional security» — again.",
        "Министры обсудили «региональную безопасность» — снова.",
    ),
    ("The next meeting is planned for spring.", "Следующая встреча запланирована на весну."),
]


def bitext(pair: LanguagePair = EN_RU) -> Bitext:
    units = [
        Unit(f"news:p{i}:s1", en, ru, paragraph=i) for i, (en, ru) in enumerate(SENTENCES, start=1)
    ]
    units[0] = Unit(
        units[0].id,
        units[0].source,
        units[0].target,
        paragraph=1,
        fuzzy=True,
        notes=("headline in the print edition",),
        props=(("engine", "ct2"),),
        term_audit=(TermAudit("summit", "summit", "саммит", TermOutcome.HONOURED, "Саммит"),),
        issues=(Issue("length", Severity.MINOR, "target 20% longer"),),
        score=Score(70.0, SegmentStatus.REVIEW),
    )
    units.append(Unit("news:p4:s1", "%d reports\nfiled.", "%d отчётов\nподано.", paragraph=4))
    units.append(
        Unit("news:p4:s2", 'Quote "it" \\ back\tslash\x07.', 'Цитата "это" \\ слэш\t.', paragraph=4)
    )
    return Bitext("news", pair, tuple(units), created="2026-05-09T10:00:00Z")


def _write(tmp_path: Path, name: str, writer: Writer, data: Bitext) -> Path:
    path = tmp_path / name
    with path.open("wb") as stream:
        writer(data, stream)
    return path


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) not installed")
def test_msgfmt_accepts_our_po(tmp_path: Path) -> None:
    for pair in (EN_RU, EN_RU.reversed()):
        path = _write(tmp_path, f"{pair}.po", write_po, bitext(pair))
        result = subprocess.run(
            ["msgfmt", "-c", "--check-format", "--statistics", "-o", "/dev/null", str(path)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "warning" not in result.stderr, result.stderr
        assert "4 translated messages, 1 fuzzy translation" in result.stderr


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) not installed")
def test_msgfmt_accepts_our_plural_entries(tmp_path: Path) -> None:
    unit = Unit(
        "news:p1:s1",
        "%d report",
        "%d отчёт",
        props=(
            ("x-po-msgid-plural", "%d reports"),
            ("x-po-msgstr[1]", "%d отчёта"),
            ("x-po-flags", "c-format"),
        ),
    )
    path = _write(
        tmp_path, "p.po", write_po, Bitext("news", EN_RU, (unit,), created="2026-05-09T10:00:00Z")
    )
    text = path.read_text("utf-8")
    assert 'msgstr[2] ""' in text and "nplurals=3" in text  # exactly nplurals forms for Russian
    assert "#, fuzzy, c-format" in text  # a missing form makes the entry fuzzy, not invalid
    result = subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_our_tmx_is_dtd_valid(shared_dir: Path, tmp_path: Path) -> None:
    path = _write(tmp_path, "out.tmx", write_tmx, bitext())
    dtd = etree.DTD(str(shared_dir / "realfiles/dtd/tmx14.dtd"))
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    tree = etree.parse(str(path), parser)
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


def test_translate_toolkit_reads_our_tmx_and_po(tmp_path: Path) -> None:
    tmx_store = pytest.importorskip("translate.storage.tmx")
    po_store = pytest.importorskip("translate.storage.po")
    data = bitext()
    tmx_path = _write(tmp_path, "out.tmx", write_tmx, data)
    store = tmx_store.tmxfile.parsefile(str(tmx_path))
    expected = [(u.source, u.target.replace("\x07", "")) for u in data]
    expected = [(s.replace("\x07", ""), t) for s, t in expected]
    assert [(u.source, u.target) for u in store.units] == expected
    po_path = _write(tmp_path, "out.po", write_po, data)
    catalogue = po_store.pofile.parsefile(str(po_path))
    units = [u for u in catalogue.units if not u.isheader()]
    assert [(u.source, u.target) for u in units] == expected
    assert [u.getcontext() for u in units] == [u.id for u in data]
    assert [u.isfuzzy() for u in units] == [u.fuzzy for u in data]


@pytest.mark.skipif(
    shutil.which("po2tmx") is None, reason="po2tmx (translate-toolkit) not installed"
)
def test_we_read_what_po2tmx_writes(tmp_path: Path) -> None:
    data = bitext()
    po_path = _write(tmp_path, "in.po", write_po, data)
    out = tmp_path / "po2tmx.tmx"
    result = subprocess.run(
        ["po2tmx", "-l", "ru", "--source-language=en", str(po_path), str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    back = read_tmx(out, EN_RU)
    # po2tmx drops fuzzy units; everything else must come back unchanged
    expected = [(u.source.replace("\x07", ""), u.target) for u in data if not u.fuzzy]
    assert [(u.source, u.target) for u in back] == expected


OMEGAT_PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>en</source_lang>
    <target_lang>ru</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneRussianTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


@pytest.mark.skipif(shutil.which("omegat") is None, reason="omegat not installed")
def test_omegat_console_translate_uses_our_tmx_and_parses_our_po(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    for folder in ("source", "tm/auto", "omegat", "target", "glossary"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(OMEGAT_PROJECT, "utf-8")
    (project / "source" / "article.txt").write_text(
        "\n\n".join(en for en, _ in SENTENCES) + "\n", "utf-8"
    )
    untranslated = Bitext(
        "messages",
        EN_RU,
        tuple(Unit(f"m:{i}", en, "") for i, (en, _) in enumerate(SENTENCES, start=1)),
        created="2026-05-09T10:00:00Z",
    )
    _write(project / "source", "messages.po", write_po, untranslated)
    _write(project / "tm" / "auto", "news.tmx", write_tmx, bitext())
    log = tmp_path / "omegat.log"
    with log.open("wb") as out:
        result = subprocess.run(
            [
                "omegat",
                "--mode=console-translate",
                f"--config-dir={tmp_path / 'cfg'}",
                "--disable-project-locking",
                "--no-team",
                str(project),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=120,
        )
    text = log.read_text("utf-8", errors="replace")
    assert result.returncode == 0, text[-2000:]
    assert "TF_TM_LOAD_ERROR" not in text, text[-2000:]
    translated = (project / "target" / "article.txt").read_text("utf-8")
    assert translated == "\n\n".join(ru for _, ru in SENTENCES) + "\n"
    # OmegaT parsed our PO (header, msgctxt) and filled every msgstr from our TMX
    filled = read_po(project / "target" / "messages.po")
    assert [(u.id, u.target) for u in filled] == [
        (f"m:{i}", ru) for i, (_, ru) in enumerate(SENTENCES, start=1)
    ]


def test_translate_toolkit_reads_our_xliff(tmp_path: Path) -> None:
    xliff_store = pytest.importorskip("translate.storage.xliff")
    from transpipe.formats.xliff import write_xliff

    data = bitext()
    path = _write(tmp_path, "out.xlf", write_xliff, data)
    store = xliff_store.xlifffile.parsefile(str(path))
    expected = [(u.source.replace("\x07", ""), u.target) for u in data]
    assert [(u.source, u.target) for u in store.units] == expected
    assert [u.getid().split("\x04")[-1] for u in store.units] == [u.id for u in data]
    assert [u.isfuzzy() for u in store.units] == [u.fuzzy for u in data]


def test_our_po_reads_back_identically(tmp_path: Path) -> None:
    data = bitext()
    back = read_po(_write(tmp_path, "x.po", write_po, data))
    clean = [
        Unit(
            u.id,
            u.source.replace("\x07", ""),
            u.target,
            u.paragraph,
            u.kind,
            u.fuzzy,
            u.notes,
            u.props,
            (),
            u.term_audit,
            u.issues,
            u.score,
        )
        for u in data
    ]
    assert list(back.units) == clean


def test_tmx_bytes_have_no_bom_and_declare_utf8() -> None:
    buffer = io.BytesIO()
    write_tmx(bitext(), buffer)
    assert buffer.getvalue().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx')
