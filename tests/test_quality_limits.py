"""Input size is never a denial of service for the quality commands.

Every check, metric and the estimator must be linear (or capped) in the length of a line and
of a token: a 5 MB line and 200 KB tokens without spaces go through ``transpipe qe`` and
``transpipe score`` in a subprocess under an address-space limit (``RLIMIT_AS``) and a time
bound. Before the fixes, ``score`` needed ~5 GB for a 100 KB line (TER, n-gram tables), ``qe``
was quadratic (sentence counting, number matching, loop detection) and a 200 KB token never
finished (an unanchored e-mail expression).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from transpipe.model import LanguagePair
from transpipe.quality import run_checks

MEMORY_LIMIT = 3 * 1024**3  # address space, not resident memory: numpy/BLAS reserve some
CPU_LIMIT = 150  # CPU seconds (RLIMIT_CPU: independent of machine load); quadratic takes hours
WALL_LIMIT = 1200  # only a safety net for a stuck child on a very loaded machine

# 200 KB tokens without spaces, each shaped to hit a different expression
TOKENS = {
    "letters": "a" * 200_000,
    "cyrillic": "я" * 200_000,
    "dotted": "a." * 100_000,
    "digits and dots": "1." * 100_000,
    "e-mail local part": "a." * 100_000 + "@",
    "www": "www." * 50_000,
    "url": "http://" + ")" * 200_000,
    "hyphens": "a-" * 100_000,
    "digit groups": "1 " * 100_000,
}


def _limit_resources() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))


def _run_bounded(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1] / "src")
    return subprocess.run(
        [sys.executable, "-m", "transpipe", *args],
        capture_output=True,
        text=True,
        timeout=WALL_LIMIT,
        preexec_fn=_limit_resources,
        env=env,
        cwd=tmp_path,
    )


def _five_megabyte_line(words: str) -> str:
    unit = words.strip() + " "
    return unit * (5_000_000 // len(unit.encode("utf-8")) + 1)


@pytest.mark.parametrize("name", sorted(TOKENS))
def test_every_check_is_fast_on_a_200kb_token(name: str) -> None:
    token = TOKENS[name]
    for pair in (LanguagePair("ru", "en"), LanguagePair("en", "ru")):
        started = time.process_time()
        run_checks(token, token + " x", pair)
        assert time.process_time() - started < 20, f"{name} {pair}"


def test_qe_on_a_5mb_line_and_200kb_tokens_under_a_memory_limit(tmp_path: Path) -> None:
    src_lines = [
        _five_megabyte_line("Министры обсудили 10 марта безопасность, сказал он."),
        *TOKENS.values(),
        "Саммит пройдёт в Минске.",
    ]
    hyp_lines = [
        _five_megabyte_line("The ministers discussed security on March 10, he said."),
        *TOKENS.values(),
        "The summit will take place in Minsk.",
    ]
    (tmp_path / "src.txt").write_text("\n".join(src_lines) + "\n", encoding="utf-8")
    (tmp_path / "hyp.txt").write_text("\n".join(hyp_lines) + "\n", encoding="utf-8")
    result = _run_bounded(
        ["qe", "--src", "src.txt", "--hyp", "hyp.txt", "--from", "ru", "--to", "en", "--jsonl"],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in records] == list(range(1, len(src_lines) + 1))
    assert records[-1]["status"] == "good"  # the ordinary sentence after the hostile ones


def test_score_on_5mb_lines_under_a_memory_limit(tmp_path: Path) -> None:
    hyp = _five_megabyte_line("The ministers discussed security on March 10, he said.")
    ref = _five_megabyte_line("Ministers discussed security on 10 March, he said.")
    (tmp_path / "hyp.txt").write_text(hyp + "\nThe summit opened.\n" + TOKENS["letters"] + "\n")
    (tmp_path / "ref.txt").write_text(ref + "\nThe summit opened.\n" + TOKENS["letters"] + "\n")
    result = _run_bounded(["score", "--hyp", "hyp.txt", "--ref", "ref.txt", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    *segments, summary = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(segments) == 3
    long_line, short_line, token = segments
    assert 40 < long_line["chrf"] < 100 and long_line["ter"] is None  # windows; TER capped
    assert short_line["bleu"] == 100.0 and short_line["ter"] == 0.0
    assert token["chrf"] == 100.0 and token["ter"] is None
    assert summary["ter_skipped"] == 2  # the 5 MB line and the 200 KB token


def test_score_on_empty_files_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "hyp.txt").write_text("")
    (tmp_path / "ref.txt").write_text("")
    result = _run_bounded(["score", "--hyp", "hyp.txt", "--ref", "ref.txt"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "transpipe: error: hyp.txt: no segments to score: the file is empty"
    ]
    assert "Traceback" not in result.stderr and result.stdout == ""
