"""Benchmark: the CPU a translate run spends in term matching (matcher builds + all finds).

Reproduces the issue-11 profile without MT: for an article of ``corpora/`` and its reference
translation, a fresh process (cold, like one ``transpipe translate --glossary`` run) loads the
glossary, builds the source-side ``TermMatcher`` and matches every source segment, then builds
the target-side matcher and matches every reference segment (what the quality checks do on
the translation). Times are ``time.process_time`` CPU seconds of that process, medians of
``--runs`` fresh processes:

- ``build src`` / ``build tgt``: constructing each matcher (the first Russian one also loads
  the morphology dictionaries);
- ``find``: every ``find`` call of both sides;
- ``rebuild``: building both matchers again in the same process (warm analyses): what each
  further construction costs;
- ``floor``: a process that only builds a one-word Russian glossary's matcher - the
  dictionaries' load, which any run that inflects Russian pays once.

``--cache DIR`` measures matchers loaded from a warm ``MatcherCache`` instead (compiled once
by this script before the timed processes; such a run loads no dictionary for matching).

The script uses only ``load_glossary``, ``TermMatcher`` and ``segment_text``, so the same file
measures an older tree: ``PYTHONPATH=<other checkout>/src python benchmarks/matching.py``.

Run: ``python benchmarks/matching.py [--articles NAME ...] [--runs 5] [--cache DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transpipe.terms import Glossary

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "glossary" / "csto.tsv"
DEFAULT_ARTICLES = ("unsc-debate-participation", "japarov-meets-secretary-general")
FIELDS = ("build_src", "find", "build_tgt", "total", "rebuild")


def cpu_isa() -> str:
    """The vector extensions of this CPU that matter for the numbers (from /proc/cpuinfo)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8").split()
    except OSError:
        return "unknown"
    found = [name for flag, name in (("avx2", "AVX2"), ("avx512f", "AVX-512"),
                                     ("avx512_vnni", "VNNI")) if flag in flags]  # fmt: skip
    return "/".join(found) or "none of AVX2/AVX-512/VNNI"


def measure(article: str, source: str, target: str, cache: str) -> dict[str, float]:
    """One cold measurement (run inside a fresh process); ``cache``: a MatcherCache directory
    or ""."""
    from transpipe.segment import segment_text
    from transpipe.terms import TermMatcher, load_glossary

    if cache:
        from transpipe.terms.matcher import MatcherCache

        def build(glossary: Glossary, lang: str) -> TermMatcher:
            return MatcherCache(Path(cache)).matcher(glossary, lang)
    else:
        build = TermMatcher

    src_text = (ROOT / "corpora" / f"{article}.{source}.txt").read_text(encoding="utf-8")
    tgt_text = (ROOT / "corpora" / f"{article}.{target}.txt").read_text(encoding="utf-8")
    src_segments = [s.text for s in segment_text(src_text, source).segments]
    tgt_segments = [s.text for s in segment_text(tgt_text, target).segments]
    glossary = load_glossary(GLOSSARY)
    clock = time.process_time
    start = clock()
    src_matcher = build(glossary, source)
    built_src = clock()
    found = sum(len(src_matcher.find(text)) for text in src_segments)
    found_src = clock()
    tgt_matcher = build(glossary, target)
    built_tgt = clock()
    found += sum(len(tgt_matcher.find(text)) for text in tgt_segments)
    end = clock()
    build(glossary, source)
    build(glossary, target)
    rebuilt = clock()
    return {
        "build_src": built_src - start,
        "find": (found_src - built_src) + (end - built_tgt),
        "build_tgt": built_tgt - found_src,
        "total": end - start,
        "rebuild": rebuilt - end,
        "matches": float(found),
    }


def floor() -> dict[str, float]:
    """CPU of building a matcher for a one-word Russian glossary (dictionary load)."""
    from transpipe.terms import Glossary, TermMatcher
    from transpipe.terms.glossary import Concept, Term

    glossary = Glossary((Concept("x", (Term("ru", "совет"),)),))
    start = time.process_time()
    TermMatcher(glossary, "ru")
    return {"total": time.process_time() - start}


def in_fresh_process(args: list[str]) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, *args],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    values: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", nargs="+", default=list(DEFAULT_ARTICLES))
    parser.add_argument("--source", default="en")
    parser.add_argument("--target", default="ru")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", default="", help="a MatcherCache directory (warmed first)")
    parser.add_argument(
        "--child", nargs=4, metavar=("ARTICLE", "SRC", "TGT", "CACHE"), help="internal"
    )
    parser.add_argument("--child-floor", action="store_true", help="internal")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    if args.child_floor:
        print(json.dumps(floor()))
        return

    import transpipe

    if args.cache:  # compile once, outside the timed processes
        in_fresh_process(["--child", args.articles[0], args.source, args.target, args.cache])
    print(f"transpipe from {Path(transpipe.__file__).parent}")
    print(
        f"machine load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"CPU: {cpu_isa()}; CPU seconds (time.process_time), median of {args.runs} fresh "
        "processes each" + (f"; matchers from the warm cache {args.cache}" if args.cache else "")
    )
    print()
    print(
        "| article | build src | find (both sides) | build tgt | total | rebuild both | matches |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for article in args.articles:
        runs = [
            in_fresh_process(["--child", article, args.source, args.target, args.cache])
            for _ in range(args.runs)
        ]
        medians = {key: statistics.median(r[key] for r in runs) for key in FIELDS}
        cells = " | ".join(f"{medians[key]:.3f}" for key in FIELDS)
        print(f"| {article} ({args.source}->{args.target}) | {cells} | {runs[0]['matches']:.0f} |")
    floors = [in_fresh_process(["--child-floor"])["total"] for _ in range(args.runs)]
    print()
    floor_cpu = statistics.median(floors)
    print(f"floor (one-word Russian glossary: the dictionary load): {floor_cpu:.3f}")


if __name__ == "__main__":
    main()
