"""Benchmark: glossary term pinning on the demo models, both engines, both directions.

Run: ``python benchmarks/pinning.py [--runs 3] [--engines marian,ct2]``

Prints one markdown table: term adherence, exact-form accuracy against the expected outputs
(corpora/pinning/testset.tsv), whole-sentence exact match, forbidden-term leaks, whether the
sentences without glossary terms are byte-identical to the unpinned run, and the cost
(unpinned vs pinned sentences/s, median of ``--runs`` timed runs) on the sample corpus
(every sentence of corpora/*.{en,ru}.txt plus the test set). The demo models are trained on
first use (1-2 min per direction) and converted to CTranslate2 int8 for the ct2 engine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from transpipe.config import DecodingOptions, Paths
from transpipe.engines import Engine, create_engine
from transpipe.model import LanguagePair, TermMatch
from transpipe.models.convert import convert_to_ct2
from transpipe.models.demo import ensure_demo_ct2, ensure_demo_model
from transpipe.models.resolve import ct2_dir_for, detect_layout, resolve_model
from transpipe.pinning import TermPinner
from transpipe.pinning.evaluation import PinningCase, PinningJudge, PinningScores, load_testset
from transpipe.segment import segment_text
from transpipe.terms import Glossary, TermMatcher, load_glossary

REPO = Path(__file__).resolve().parents[1]
T = TypeVar("T")
PAIRS = (LanguagePair("en", "ru"), LanguagePair("ru", "en"))


def corpus_sentences(lang: str) -> list[str]:
    sentences: list[str] = []
    for path in sorted((REPO / "corpora").glob(f"*.{lang}.txt")):
        document = segment_text(path.read_text(encoding="utf-8"), lang, path.stem)
        sentences.extend(s.text for s in document.segments)
    return sentences


def model_directory(name: str, pair: LanguagePair, trained: Path | None) -> Path:
    """The demo model for ``pair`` (trained on first use), or one given with ``--trained``."""
    models = REPO / "models"
    if trained is None:
        return ensure_demo_ct2(models, pair) if name == "ct2" else ensure_demo_model(models, pair)
    hf_dir = trained / f"demo-{pair.source}-{pair.target}"
    if name != "ct2":
        return hf_dir
    ct2_dir = ct2_dir_for(hf_dir)
    if detect_layout(ct2_dir) != "ct2":
        convert_to_ct2(hf_dir, ct2_dir, quantization="int8")
    return ct2_dir


def build_engine(name: str, pair: LanguagePair, trained: Path | None = None) -> Engine:
    directory = model_directory(name, pair, trained)
    resolved = resolve_model(str(directory), pair, name, Paths(models_dir=directory.parent))
    return create_engine(name, resolved, DecodingOptions())


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    engine: str
    pair: str
    sentences: int
    scores: PinningScores
    plain: PinningScores
    plain_leaks: int
    identical: str
    plain_sps: float
    pinned_sps: float
    cost: float


def timed(function: Callable[[], T], runs: int) -> tuple[float, T]:
    """Median seconds of ``runs`` calls, and the last result."""
    times: list[float] = []
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run_direction(
    engine_name: str,
    pair: LanguagePair,
    glossary: Glossary,
    cases: list[PinningCase],
    runs: int,
    trained: Path | None,
) -> Row:
    engine = build_engine(engine_name, pair, trained)
    matcher = TermMatcher(glossary, pair.source)
    judge = PinningJudge(glossary, pair)
    mine = [c for c in cases if c.source_lang == pair.source]
    sources = [c.source for c in mine] + corpus_sentences(pair.source)
    matches: list[list[TermMatch]] = [matcher.find(s) for s in sources]
    pinner = TermPinner(glossary, pair, engine)
    engine.translate(sources[:4], pair)  # warm-up (lazy model load)
    plain_s, plain_out = timed(lambda: engine.translate(sources, pair), runs)
    pinned_s, pinned_out = timed(lambda: pinner.translate(sources, matches), runs)
    scores = PinningScores()
    for index, result in enumerate(pinned_out):
        expected = mine[index].expected if index < len(mine) else None
        scores = scores + judge.score(result.hypothesis.text, matches[index], expected)
    unmatched = [i for i, m in enumerate(matches) if not m]
    identical = sum(
        1 for i in unmatched if pinned_out[i].hypothesis.text == plain_out[i].text
    )
    plain_leaks = sum(judge.leaks(h.text) for h in plain_out)
    plain_scores = PinningScores()
    for index, hyp in enumerate(plain_out):
        expected = mine[index].expected if index < len(mine) else None
        plain_scores = plain_scores + judge.score(hyp.text, matches[index], expected)
    return Row(
        engine=engine_name,
        pair=str(pair),
        sentences=len(sources),
        scores=scores,
        plain=plain_scores,
        plain_leaks=plain_leaks,
        identical=f"{identical}/{len(unmatched)}",
        plain_sps=len(sources) / plain_s,
        pinned_sps=len(sources) / pinned_s,
        cost=pinned_s / plain_s,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="marian,ct2")
    parser.add_argument("--show", action="store_true", help="print every test-set output")
    parser.add_argument(
        "--trained",
        type=Path,
        help="a folder with demo-en-ru/ and demo-ru-en/ already trained (default: models/, "
        "trained on first use)",
    )
    args = parser.parse_args(argv)
    glossary = load_glossary(REPO / "corpora" / "pinning" / "glossary.tsv")
    cases = load_testset(REPO / "corpora" / "pinning" / "testset.tsv")
    rows = []
    for engine_name in args.engines.split(","):
        for pair in PAIRS:
            rows.append(run_direction(engine_name, pair, glossary, cases, args.runs, args.trained))
            if args.show:
                show(engine_name, pair, glossary, cases, args.trained)
    print("| engine | dir | sents | adherence (plain -> pinned) | exact form | exact sent. "
          "| leaks (plain -> pinned) | no-term identical | unpinned sent/s | pinned sent/s "
          "| cost |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        s, p = row.scores, row.plain
        print(
            f"| {row.engine} | {row.pair} | {row.sentences} "
            f"| {p.adherence:.1%} -> {s.adherence:.1%} ({s.adherent}/{s.occurrences}) "
            f"| {s.form_accuracy:.1%} ({s.exact_forms}/{s.expected_forms}) "
            f"| {s.sentence_accuracy:.1%} ({s.exact_sentences}/{s.sentences}) "
            f"| {row.plain_leaks} -> {s.leaks} | {row.identical} "
            f"| {row.plain_sps:.1f} | {row.pinned_sps:.1f} | {row.cost:.2f}x |"
        )
    print(f"\nmedian of {args.runs} timed runs per cell; DecodingOptions() defaults "
          "(beam 4; ct2 int8); demo models trained on corpora/ + corpora/extra/")
    return 0


def show(engine_name: str, pair: LanguagePair, glossary: Glossary,
         cases: list[PinningCase], trained: Path | None) -> None:
    engine = build_engine(engine_name, pair, trained)
    matcher = TermMatcher(glossary, pair.source)
    mine = [c for c in cases if c.source_lang == pair.source]
    results = TermPinner(glossary, pair, engine).translate(
        [c.source for c in mine], [matcher.find(c.source) for c in mine]
    )
    plain = engine.translate([c.source for c in mine], pair)
    for case, result, hyp in zip(mine, results, plain, strict=True):
        mark = "OK " if result.hypothesis.text == case.expected else "BAD"
        outcomes = ",".join(a.outcome.value for a in result.audit)
        print(f"{mark} {engine_name} {case.id}: {hyp.text!r} -> {result.hypothesis.text!r} "
              f"[{outcomes}] want {case.expected!r}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
