"""Interop: OmegaT's own segmenter, loaded with our exported SRX rules, splits like we do.

Runs OmegaT's ``org.omegat.core.segmentation.Segmenter`` (Java regex, OmegaT's rule engine)
through ``jshell`` on every single-line case of the regression suite. Skipped when OmegaT or
a JDK is not installed (Debian: ``apt-get install omegat``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from test_segment_cases import CASES, SRX_LIMITS
from transpipe.segment import load_rules
from transpipe.segment.srx import export_srx

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")

pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(
        shutil.which("jshell") is None or not OMEGAT_JAR.is_file(),
        reason="OmegaT (/usr/share/omegat/OmegaT.jar) or jshell not installed",
    ),
]

SCRIPT = r"""
import org.omegat.core.segmentation.*;
import org.omegat.util.Language;
import javax.xml.parsers.*;
import org.w3c.dom.*;
import java.nio.file.*;
var dbf = DocumentBuilderFactory.newInstance();
dbf.setNamespaceAware(true);
dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
var doc = dbf.newDocumentBuilder().parse(new java.io.File(System.getProperty("srx")));
var maps = new java.util.ArrayList<MapRule>();
var lrs = doc.getElementsByTagNameNS("*", "languagerule");
var lms = doc.getElementsByTagNameNS("*", "languagemap");
for (int m = 0; m < lms.getLength(); m++) {
  var lm = (Element) lms.item(m);
  var name = lm.getAttribute("languagerulename");
  var rules = new java.util.ArrayList<Rule>();
  for (int i = 0; i < lrs.getLength(); i++) {
    var lr = (Element) lrs.item(i);
    if (!lr.getAttribute("languagerulename").equals(name)) continue;
    var rs = lr.getElementsByTagNameNS("*", "rule");
    for (int j = 0; j < rs.getLength(); j++) {
      var r = (Element) rs.item(j);
      var b = r.getElementsByTagNameNS("*", "beforebreak").item(0).getTextContent();
      var a = r.getElementsByTagNameNS("*", "afterbreak").item(0).getTextContent();
      rules.add(new Rule(!"no".equals(r.getAttribute("break")), b, a));
    }
  }
  maps.add(new MapRule(name, lm.getAttribute("languagepattern"), rules));
}
var srx = new SRX();
srx.setMappingRules(maps);
var seg = new Segmenter();
seg.setSRX(srx);
for (var row : Files.readAllLines(Path.of(System.getProperty("input")))) {
  var cols = row.split("\t", 3);
  System.out.println("CASE\t" + cols[0]);
  var spaces = new java.util.ArrayList<StringBuilder>();
  var brules = new java.util.ArrayList<Rule>();
  for (var s : seg.segment(new Language(cols[1]), cols[2], spaces, brules)) {
    System.out.println("SEG\t" + s);
  }
}
/exit
"""


def test_omegat_segments_our_cases_like_we_do(tmp_path: Path) -> None:
    srx = tmp_path / "transpipe.srx"
    srx.write_bytes(export_srx([load_rules("ru"), load_rules("en")]))
    expected: dict[str, list[str]] = {}
    rows = []
    for case in CASES:
        if "\n" in case.text or case.id in SRX_LIMITS:
            continue
        expected[case.id] = list(case.sentences)
        rows.append(f"{case.id}\t{case.lang}\t{case.text}\n")
    cases = tmp_path / "cases.tsv"
    cases.write_text("".join(rows), encoding="utf-8")
    script = tmp_path / "segment.jsh"
    script.write_text(SCRIPT, encoding="utf-8")
    result = subprocess.run(
        [
            "jshell",
            f"-R-Dsrx={srx}",
            f"-R-Dinput={cases}",
            f"-R-Djava.util.prefs.userRoot={tmp_path / 'prefs'}",
            "-R-Dfile.encoding=UTF-8",
            "-J-Dfile.encoding=UTF-8",
            "--class-path",
            str(OMEGAT_JAR),
            str(script),
        ],
        capture_output=True,
        check=False,
        timeout=300,
    )
    got: dict[str, list[str]] = {}
    current = ""
    for line in result.stdout.decode("utf-8").splitlines():
        if line.startswith("CASE\t"):
            current = line[5:]
            got[current] = []
        elif line.startswith("SEG\t"):
            got[current].append(line[4:].strip())
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    assert len(expected) > 50
    assert got == expected
