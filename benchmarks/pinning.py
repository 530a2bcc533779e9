"""Benchmark: glossary term pinning on the demo models, both engines, both directions.

Run: ``python benchmarks/pinning.py [--runs 3] [--engines marian,ct2] [--suppress both]``

Prints two markdown tables. (1) The pinning test set (corpora/pinning/testset.tsv with its
glossary corpora/pinning/glossary.tsv): term adherence, exact-form accuracy against the
expected outputs, whole-sentence exact match, forbidden-term leaks, unpinned -> pinned.
(2) The sample corpus (every sentence of corpora/*.{en,ru}.txt, project glossary
glossary/csto.tsv): adherence, leaks, whether sentences without glossary terms are
byte-identical to the unpinned run, and the cost (unpinned vs pinned sentences/s, median of
``--runs`` timed runs). The demo models are trained on first use (minutes per direction on a
busy machine; ``--trained DIR`` uses already trained ones) and converted to CTranslate2 int8
for the ct2 engine.
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
from transpipe.models.layout import ct2_dir_for, detect_layout, packaged_demo_dir
from transpipe.models.resolve import resolve_model
from transpipe.pinning import TermPinner, forbidden_surfaces
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
    """The demo model for ``pair`` shipped in the package, or one given with ``--trained``."""
    hf_dir = packaged_demo_dir(pair)
    if trained is None:
        return ct2_dir_for(hf_dir) if name == "ct2" else hf_dir
    hf_dir = trained / hf_dir.name
    if name != "ct2":
        return hf_dir
    ct2_dir = ct2_dir_for(hf_dir)
    if detect_layout(ct2_dir) != "ct2":
        convert_to_ct2(hf_dir, ct2_dir, quantization="int8")
    return ct2_dir


def build_engine(
    name: str,
    pair: LanguagePair,
    trained: Path | None = None,
    suppress: Glossary | None = None,
) -> Engine:
    """The demo engine; with ``suppress`` it never generates that glossary's forbidden terms."""
    directory = model_directory(name, pair, trained)
    resolved = resolve_model(str(directory), pair, name, Paths(models_dir=directory.parent))
    banned = forbidden_surfaces(suppress, pair) if suppress is not None else ()
    return create_engine(name, resolved, DecodingOptions(suppress=banned))


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    engine: str
    pair: str
    suppress: bool  # forbidden terms suppressed in decoding
    test: PinningScores  # test set, pinned
    test_plain: PinningScores  # test set, unpinned
    corpus_sentences: int
    corpus_with_terms: int
    corpus: PinningScores  # sample corpus, pinned (no expected outputs)
    corpus_plain: PinningScores
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
    test_glossary: Glossary,
    corpus_glossary: Glossary,
    cases: list[PinningCase],
    runs: int,
    trained: Path | None,
    suppress: bool = False,
) -> Row:
    engine = build_engine(engine_name, pair, trained, test_glossary if suppress else None)
    engine.translate(["."], pair)  # warm-up (lazy model load)
    # accuracy on the pinning test set (its own glossary)
    mine = [c for c in cases if c.source_lang == pair.source]
    matcher = TermMatcher(test_glossary, pair.source)
    judge = PinningJudge(test_glossary, pair)
    matches = [matcher.find(c.source) for c in mine]
    test_plain = engine.translate([c.source for c in mine], pair)
    test_pinned = TermPinner(test_glossary, pair, engine).translate(
        [c.source for c in mine], matches
    )
    test, plain_scores = PinningScores(), PinningScores()
    for case, found, hyp, result in zip(mine, matches, test_plain, test_pinned, strict=True):
        test = test + judge.score(result.hypothesis.text, found, case.expected)
        plain_scores = plain_scores + judge.score(hyp.text, found, case.expected)
    # cost and no-harm on the sample corpus (the project glossary)
    sources = corpus_sentences(pair.source)
    corpus_matcher = TermMatcher(corpus_glossary, pair.source)
    corpus_judge = PinningJudge(corpus_glossary, pair)
    corpus_matches: list[list[TermMatch]] = [corpus_matcher.find(s) for s in sources]
    if suppress:
        engine = build_engine(engine_name, pair, trained, corpus_glossary)
        engine.translate(["."], pair)
    pinner = TermPinner(corpus_glossary, pair, engine)
    plain_s, plain_out = timed(lambda: engine.translate(sources, pair), runs)
    pinned_s, pinned_out = timed(lambda: pinner.translate(sources, corpus_matches), runs)
    corpus, corpus_plain = PinningScores(), PinningScores()
    for found, hyp, result in zip(corpus_matches, plain_out, pinned_out, strict=True):
        corpus = corpus + corpus_judge.score(result.hypothesis.text, found)
        corpus_plain = corpus_plain + corpus_judge.score(hyp.text, found)
    unmatched = [i for i, m in enumerate(corpus_matches) if not m]
    identical = sum(1 for i in unmatched if pinned_out[i].hypothesis == plain_out[i])
    return Row(
        engine=engine_name,
        pair=str(pair),
        suppress=suppress,
        test=test,
        test_plain=plain_scores,
        corpus_sentences=len(sources),
        corpus_with_terms=len(sources) - len(unmatched),
        corpus=corpus,
        corpus_plain=corpus_plain,
        identical=f"{identical}/{len(unmatched)}",
        plain_sps=len(sources) / plain_s,
        pinned_sps=len(sources) / pinned_s,
        cost=pinned_s / plain_s,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="marian,ct2")
    parser.add_argument("--pairs", default="en-ru,ru-en")
    parser.add_argument("--show", action="store_true", help="print every test-set output")
    parser.add_argument(
        "--suppress",
        choices=("off", "on", "both"),
        default="off",
        help="decode with the glossary's forbidden terms suppressed (DecodingOptions.suppress)",
    )
    parser.add_argument(
        "--trained",
        type=Path,
        help="a folder with demo-en-ru/ and demo-ru-en/ already trained (default: the demo "
        "models shipped in the package)",
    )
    args = parser.parse_args(argv)
    test_glossary = load_glossary(REPO / "corpora" / "pinning" / "glossary.tsv")
    project = REPO / "glossary" / "csto.tsv"
    corpus_glossary = load_glossary(project) if project.is_file() else test_glossary
    cases = load_testset(REPO / "corpora" / "pinning" / "testset.tsv")
    rows = []
    settings = {"off": (False,), "on": (True,), "both": (False, True)}[args.suppress]
    for engine_name in args.engines.split(","):
        for pair in (p for p in PAIRS if str(p) in args.pairs.split(",")):
            for suppress in settings:
                rows.append(
                    run_direction(
                        engine_name,
                        pair,
                        test_glossary,
                        corpus_glossary,
                        cases,
                        args.runs,
                        args.trained,
                        suppress,
                    )
                )
            if args.show:
                show(engine_name, pair, test_glossary, cases, args.trained)
    print("Pinning test set (corpora/pinning/testset.tsv, glossary corpora/pinning/glossary.tsv)")
    print()
    print(
        "| engine | dir | suppress | adherence unpinned -> pinned | exact form "
        "| exact sentence | forbidden leaks unpinned -> pinned |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        t, p = row.test, row.test_plain
        print(
            f"| {row.engine} | {row.pair} | {'on' if row.suppress else 'off'} "
            f"| {p.adherence:.1%} -> {t.adherence:.1%} ({t.adherent}/{t.occurrences}) "
            f"| {p.form_accuracy:.1%} -> {t.form_accuracy:.1%} "
            f"({t.exact_forms}/{t.expected_forms}) "
            f"| {t.sentence_accuracy:.1%} ({t.exact_sentences}/{t.sentences}) "
            f"| {p.leaks} -> {t.leaks} |"
        )
    print()
    print(f"Sample corpus (corpora/*.txt, glossary {project.relative_to(REPO)}): cost and no harm")
    print()
    print(
        "| engine | dir | suppress | sentences (with terms) | adherence unpinned -> pinned "
        "| leaks unpinned -> pinned | no-term identical | unpinned sent/s | pinned sent/s "
        "| cost |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        c, p = row.corpus, row.corpus_plain
        print(
            f"| {row.engine} | {row.pair} | {'on' if row.suppress else 'off'} "
            f"| {row.corpus_sentences} ({row.corpus_with_terms}) "
            f"| {p.adherence:.1%} -> {c.adherence:.1%} ({c.adherent}/{c.occurrences}) "
            f"| {p.leaks} -> {c.leaks} | {row.identical} "
            f"| {row.plain_sps:.1f} | {row.pinned_sps:.1f} | {row.cost:.2f}x |"
        )
    print(
        f"\nmedian of {args.runs} timed runs; DecodingOptions() defaults (beam 4; ct2 int8); "
        "demo models trained on corpora/ + corpora/extra/"
    )
    return 0


def show(
    engine_name: str,
    pair: LanguagePair,
    glossary: Glossary,
    cases: list[PinningCase],
    trained: Path | None,
) -> None:
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
        print(
            f"{mark} {engine_name} {case.id}: {hyp.text!r} -> {result.hypothesis.text!r} "
            f"[{outcomes}] want {case.expected!r}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    sys.exit(main())
