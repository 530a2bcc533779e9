"""Smoke test of benchmarks/review.py: it builds a project from a real run, opens the article
in Chromium and times PUTs against the real server, printing its table."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.interop
def test_benchmark_runs_and_reports_render_and_put_times(tmp_path: Path) -> None:
    pytest.importorskip("playwright.sync_api")
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pytest.skip("system Chromium is not installed")
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "review.py"), "--segments", "150",
         "--opens", "2", "--puts", "12", "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=900,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "rendered rows: 150" in result.stderr
    render = re.search(r"\| open article, median of 2 \(ms\) \| (\d+) \| 1000 \|", result.stdout)
    put = re.search(r"\| PUT round trip p95 \(ms\) \| ([\d.]+) \| 100 \|", result.stdout)
    assert render and 0 < int(render.group(1)) < 60_000
    assert put and 0 < float(put.group(1)) < 10_000
    assert re.search(r"load average [\d.]+ -> [\d.]+", result.stdout)
