"""Smoke test of benchmarks/pipeline.py: its timing instruments measure real pipeline runs.

Runs the benchmark's in-process measurement (``run_articles`` with the MT-timing engine) on
one short article with the demo model, and checks the ``-X importtime`` parser on output of a
real ``python -X importtime`` run.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from transpipe.config import DecodingOptions, Paths, TranslateConfig
from transpipe.model import LanguagePair

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "pipeline.py"
PAIR = LanguagePair("en", "ru")


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_pipeline", BENCHMARK)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {BENCHMARK}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_run_articles_splits_mt_from_the_rest(
    bench: ModuleType, demo_ct2_en_ru: Path, repo_root: Path, tmp_path: Path
) -> None:
    article = tmp_path / "summit.en.txt"
    article.write_text(
        "The Collective Security Council met in Minsk on Friday.\n\n"
        "The Secretary General presented the annual report. The session ended at noon.\n",
        encoding="utf-8",
    )
    decoding = DecodingOptions(beam_size=2, compute_type="float32")
    engine = bench.load_engine(demo_ct2_en_ru, PAIR, decoding)
    config = TranslateConfig(
        pair=PAIR,
        decoding=decoding,
        glossary=repo_root / "glossary" / "csto.tsv",
        pin_terms=True,
        created="2026-01-01T00:00:00Z",
        paths=Paths(models_dir=tmp_path / "models"),
    )
    times = bench.run_articles(engine, config, [article], use_glossary=True)

    assert times.segments == 3
    assert engine.decoded >= 3  # every sentence decoded at least once
    assert times.target_tokens > 0
    assert 0.0 < times.mt_wall < times.total_wall
    for stage in ("glossary load", "read+segment", "terms", "translate", "quality", "report"):
        assert stage in times.wall and stage in times.cpu, stage
    assert times.wall["translate"] >= times.mt_wall  # MT happens inside the translate stage
    # the stages account for the whole run (the remainder is booked as untimed)
    assert sum(times.wall.values()) == pytest.approx(times.total_wall, rel=1e-6)
    assert 0.0 < times.non_mt_share("wall") < 100.0
    rows = bench.stage_rows(times, "cpu")
    assert rows["translate: MT"] == times.mt_cpu
    assert "translate" not in rows


def test_parse_importtime_reads_a_real_importtime_run(bench: ModuleType) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import json, transpipe.config"],
        capture_output=True,
        text=True,
        check=True,
    )
    total, top, packages = bench.parse_importtime(done.stderr)
    assert total > 0
    assert "json" in top and "transpipe.config" in top
    assert "transpipe" in packages and "json" in packages
    assert top["json"] >= packages["json"] // 2  # cumulative includes its own modules
    assert sum(packages.values()) == total
