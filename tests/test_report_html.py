"""The HTML report renders in headless Chromium: the table is built and the script ran."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from transpipe.config import EstimatorSettings, QualityThresholds
from transpipe.model import Bitext, LanguagePair, Provenance, Span, TermMatch, TermStatus, Unit
from transpipe.quality import run_checks
from transpipe.quality.estimate import combine
from transpipe.report import Report, write_report_html

PAIR = LanguagePair("ru", "en")
ROWS = [
    (
        "Саммит ОДКБ пройдёт 10 марта в Минске.",
        "The CSTO summit will be held in Minsk on March 10.",
        0.86,
    ),
    ("Погибли 17 человек, ещё 5 ранены.", "Seventy people died and 5 were injured.", 0.74),
    ("Министры обсудили вопросы безопасности.", "Министры обсудили вопросы безопасности.", 1.0),
    (
        "Переговоры продлились три часа и завершились подписанием.",
        "The talks lasted three hours and",
        0.62,
    ),
    (
        "Тег <img src=x onerror=alert(1)> в тексте.",
        "Tag <img src=x onerror=alert(1)> in the text.",
        0.8,
    ),
    (
        "Стороны договорились о новой встрече.",
        "The sides agreed on a new meeting on a new meeting.",
        0.55,
    ),
]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def sample_report() -> Report:
    units = []
    for i, (source, target, similarity) in enumerate(ROWS, 1):
        matches: tuple[TermMatch, ...] = ()
        if "ОДКБ" in source:
            start = source.index("ОДКБ")
            matches = (
                TermMatch(
                    "csto",
                    Span(start, start + 4),
                    "ОДКБ",
                    "ru",
                    TermStatus.ADMITTED,
                    (("en", "CSTO"),),
                ),
            )
        issues = tuple(run_checks(source, target, PAIR, source_terms=matches))
        score = combine(
            similarity, None, issues, thresholds=QualityThresholds(), settings=EstimatorSettings()
        )
        units.append(
            Unit(
                f"demo:p1:s{i}", source, target, 1, term_matches=matches, issues=issues, score=score
            )
        )
    bitext = Bitext("demo", PAIR, tuple(units), created="2026-01-01T00:00:00Z")
    return Report(
        bitext,
        source_name="demo.ru.txt",
        provenance=Provenance(engine="ct2", model="opus-mt-ru-en"),
    )


@pytest.mark.interop
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (Debian package `chromium`)")
    page = tmp_path / "report.html"
    with page.open("wb") as stream:
        write_report_html(sample_report(), stream)
    profile = tmp_path / "profile"
    screenshot = tmp_path / "report.png"
    base = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run(
        [*base, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert 'data-ready="yes"' in dom, "the report's script did not run"
    assert f'data-rows="{len(ROWS)}"' in dom
    assert dom.count("<tr data-n=") == len(ROWS)
    assert "<img" not in dom  # segment markup stayed text
    assert "&lt;img src=x onerror=alert(1)&gt;" in dom
    sorted_dom = subprocess.run(
        [*base, "--dump-dom", page.as_uri() + "#sort=score"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert 'data-sorted="score-asc"' in sorted_dom
    shown = [float(v) for v in re.findall(r'<tr data-n="\d+" data-score="([\d.]+)"', sorted_dom)]
    assert (
        len(shown) == len(ROWS)
        and shown == sorted(shown)
        and shown != [float(v) for v in re.findall(r'<tr data-n="\d+" data-score="([\d.]+)"', dom)]
    )
    subprocess.run(
        [*base, f"--screenshot={screenshot}", "--window-size=1280,2000", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
