"""Our glossary exports opened by the tools we recommend them for: OmegaT 3.6's own glossary
readers (``GlossaryReaderTSV``/``GlossaryReaderCSV`` through ``jshell``) and Translate
Toolkit's TBX reader. Skipped with a reason when a consumer is missing."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from transpipe.cli import main
from transpipe.model import TermStatus
from transpipe.terms import load_glossary

pytestmark = pytest.mark.interop

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "glossary" / "csto.tsv"
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
needs_omegat = pytest.mark.skipif(
    shutil.which("jshell") is None or not OMEGAT_JAR.is_file(),
    reason="OmegaT (/usr/share/omegat/OmegaT.jar) or jshell not installed",
)

READER = r"""
import org.omegat.gui.glossary.*;
for (var name : System.getProperty("gfiles").split(java.io.File.pathSeparator)) {
  var f = new java.io.File(name);
  java.util.List<GlossaryEntry> l = name.toLowerCase().endsWith(".csv")
      ? GlossaryReaderCSV.read(f, false) : GlossaryReaderTSV.read(f, false);
  System.out.println("FILE\t" + f.getName() + "\t" + l.size());
  for (var e : l) System.out.println("ENTRY\t" + e.getSrcText() + "\t" + e.getLocText()
      + "\t" + e.getCommentText());
}
/exit
"""


def omegat_read(tmp_path: Path, files: list[Path]) -> dict[str, list[tuple[str, str, str]]]:
    """What OmegaT's glossary readers load from each file: (source, target, comment)."""
    script = tmp_path / "read.jsh"
    script.write_text(READER, encoding="utf-8")
    joined = ":".join(str(f) for f in files)
    result = subprocess.run(
        [
            "jshell",
            "-J-Dfile.encoding=UTF-8",
            f"-R-Dgfiles={joined}",
            "-R-Dfile.encoding=UTF-8",
            "-R-Dstdout.encoding=UTF-8",
            "--class-path",
            str(OMEGAT_JAR),
            str(script),
        ],
        capture_output=True,
        timeout=180,
    )
    out = result.stdout.decode("utf-8", errors="replace")
    assert result.returncode == 0, out[-2000:] + result.stderr.decode(errors="replace")[-2000:]
    loaded: dict[str, list[tuple[str, str, str]]] = {}
    current = ""
    for line in out.splitlines():
        cells = line.split("\t")
        if cells[0] == "FILE":
            current = cells[1]
            loaded[current] = []
        elif cells[0] == "ENTRY":
            loaded[current].append((cells[1], cells[2], cells[3] if len(cells) > 3 else ""))
    return loaded


@needs_omegat
def test_omegat_loads_our_omegat_layout_with_forbidden_rows_and_deepl_csv(
    tmp_path: Path,
) -> None:
    txt, utf8 = tmp_path / "csto.txt", tmp_path / "csto.utf8"
    deepl = tmp_path / "csto-deepl.csv"
    for out, layout in ((txt, "omegat"), (utf8, "omegat"), (deepl, "deepl")):
        assert main(["glossary", "export", str(GLOSSARY), str(out), "--layout", layout]) == 0
    # a .tsv name is refused: OmegaT 3.6 would silently ignore the file
    assert (
        main(["glossary", "export", str(GLOSSARY), str(tmp_path / "x.tsv"), "--layout", "omegat"])
        == 1
    )
    loaded = omegat_read(tmp_path, [txt, utf8, deepl])
    lines = txt.read_text("utf-8").splitlines()
    written = [tuple([*line.split("\t"), ""][:3]) for line in lines]
    assert loaded["csto.txt"] == written
    assert loaded["csto.utf8"] == written
    glossary = load_glossary(GLOSSARY)
    forbidden = [t for c in glossary for t in c.terms if t.status is TermStatus.FORBIDDEN]
    flagged = [entry for entry in loaded["csto.txt"] if entry[2].startswith("FORBIDDEN")]
    assert len(flagged) == len(forbidden) == 15
    assert ("Secretary General", "генсек") in {(s, t) for s, t, _ in flagged}
    assert ("General Secretary", "Генеральный секретарь") in {(s, t) for s, t, _ in flagged}
    deepl_rows = list(csv.reader(io.StringIO(deepl.read_text("utf-8"))))
    assert [(s, t) for s, t, _ in loaded["csto-deepl.csv"]] == [tuple(r) for r in deepl_rows]
    assert len({s for s, _ in deepl_rows}) == len(deepl_rows)  # DeepL: each source once


@needs_omegat
def test_real_ru_en_glossary_round_trips_through_omegat(shared_dir: Path, tmp_path: Path) -> None:
    real = shared_dir / "realfiles/termbase/glossary-omegat/loginom-ru-en-glossary.txt"
    imported = tmp_path / "loginom.tsv"
    exported = tmp_path / "loginom.txt"
    assert main(["glossary", "import", str(real), str(imported)]) == 0
    argv = ["glossary", "export", str(imported), str(exported), "--layout", "omegat"]
    assert main([*argv, "--from", "ru", "--to", "en"]) == 0
    loaded = omegat_read(tmp_path, [real, exported])
    assert len(loaded["loginom.txt"]) == 437
    original = {(s.strip(), t.strip()) for s, t, _ in loaded[real.name]}
    assert {(s, t) for s, t, _ in loaded["loginom.txt"]} == original


def test_translate_toolkit_reads_our_tbx_v2(tmp_path: Path) -> None:
    tbx = pytest.importorskip("translate.storage.tbx")
    out = tmp_path / "csto.tbx"
    assert main(["glossary", "export", str(GLOSSARY), str(out)]) == 0
    store = tbx.tbxfile.parsefile(str(out))
    glossary = load_glossary(GLOSSARY)
    expected = [
        (c.terms_in("en")[0].text, c.terms_in("ru")[0].text)
        for c in glossary
        if c.terms_in("en") and c.terms_in("ru")
    ]
    assert [(u.source, u.target) for u in store.units] == expected
    assert [u.getid() for u in store.units] == [
        c.id for c in glossary if c.terms_in("en") and c.terms_in("ru")
    ]
