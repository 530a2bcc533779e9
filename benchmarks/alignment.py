"""Sentence-alignment benchmark: transpipe vs a Gale-Church and an embeddings-only baseline.

Builds realistic document pairs from the WMT document-level ru-en test sets in
``../shared/eval/documents/*.docs.tsv`` (one gold 1-1 sentence pair per row, original Russian
and its English reference), perturbs them, keeps the gold links, aligns, and scores:

* perturbation levels: merge a share of adjacent sentences on one side (gold 1-2 / 2-1 links)
  and delete a share of sentences on either side (gold 1-0 / 0-1 links); levels are given as
  ``merged%+deleted%`` of the document's sentences;
* a ``resplit`` level joins each paragraph back into running text and re-segments both sides
  with ``transpipe.segment`` (gold links follow from character offsets), when that exists;
* strict and lax precision / recall / F1 as defined by Vecalign's and Bertalign's ``score.py``
  (re-implemented here, see ``score_alignments``), micro-averaged over documents;
* speed (sentences/s, both sides counted), and a 2,000 x 2,000 sentence document (all
  documents concatenated) aligned in a child process for wall time and peak RSS.

Run: ``python benchmarks/alignment.py`` (a few minutes on an idle 2-core machine; sentence
encoding dominates, so it is several times slower on a loaded one). ``--quick`` runs
newstest2021 only without the large case; ``--big`` only the large case (``--big-runs N``).
Tuning used newstest2021 only; generaltest2022 is held out.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transpipe.embeddings import SentenceEncoder

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "eval" / "documents"
DATASETS = ("newstest2021.ru-en", "generaltest2022.ru-en")
LEVELS = ((0.0, 0.0), (0.05, 0.02), (0.10, 0.05), (0.15, 0.08))

GoldLink = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass
class DocPair:
    """One document pair with its gold alignment."""

    name: str
    src: list[str]
    tgt: list[str]
    src_para: list[int]
    tgt_para: list[int]
    gold: list[GoldLink] = field(default_factory=list)


def load_documents(path: Path) -> list[DocPair]:
    """Group the rows of a ``*.docs.tsv`` file into gold 1-1 document pairs (ru -> en refA)."""
    docs: dict[str, DocPair] = {}
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        col = {name: k for k, name in enumerate(header)}
        for line in handle:
            row = line.rstrip("\n").split("\t")
            doc = docs.setdefault(row[col["doc_id"]], DocPair(row[col["doc_id"]], [], [], [], []))
            para = int(row[col["para"]])
            doc.src.append(row[col["ru"]])
            doc.tgt.append(row[col["en_refA"]])
            doc.src_para.append(para)
            doc.tgt_para.append(para)
    for doc in docs.values():
        doc.gold = [((k,), (k,)) for k in range(len(doc.src))]
    return list(docs.values())


def perturb(doc: DocPair, merge_rate: float, delete_rate: float, rng: random.Random) -> DocPair:
    """Merge adjacent sentences on one side and delete sentences on either side."""
    n = len(doc.src)
    n_merge = round(n * merge_rate)
    n_delete = round(n * delete_rate)
    # each gold unit is a list of (src texts, tgt texts, para); operate on unit positions
    units: list[tuple[list[str], list[str], int, int]] = [
        ([s], [t], p, q)
        for s, t, p, q in zip(doc.src, doc.tgt, doc.src_para, doc.tgt_para, strict=True)
    ]
    used: set[int] = set()
    for _ in range(n_merge):
        choices = [k for k in range(n - 1) if k not in used and k + 1 not in used]
        if not choices:
            break
        k = rng.choice(choices)
        used.update((k, k + 1))
        side = rng.randrange(2)
        a, b = units[k], units[k + 1]
        if side == 0:  # source sentences k and k+1 become one sentence: gold 1-2
            units[k] = ([a[0][0] + " " + b[0][0]], a[1] + b[1], a[2], a[3])
        else:  # target sentences merged: gold 2-1
            units[k] = (a[0] + b[0], [a[1][0] + " " + b[1][0]], a[2], a[3])
        units[k + 1] = ([], [], -1, -1)
    for _ in range(n_delete):
        choices = [k for k in range(n) if k not in used]
        if not choices:
            break
        k = rng.choice(choices)
        used.add(k)
        s, t, p, q = units[k]
        units[k] = (s, [], p, q) if rng.randrange(2) else ([], t, p, q)
    out = DocPair(doc.name, [], [], [], [])
    for s, t, p, q in units:
        if not s and not t:
            continue
        link = (
            tuple(range(len(out.src), len(out.src) + len(s))),
            tuple(range(len(out.tgt), len(out.tgt) + len(t))),
        )
        out.src.extend(s)
        out.tgt.extend(t)
        out.src_para.extend([p] * len(s))
        out.tgt_para.extend([q] * len(t))
        out.gold.append(link)
    return out


def resplit(doc: DocPair) -> DocPair | None:
    """Re-segment both sides with transpipe's segmenter; gold links follow character offsets."""
    try:
        from transpipe.segment import segment_text
    except ImportError:
        return None
    sides = []
    for sentences, paras, lang in ((doc.src, doc.src_para, "ru"), (doc.tgt, doc.tgt_para, "en")):
        text_parts: list[str] = []
        owner: list[tuple[int, int, int]] = []  # (start, end, gold sentence index)
        pos = 0
        for k, sentence in enumerate(sentences):
            if k > 0:
                sep = "\n\n" if paras[k] != paras[k - 1] else " "
                text_parts.append(sep)
                pos += len(sep)
            owner.append((pos, pos + len(sentence), k))
            text_parts.append(sentence)
            pos += len(sentence)
        text = "".join(text_parts)
        segmented = segment_text(text, lang, doc.name)
        segs = list(segmented.segments)
        seg_owner = []
        for seg in segs:
            hit = {k for start, end, k in owner if start < seg.span.end and seg.span.start < end}
            seg_owner.append(hit)
        sides.append(([s.text for s in segs], [s.paragraph for s in segs], seg_owner))
    (src, src_para, src_owner), (tgt, tgt_para, tgt_owner) = sides
    # connected components over (source segment) - gold pair - (target segment)
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    def union(x: tuple[str, int], y: tuple[str, int]) -> None:
        parent[find(x)] = find(y)

    for i, owners in enumerate(src_owner):
        find(("s", i))
        for k in owners:
            union(("s", i), ("g", k))
    for j, owners in enumerate(tgt_owner):
        find(("t", j))
        for k in owners:
            union(("t", j), ("g", k))
    groups: dict[tuple[str, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i in range(len(src)):
        groups[find(("s", i))][0].append(i)
    for j in range(len(tgt)):
        groups[find(("t", j))][1].append(j)
    gold = sorted(
        ((tuple(s), tuple(t)) for s, t in groups.values()),
        key=lambda link: (link[0][0] if link[0] else 10**9, link[1][0] if link[1] else 10**9),
    )
    return DocPair(doc.name, src, tgt, src_para, tgt_para, gold)


# --- scoring (definitions of Vecalign / Bertalign score.py, re-implemented) ----------------


def _precision_counts(
    gold: Sequence[GoldLink], test: Sequence[GoldLink]
) -> tuple[int, int, int, int]:
    """Strict and lax true/false positives of ``test`` links against ``gold`` links.

    Strict: the test link equals a gold link. Lax: some source sentence of the test link is in
    a gold link whose target shares a sentence with the test link's target.
    """
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    test_set = {(tuple(s), tuple(t)) for s, t in test if s or t}
    gold_targets_of_source: dict[int, set[int]] = defaultdict(set)
    for s, t in gold_set:
        for i in s:
            gold_targets_of_source[i].update(t)
    tp_strict = fp_strict = tp_lax = fp_lax = 0
    for s, t in test_set:
        if (s, t) in gold_set:
            tp_strict += 1
            tp_lax += 1
            continue
        fp_strict += 1
        reachable = set().union(*(gold_targets_of_source[i] for i in s)) if s else set()
        if reachable & set(t):
            tp_lax += 1
        else:
            fp_lax += 1
    return tp_strict, fp_strict, tp_lax, fp_lax


def score_alignments(
    gold_docs: Sequence[Sequence[GoldLink]], test_docs: Sequence[Sequence[GoldLink]]
) -> dict[str, float]:
    """Micro-averaged strict/lax precision, recall and F1 over documents.

    Precision counts every test link (null links included) against the gold; recall swaps the
    roles and ignores null (1-0 / 0-1) links on both sides, as Vecalign's score.py does.
    """
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold, test in zip(gold_docs, test_docs, strict=True):
        for k, v in enumerate(_precision_counts(gold, test)):
            p[k] += v
        gold_content = [(s, t) for s, t in gold if s and t]
        test_content = [(s, t) for s, t in test if s and t]
        for k, v in enumerate(_precision_counts(test_content, gold_content)):
            r[k] += v

    def ratio(a: int, b: int) -> float:
        return a / (a + b) if a + b else 0.0

    def f1(x: float, y: float) -> float:
        return 2 * x * y / (x + y) if x + y else 0.0

    ps, pl, rs, rl = ratio(p[0], p[1]), ratio(p[2], p[3]), ratio(r[0], r[1]), ratio(r[2], r[3])
    return {
        "p_strict": ps,
        "r_strict": rs,
        "f1_strict": f1(ps, rs),
        "p_lax": pl,
        "r_lax": rl,
        "f1_lax": f1(pl, rl),
    }


# --- systems -------------------------------------------------------------------------------

Aligner = Callable[[DocPair], list[GoldLink]]


def make_systems(encoder: SentenceEncoder) -> dict[str, Aligner]:
    from transpipe.align import AlignWeights, align_segments
    from transpipe.model import LanguagePair

    pair = LanguagePair("ru", "en")

    def transpipe_system(doc: DocPair) -> list[GoldLink]:
        links = align_segments(
            doc.src,
            doc.tgt,
            pair,
            encoder=encoder,
            src_paragraphs=doc.src_para,
            tgt_paragraphs=doc.tgt_para,
        )
        return [(link.source, link.target) for link in links]

    def embeddings_only(doc: DocPair) -> list[GoldLink]:
        links = align_segments(
            doc.src, doc.tgt, pair, encoder=encoder, weights=AlignWeights.embeddings_only()
        )
        return [(link.source, link.target) for link in links]

    def gale_church(doc: DocPair) -> list[GoldLink]:
        links = align_segments(doc.src, doc.tgt, pair, length_only=True)
        return [(link.source, link.target) for link in links]

    return {
        "transpipe": transpipe_system,
        "embeddings-only": embeddings_only,
        "gale-church (length)": gale_church,
    }


def run_level(
    docs: Sequence[DocPair], systems: dict[str, Aligner]
) -> dict[str, tuple[dict[str, float], float, float]]:
    """Align every document with every system: (scores, sentences/s wall, sentences/CPU-s)."""
    results: dict[str, tuple[dict[str, float], float, float]] = {}
    sentences = sum(len(d.src) + len(d.tgt) for d in docs)
    for name, system in systems.items():
        start = time.perf_counter()
        cpu = time.process_time()
        tests = [system(doc) for doc in docs]
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
        results[name] = (
            score_alignments([d.gold for d in docs], tests),
            sentences / elapsed,
            sentences / max(cpu, 1e-9),
        )
    return results


def big_case(size: int) -> dict[str, float]:
    """Child-process body: align a ``size`` x ``size`` document built from all documents."""
    from transpipe.align import align_segments
    from transpipe.embeddings import SentenceEncoder
    from transpipe.model import LanguagePair

    docs = [d for name in DATASETS for d in load_documents(SHARED / f"{name}.docs.tsv")]
    src: list[str] = []
    tgt: list[str] = []
    for doc in docs:
        src.extend(doc.src)
        tgt.extend(doc.tgt)
    src, tgt = src[:size], tgt[:size]
    encoder = SentenceEncoder()
    encoder.encode(["warm up"])  # model load is reported separately
    start = time.perf_counter()
    cpu = time.process_time()
    links = align_segments(src, tgt, LanguagePair("ru", "en"), encoder=encoder)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    gold = [((k,), (k,)) for k in range(len(src))]
    scores = score_alignments([gold], [[(x.source, x.target) for x in links]])
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "peak_rss_mib": peak_kib / 1024,
        "f1_strict": scores["f1_strict"],
        "sentences": len(src) + len(tgt),
    }


def large_case(size: int, runs_wanted: int) -> None:
    """Run ``big_case`` in fresh child processes (for peak RSS) and print the median."""
    print("\n## Large document (child process; model load excluded)\n")
    print(f"Load average at start: {os.getloadavg()[0]:.1f} (2-core machine).\n")
    header = ["size", "runs", "median s", "median CPU s", "peak RSS MiB", "F1 strict", "sent/s"]
    print(_fmt_row(header))
    print(_fmt_row(["---"] * len(header)))
    runs = []
    for _ in range(runs_wanted):
        out = subprocess.run(
            [sys.executable, __file__, "--big-only", str(size)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    secs = statistics.median(r["seconds"] for r in runs)
    cpu = statistics.median(r["cpu_seconds"] for r in runs)
    print(
        _fmt_row(
            [
                f"{size} x {size}",
                len(runs),
                f"{secs:.1f}",
                f"{cpu:.1f}",
                f"{max(r['peak_rss_mib'] for r in runs):.0f}",
                f"{runs[0]['f1_strict']:.3f}",
                f"{runs[0]['sentences'] / secs:.0f}",
            ]
        )
    )


def _fmt_row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="newstest2021 only, no large case")
    parser.add_argument("--big-only", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=2000, help="size of the large case")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--big-runs", type=int, default=1, help="runs of the large case")
    parser.add_argument("--big", action="store_true", help="only the large case")
    args = parser.parse_args(argv)
    if args.big_only:
        print(json.dumps(big_case(args.big_only)))
        return 0
    if not SHARED.is_dir():
        print(f"no data: {SHARED} is missing", file=sys.stderr)
        return 1

    from transpipe.embeddings import SentenceEncoder

    encoder = SentenceEncoder()
    encoder.encode(["warm up"])
    systems = make_systems(encoder)
    datasets = () if args.big else DATASETS[:1] if args.quick else DATASETS
    if not datasets:
        large_case(args.size, args.big_runs)
        return 0
    print("## Sentence alignment, ru -> en (strict / lax F1, Vecalign/Bertalign definitions)\n")
    print(
        "Levels: merged% + deleted% of sentences; gold links kept. Speed = sentences/s of "
        "wall time and of process CPU time (both sides; embeddings of a level are cached "
        f"after the first system). Load average at start: {os.getloadavg()[0]:.1f}.\n"
    )
    header = [
        "data",
        "level",
        "docs",
        "gold links",
        "system",
        "P strict",
        "R strict",
        "F1 strict",
        "F1 lax",
        "sent/s",
        "sent/CPU-s",
    ]
    print(_fmt_row(header))
    print(_fmt_row(["---"] * len(header)))
    for name in datasets:
        base = load_documents(SHARED / f"{name}.docs.tsv")
        rng = random.Random(args.seed)
        level_docs: list[tuple[str, list[DocPair]]] = []
        for merge, delete in LEVELS:
            label = f"{merge:.0%}+{delete:.0%}"
            level_docs.append((label, [perturb(d, merge, delete, rng) for d in base]))
        resplit_docs = [r for r in (resplit(d) for d in base) if r is not None]
        if resplit_docs:
            level_docs.append(("resplit", resplit_docs))
        for label, docs in level_docs:
            results = run_level(docs, systems)
            gold_links = sum(len(d.gold) for d in docs)
            for system, (s, speed, cpu_speed) in results.items():
                print(
                    _fmt_row(
                        [
                            name,
                            label,
                            len(docs),
                            gold_links,
                            system,
                            f"{s['p_strict']:.3f}",
                            f"{s['r_strict']:.3f}",
                            f"**{s['f1_strict']:.3f}**"
                            if system == "transpipe"
                            else f"{s['f1_strict']:.3f}",
                            f"{s['f1_lax']:.3f}",
                            f"{speed:.0f}",
                            f"{cpu_speed:.0f}",
                        ]
                    )
                )
            sys.stdout.flush()
    if not args.quick:
        large_case(args.size, args.big_runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
