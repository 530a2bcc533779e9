"""Benchmark transpipe's quality scoring.

1. Reference-free QE vs WMT21/WMT22 ru-en human judgements (segment-level DA z-scores in
   ../shared/eval/human/): segment-level Kendall tau-b, segment-level pairwise accuracy and
   Pearson r of the transpipe estimate (and of parts of it) next to sentence chrF and sentence
   BLEU computed with the reference, on the same rows; system-level pairwise accuracy against
   the WMT system z-scores. WMT21 is the estimator's training set (in-sample; the model file
   records its cross-validated tau); WMT22 is held out.
2. Fault injection on newstest2021 (the calibration set) and generaltest2022 (held out)
   references, both directions: drop a number, change a number, swap a glossary term for a
   forbidden one, truncate, leave untranslated (copy the source), repeat a phrase, omit a
   contiguous 30-50% of the words from the middle, add a sentence from elsewhere. Detection rate
   per fault and the false-alarm rates on the clean references: status not "good" (what a
   translator sees) and *alarm* (a finding of severity >= MAJOR or status "bad"). A fault counts
   as detected when the faulted segment raises an alarm and its clean reference did not
   (segments whose clean reference already alarms are left out of the detection denominators).
3. Speed: ``transpipe qe`` on 1,000 newstest2021 pairs in a subprocess (CPU seconds of the
   child, wall seconds, load average and CPU ISA printed: time on a loaded machine is noisy).

Run: python benchmarks/quality.py [--rows 1000] [--faults 250] [--seed 13] [--full]
     python benchmarks/quality.py --skip-human --skip-faults --sample-report /tmp/sample
     (the second writes a JSON + HTML report for 60 lines of a WMT21 en-ru system output)
Prints markdown tables; medians of the human z-score per status are quoted for calibration.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import sacrebleu
from scipy import stats

from transpipe.embeddings import SentenceEncoder
from transpipe.model import Issue, LanguagePair, Score, SegmentStatus, Severity, TermStatus
from transpipe.quality import estimate_quality, run_checks
from transpipe.quality.checks_numbers import extract_numbers
from transpipe.quality.coverage import coverage
from transpipe.quality.qe_model import load_model
from transpipe.terms import CompiledGlossary

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
RU_EN = LanguagePair("ru", "en")
EN_RU = LanguagePair("en", "ru")

# a few extra concepts with forbidden variants that occur in 2020-2021 news (besides csto.tsv)
EXTRA_GLOSSARY = """\
kyiv\tKyiv\tКиев\tproper-noun\tpreferred\tofficial romanisation
kyiv\tKiev\t\tproper-noun\tforbidden\tdated romanisation
moldova\tMoldova\tМолдавия\tproper-noun\tpreferred\t
moldova\tMoldavia\t\tproper-noun\tforbidden\tdated
coronavirus\tcoronavirus\tкоронавирус\tnoun\tpreferred\t
coronavirus\tcorona virus\tкорона-вирус\tnoun\tforbidden\tspelling
president\tpresident\tпрезидент\tnoun\tpreferred\t
president\t\tпрезидентша\tnoun\tforbidden\tcolloquial
"""


@dataclass(frozen=True)
class DaRow:
    system: str
    source: str
    hypothesis: str
    reference: str
    z: float


def load_da(path: Path) -> list[DaRow]:
    rows = []
    with path.open(encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for line in f:
            p = line.rstrip("\n").split("\t")
            rows.append(
                DaRow(
                    p[col["system"]],
                    p[col["source"]],
                    p[col["hypothesis"]],
                    p[col["reference"]],
                    float(p[col["z_score"]]),
                )
            )
    return rows


def load_system_scores(path: Path) -> dict[str, float]:
    scores = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 4:
            scores[re.sub(r"\.\d+$", "", parts[3])] = float(parts[1])
    return scores


def alarm(issues: Sequence[Issue], score: Score) -> bool:
    return score.status is SegmentStatus.BAD or any(i.severity >= Severity.MAJOR for i in issues)


def pairwise_accuracy(metric: dict[str, float], human: dict[str, float]) -> tuple[float, int]:
    systems = sorted(set(metric) & set(human))
    pairs = [(a, b) for a, b in combinations(systems, 2) if human[a] != human[b]]
    agree = sum(1 for a, b in pairs if (metric[a] - metric[b]) * (human[a] - human[b]) > 0)
    return (agree / len(pairs) if pairs else float("nan")), len(pairs)


def segment_pairwise_accuracy(values: np.ndarray, human: np.ndarray) -> float:
    """Share of segment pairs with different human scores that the metric orders the same way
    (metric ties count as half), from Kendall's tau-b ingredients."""
    x, y = values, human
    n = len(x)
    tau = stats.kendalltau(x, y)
    # concordant - discordant from tau-b, then remove metric ties from the denominator
    n0 = n * (n - 1) / 2
    tx = sum(c * (c - 1) / 2 for c in Counter(x.tolist()).values())
    ty = sum(c * (c - 1) / 2 for c in Counter(y.tolist()).values())
    diff = tau.statistic * np.sqrt((n0 - tx) * (n0 - ty))
    pairs = n0 - ty  # pairs the humans order
    return float(0.5 + diff / (2 * pairs))


def human_correlation(
    name: str, rows: list[DaRow], sys_scores: dict[str, float], encoder: SentenceEncoder
) -> list[str]:
    t0 = time.process_time()
    sources = [r.source for r in rows]
    hyps = [r.hypothesis for r in rows]
    coverage(sources, hyps, encoder=encoder)  # batched; the checks reuse it
    issues = [run_checks(r.source, r.hypothesis, RU_EN) for r in rows]
    scores = estimate_quality(sources, hyps, RU_EN, issues=issues, encoder=encoder)
    t_qe = time.process_time() - t0
    qe = np.array([s.value for s in scores])
    parts = [dict(s.components) for s in scores]
    predicted = np.array([p["predicted_z"] for p in parts])
    sim = np.array([p["similarity"] for p in parts])
    support = np.array([p["source_support"] for p in parts])
    chrf = np.array([sacrebleu.sentence_chrf(r.hypothesis, [r.reference]).score for r in rows])
    bleu = np.array([sacrebleu.sentence_bleu(r.hypothesis, [r.reference]).score for r in rows])
    human = np.array([r.z for r in rows])
    table = []
    systems = sorted({r.system for r in rows})
    for label, values, uses_ref in (
        ("transpipe QE score (0-100, capped by findings)", qe, "no"),
        ("QE: learned z-score before caps", predicted, "no"),
        ("QE: sentence embedding similarity only", sim, "no"),
        ("QE: source word support only", support, "no"),
        ("sentence chrF", chrf, "yes"),
        ("sentence BLEU", bleu, "yes"),
    ):
        tau = stats.kendalltau(values, human).statistic
        r = stats.pearsonr(values, human).statistic
        seg_acc = segment_pairwise_accuracy(values, human)
        by_system: dict[str, list[float]] = defaultdict(list)
        for row, v in zip(rows, values, strict=True):
            by_system[row.system].append(float(v))
        means = {s: float(np.mean(v)) for s, v in by_system.items()}
        acc, n_pairs = pairwise_accuracy(means, sys_scores)
        table.append(
            f"| {name} | {label} | {uses_ref} | {tau:.3f} | {seg_acc:.3f} | {r:.3f} "
            f"| {acc:.3f} ({n_pairs} pairs) |"
        )
    for st in ("good", "review", "bad"):
        zs = [float(h) for h, sc in zip(human, scores, strict=True) if sc.status.value == st]
        STATUS_ROWS.append(
            f"| {name} | {st} | {len(zs)} | {statistics.median(zs) if zs else float('nan'):.3f} |"
        )
    table.append(
        f"| {name} | ({len(rows)} rows, {len(systems)} systems; checks + QE {t_qe:.0f} s CPU) "
        "| | | | | |"
    )
    return table


STATUS_ROWS: list[str] = []


# ---------------------------------------------------------------- fault injection


def _digit_tokens(
    source: str, target: str, pair: LanguagePair
) -> list[tuple[int, int, frozenset[float]]]:
    src_values: set[float] = set()
    for t in extract_numbers(source, pair.source):
        if not t.month:
            src_values |= t.values
    return [
        (t.start, t.end, t.values)
        for t in extract_numbers(target, pair.target)
        if not t.month and t.values & src_values and t.text.isdigit()
    ]


def fault_drop_number(
    src: str, tgt: str, pair: LanguagePair, rng: random.Random, ctx: dict[str, object]
) -> str | None:
    tokens = _digit_tokens(src, tgt, pair)
    if not tokens:
        return None
    start, end, _ = rng.choice(tokens)
    return re.sub(r"\s{2,}", " ", tgt[:start] + tgt[end:]).strip()


def fault_change_number(
    src: str, tgt: str, pair: LanguagePair, rng: random.Random, ctx: dict[str, object]
) -> str | None:
    tokens = _digit_tokens(src, tgt, pair)
    if not tokens:
        return None
    start, end, _ = rng.choice(tokens)
    src_values = {v for t in extract_numbers(src, pair.source) for v in t.values}
    old = int(tgt[start:end])
    for _ in range(20):
        new = old + rng.choice([-3, -2, -1, 1, 2, 3, 5, 7, 10])
        if new > 0 and float(new) not in src_values:
            return tgt[:start] + str(new) + tgt[end:]
    return None


def fault_truncate(
    src: str, tgt: str, pair: LanguagePair, rng: random.Random, ctx: dict[str, object]
) -> str | None:
    words = tgt.split()
    if len(words) < 6:
        return None
    keep = max(2, round(len(words) * rng.uniform(0.4, 0.7)))
    return " ".join(words[:keep]).rstrip(",;:")


def fault_untranslated(
    src: str, tgt: str, pair: LanguagePair, rng: random.Random, ctx: dict[str, object]
) -> str | None:
    return src


_PLAIN_WORD = re.compile(r"^[^\W\d_][\w'’-]*,?$")


def fault_repeat(
    src: str, tgt: str, pair: LanguagePair, rng: random.Random, ctx: dict[str, object]
) -> str | None:
    words = tgt.split()
    n = rng.choice([2, 3, 4])
    starts = [
        i for i in range(len(words) - n) if all(_PLAIN_WORD.match(w) for w in words[i : i + n])
    ]
    if len(words) < 6 or not starts:
        return None
    i = rng.choice(starts)
    return " ".join(words[: i + n] + words[i : i + n] + words[i + n :])


def fault_forbidden(
    src: str, tgt: str, pair: LanguagePair, rng: random.Random, ctx: dict[str, object]
) -> str | None:
    terms = ctx["glossary"]
    assert isinstance(terms, CompiledGlossary)
    source_concepts = {m.concept_id for m in terms.find(src, pair.source)}
    options = []
    for match in terms.find(tgt, pair.target):
        if match.status is TermStatus.FORBIDDEN or match.concept_id not in source_concepts:
            continue
        forbidden = terms.glossary.forbidden(match.concept_id, pair.target)
        if forbidden:
            options.append((match, forbidden[0]))
    if not options:
        return None
    match, term = rng.choice(options)
    return tgt[: match.span.start] + term + tgt[match.span.end :]


def fault_omission(
    src: str, tgt: str, pair: LanguagePair, rng: random.Random, ctx: dict[str, object]
) -> str | None:
    """Drop a contiguous 30-50% of the words, never the first or the last word."""
    words = tgt.split()
    if len(words) < 6:
        return None
    drop = max(2, round(len(words) * rng.uniform(0.3, 0.5)))
    if len(words) - drop < 2:
        return None
    start = rng.randint(1, len(words) - drop - 1)
    return " ".join(words[:start] + words[start + drop :])


def fault_addition(
    src: str, tgt: str, pair: LanguagePair, rng: random.Random, ctx: dict[str, object]
) -> str | None:
    """Insert another reference sentence of the same set before or after the translation."""
    others = ctx["others"]
    assert isinstance(others, list)
    other = rng.choice(others)
    if other == tgt:
        return None
    return f"{tgt} {other}" if rng.random() < 0.5 else f"{other} {tgt}"


FAULTS: dict[
    str, Callable[[str, str, LanguagePair, random.Random, dict[str, object]], str | None]
] = {
    "drop number": fault_drop_number,
    "change number": fault_change_number,
    "forbidden term": fault_forbidden,
    "truncate": fault_truncate,
    "untranslated (copy source)": fault_untranslated,
    "repeat a phrase": fault_repeat,
    "omission (drop 30-50% of the words)": fault_omission,
    "addition (insert another sentence)": fault_addition,
}
FAULT_SETS = (
    ("newstest2021", RU_EN, "newstest2021.ru-en.ru", "newstest2021.ru-en.en"),
    ("newstest2021", EN_RU, "newstest2021.en-ru.en", "newstest2021.en-ru.ru"),
    ("generaltest2022", RU_EN, "generaltest2022.ru-en.ru", "generaltest2022.ru-en.en"),
    ("generaltest2022", EN_RU, "generaltest2022.en-ru.en", "generaltest2022.en-ru.ru"),
)


def load_glossary_for_faults(tmp: Path) -> CompiledGlossary | None:
    try:
        from transpipe.terms import load_glossary
    except ImportError:
        return None
    base = REPO / "glossary" / "csto.tsv"
    text = base.read_text(encoding="utf-8") if base.exists() else "id\ten\tru\tpos\tstatus\tnote\n"
    path = tmp / "bench-glossary.tsv"
    path.write_text(text.rstrip("\n") + "\n" + EXTRA_GLOSSARY, encoding="utf-8")
    return CompiledGlossary(load_glossary(path))


def _judge(
    sources: list[str],
    targets: list[str],
    pair: LanguagePair,
    encoder: SentenceEncoder,
    terms: CompiledGlossary | None = None,
) -> tuple[list[list[Issue]], list[Score]]:
    coverage(sources, targets, encoder=encoder)  # batched; the checks reuse it
    issues = [run_checks(s, t, pair, terms=terms) for s, t in zip(sources, targets, strict=True)]
    return issues, estimate_quality(sources, targets, pair, issues=issues, encoder=encoder)


def fault_injection(n_per_direction: int, seed: int, encoder: SentenceEncoder) -> list[str]:
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="tp-bench-"))
    glossary = load_glossary_for_faults(tmp)
    out = []
    fa_rows = []
    for set_name, pair, src_file, ref_file in FAULT_SETS:
        sources = (EVAL / "testsets" / src_file).read_text(encoding="utf-8").splitlines()
        refs = (EVAL / "testsets" / ref_file).read_text(encoding="utf-8").splitlines()
        pairs_all = [(s, r) for s, r in zip(sources, refs, strict=True) if s.strip() and r.strip()]
        mojibake = [
            p for p in pairs_all if any(i.check == "mojibake" for i in run_checks(p[0], p[1], pair))
        ]
        pairs_all = [p for p in pairs_all if p not in mojibake]
        sample = rng.sample(pairs_all, min(n_per_direction, len(pairs_all)))
        clean_issues, clean_scores = _judge(
            [s for s, _ in sample], [r for _, r in sample], pair, encoder
        )
        clean_alarm = [alarm(i, sc) for i, sc in zip(clean_issues, clean_scores, strict=True)]
        not_good = [sc.status is not SegmentStatus.GOOD for sc in clean_scores]
        why = Counter(
            i.check
            for iss, ng in zip(clean_issues, not_good, strict=True)
            if ng
            for i in iss
            if i.severity >= Severity.MAJOR
        )
        score_only = sum(
            1
            for iss, ng in zip(clean_issues, not_good, strict=True)
            if ng and not any(i.severity >= Severity.MAJOR for i in iss)
        )
        fa_rows.append(
            f"| {set_name} | {pair} | {len(sample)} "
            f"| {100 * sum(not_good) / len(sample):.1f}% ({sum(not_good)}) "
            f"| {100 * sum(clean_alarm) / len(sample):.1f}% ({sum(clean_alarm)}) "
            f"| {dict(why.most_common(5))}, score only: {score_only} | {len(mojibake)} |"
        )
        for fault, fn in FAULTS.items():
            ctx: dict[str, object] = {"others": [r for _, r in pairs_all]}
            pool = sample
            if fault == "forbidden term":
                if glossary is None:
                    out.append(f"| {set_name} | {pair} | {fault} | n/a | | |")
                    continue
                pool = pairs_all  # rare: search the whole test set, not only the sample
                ctx["glossary"] = glossary
            faulted = []
            for k, (s, r) in enumerate(pool):
                new = fn(s, r, pair, rng, ctx)
                if new is not None and new != r:
                    faulted.append((k, s, r, new))
            use_glossary = glossary if fault == "forbidden term" else None
            if fault == "forbidden term":
                clean_g, clean_gs = _judge(
                    [s for _, s, _, _ in faulted],
                    [r for _, _, r, _ in faulted],
                    pair,
                    encoder,
                    glossary,
                )
                clean_ok = [not alarm(i, sc) for i, sc in zip(clean_g, clean_gs, strict=True)]
            else:
                clean_ok = [not clean_alarm[k] for k, _, _, _ in faulted]
            kept = [f for f, ok in zip(faulted, clean_ok, strict=True) if ok]
            if not kept:
                out.append(f"| {set_name} | {pair} | {fault} | 0 eligible | | |")
                continue
            issues, scores = _judge(
                [s for _, s, _, _ in kept], [n for _, _, _, n in kept], pair, encoder, use_glossary
            )
            hits = [alarm(i, sc) for i, sc in zip(issues, scores, strict=True)]
            fired = Counter(i.check for iss in issues for i in iss if i.severity >= Severity.MAJOR)
            out.append(
                f"| {set_name} | {pair} | {fault} | {len(kept)} "
                f"| {100 * sum(hits) / len(kept):.1f}% | {dict(fired.most_common(3))} |"
            )
    header_fa = [
        "",
        "### False alarms on clean human references",
        "",
        "not good = status review or bad (what a translator sees); alarm = a finding >= MAJOR or "
        "status bad (the fault-detection criterion)",
        "",
        "| set | direction | segments | not good | alarms | not good by check (>= MAJOR) "
        "| mojibake refs excluded |",
        "|---|---|---|---|---|---|---|",
    ]
    header = [
        "",
        "### Fault detection (only segments whose clean reference raised no alarm)",
        "",
        "| set | direction | fault | segments | detected | checks that fired (>= MAJOR) |",
        "|---|---|---|---|---|---|",
    ]
    return header_fa + fa_rows + header + out


def speed() -> list[str]:
    """``transpipe qe`` on 1,000 newstest2021 ru-en pairs in a fresh process: CPU and wall."""
    import os
    import resource
    import subprocess

    sources = (EVAL / "testsets" / "newstest2021.ru-en.ru").read_text(encoding="utf-8")
    refs = (EVAL / "testsets" / "newstest2021.ru-en.en").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="tp-qe-speed-") as tmp:
        src, hyp = Path(tmp) / "src.txt", Path(tmp) / "hyp.txt"
        src.write_text("\n".join(sources.splitlines()[:1000]) + "\n", encoding="utf-8")
        hyp.write_text("\n".join(refs.splitlines()[:1000]) + "\n", encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        command = [sys.executable, "-m", "transpipe", "qe", "--src", str(src), "--hyp", str(hyp)]
        subprocess.run(
            [*command, "--from", "ru", "--to", "en"], check=True, capture_output=True, env=env
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    flags = Path("/proc/cpuinfo").read_text().split("flags", 1)[-1].split("\n", 1)[0].split()
    isa = "/".join(f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni") if f in flags)
    return [
        "",
        "### Speed: `transpipe qe` on 1,000 newstest2021 ru-en pairs (one process, cold start)",
        "",
        "| CPU seconds | wall seconds | load average at start | CPU ISA |",
        "|---|---|---|---|",
        f"| {cpu:.1f} | {wall:.1f} | {load:.1f} | {isa or 'no AVX2'} |",
    ]


def sample_report(out_dir: Path, system: str, n: int, encoder: SentenceEncoder) -> list[str]:
    """A report for the first ``n`` lines of a WMT21 en-ru system output, like a real run."""
    from transpipe.model import Bitext, Provenance, Unit
    from transpipe.quality import reference_metrics, run_document_checks
    from transpipe.report import Report, write_report_html, write_report_json

    sources = (EVAL / "testsets" / "newstest2021.en-ru.en").read_text(encoding="utf-8").splitlines()
    refs = (EVAL / "testsets" / "newstest2021.en-ru.ru").read_text(encoding="utf-8").splitlines()
    hyp_path = EVAL / "system-outputs" / f"newstest2021.en-ru.{system}.ru"
    hyps = hyp_path.read_text(encoding="utf-8").splitlines()
    sources, refs, hyps = sources[:n], refs[:n], hyps[:n]
    glossary = load_glossary_for_faults(Path(tempfile.mkdtemp(prefix="tp-sample-")))
    matches = [glossary.find(s, "en") if glossary is not None else () for s in sources]
    document = run_document_checks(hyps, EN_RU)
    issues = [
        run_checks(s, h, EN_RU, source_terms=m, terms=glossary) + d
        for s, h, m, d in zip(sources, hyps, matches, document, strict=True)
    ]
    scores = estimate_quality(sources, hyps, EN_RU, issues=issues, encoder=encoder)
    units = tuple(
        Unit(
            f"newstest2021:p1:s{i + 1}",
            s,
            h,
            paragraph=1,
            fuzzy=sc.status is not SegmentStatus.GOOD,
            term_matches=tuple(m),
            issues=tuple(iss),
            score=sc,
        )
        for i, (s, h, m, iss, sc) in enumerate(
            zip(sources, hyps, matches, issues, scores, strict=True)
        )
    )
    bitext = Bitext("newstest2021", EN_RU, units, created="2026-01-01T00:00:00Z")
    metrics = reference_metrics(hyps, [refs], target_lang="ru")
    report = Report(
        bitext,
        source_name=f"newstest2021.en-ru.en (first {n} lines), system {system}",
        provenance=Provenance(engine=f"WMT21 system output: {system}"),
        extra={"glossary": "glossary/csto.tsv + benchmark extras"},
        metrics=metrics,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "sample.report.json").open("wb") as stream:
        write_report_json(report, stream)
    with (out_dir / "sample.report.html").open("wb") as stream:
        write_report_html(report, stream)
    summary = report.to_json()["summary"]
    return [
        "",
        f"sample report: {out_dir / 'sample.report.html'} ({summary['segments']} segments, "
        f"statuses {summary['statuses']}, chrF {metrics['corpus']['chrf']['score']:.1f})",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1000, help="DA rows sampled per WMT set")
    parser.add_argument("--faults", type=int, default=250, help="references sampled per direction")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--full", action="store_true", help="use every DA row (slow)")
    parser.add_argument("--skip-human", action="store_true")
    parser.add_argument("--skip-faults", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--sample-report", metavar="DIR", type=Path, help="also write a report")
    parser.add_argument("--sample-system", default="Online-B")
    parser.add_argument("--sample-lines", type=int, default=60)
    args = parser.parse_args(argv)
    if not EVAL.is_dir():
        print("../shared/eval is not present; nothing to benchmark", file=sys.stderr)
        return 1
    started = time.perf_counter()
    encoder = SentenceEncoder()
    info = load_model().info
    lines = [
        "# transpipe quality benchmark",
        "",
        f"seed {args.seed}; sacrebleu {sacrebleu.__version__}; QE model trained on "
        f"{info.get('training_data')} ({info.get('training_rows')} rows), cross-validated "
        f"Kendall tau on it {max(info.get('cv_kendall_tau', {'-': 0.0}).values()):.3f}",
    ]
    if not args.skip_human:
        lines += [
            "",
            "### Segment-level correlation with WMT DA z-scores (ru-en), "
            "system-level pairwise accuracy",
            "",
            "| set | metric | uses reference | Kendall tau-b | segment pairwise accuracy "
            "| Pearson r | system pairwise accuracy |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, seg_file, sys_file in (
            (
                "WMT21 newstest2021",
                "wmt21.newstest2021.ru-en.da-seg.tsv",
                "wmt21.newstest2021.ru-en.da-sys.txt",
            ),
            (
                "WMT22 generaltest2022",
                "wmt22.generaltest2022.ru-en.da-seg.tsv",
                "wmt22.generaltest2022.ru-en.da-sys.txt",
            ),
        ):
            rows = [r for r in load_da(EVAL / "human" / seg_file) if r.hypothesis.strip()]
            if not args.full and len(rows) > args.rows:
                rows = random.Random(args.seed).sample(rows, args.rows)
            lines += human_correlation(
                name, rows, load_system_scores(EVAL / "human" / sys_file), encoder
            )
    if STATUS_ROWS:
        lines += [
            "",
            "### Human DA z-score by transpipe status (median)",
            "",
            "| set | status | segments | median z |",
            "|---|---|---|---|",
            *STATUS_ROWS,
        ]
    if not args.skip_faults:
        lines += fault_injection(args.faults, args.seed, encoder)
    if not args.skip_speed:
        lines += speed()
    if args.sample_report:
        lines += sample_report(args.sample_report, args.sample_system, args.sample_lines, encoder)
    lines += ["", f"total runtime {time.perf_counter() - started:.0f} s"]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
