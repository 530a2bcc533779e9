"""Benchmark: term detection on TICO-19 en-ru and matcher throughput with a 10,000-entry glossary.

Run from the repository root (reads ../shared/eval):

    python benchmarks/terms.py                 # both parts
    python benchmarks/terms.py --part tico     # (a) only
    python benchmarks/terms.py --part speed    # (b) only

(a) For every glossary concept the English matcher finds in a TICO-19 test source sentence,
does the Russian reference contain the concept's Russian term? Three detectors over the same
occurrences: exact (case-sensitive, whole word), case-folded (whole word), and the lemma-aware
``TermMatcher``. Glossaries: the TICO-19 Facebook and Google en-ru term lists; Google's
"[optional]" parts, " : " alternatives and "(parenthesised)" parts become term variants.
Precision: a seeded random sample of Russian-side matches of the matcher run alone on the
references is written with context to ``--sample-out`` for reading; verdicts (judged by hand)
are kept in ``benchmarks/data/terms_precision_sample.tsv`` (ids, offsets, surface, verdict).

(b) Throughput: a synthetic glossary of 10,000 concepts (1-3 word n-grams drawn from news
sentences) matched over 10,000 other news sentences, Russian and English; cold = first pass
(empty morphology cache), warm = median of 3 further passes.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

from transpipe.model import TermStatus
from transpipe.terms import Glossary, TermMatcher, load_glossary
from transpipe.terms.glossary import Concept, Term
from transpipe.terms.matcher import tokenize

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
VERDICTS = ROOT / "benchmarks" / "data" / "terms_precision_sample.tsv"
SAMPLE_SIZE = 120


def variants(text: str) -> list[str]:
    """Term variants of a TICO glossary string: ' : ' alternatives, [optional], (paren) parts."""
    out: list[str] = []
    for alternative in text.split(" : "):
        alternative = alternative.strip()
        core = re.sub(r"\s*[\[(][^\])]*[\])]", "", alternative).strip()
        full = re.sub(r"[\[\]]", "", alternative)
        full = re.sub(r"\s*\([^)]*\)", "", full).strip()
        for form in (core, full):
            if form and form not in out:
                out.append(" ".join(form.split()))
    return out


def tico_glossary(path: Path, prefix: str) -> Glossary:
    raw = load_glossary(path)
    concepts = []
    for concept in raw:
        terms: list[Term] = []
        for term in concept.terms:
            for index, form in enumerate(variants(term.text)):
                status = TermStatus.PREFERRED if index == 0 else TermStatus.ADMITTED
                terms.append(Term(term.lang.split("-")[0], form, status=status, pos=term.pos))
        concepts.append(Concept(f"{prefix}:{concept.id}", tuple(terms)))
    return Glossary(tuple(concepts), name=prefix)


def word_search(term: str, text: str, *, fold: bool) -> bool:
    if fold:
        term, text = term.casefold(), text.casefold()
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text) is not None


def part_tico(sample_out: Path) -> None:
    src = (EVAL / "testsets/tico19-test.en-ru.en").read_text(encoding="utf-8").splitlines()
    ref = (EVAL / "testsets/tico19-test.en-ru.ru").read_text(encoding="utf-8").splitlines()
    glossaries = {
        "fb": tico_glossary(EVAL / "terminology/tico19.fb.en-ru.terms.csv", "fb"),
        "google": tico_glossary(EVAL / "terminology/tico19.google.en-ru.terms.csv", "google"),
    }
    rows: list[tuple[str, list[int]]] = []
    totals = [0, 0, 0, 0]
    pool: list[tuple[int, str, int, int, str, str]] = []
    started = time.perf_counter()
    for name, glossary in glossaries.items():
        en, ru = TermMatcher(glossary, "en"), TermMatcher(glossary, "ru")
        counts = [0, 0, 0, 0]
        for number, (source, reference) in enumerate(zip(src, ref, strict=True), start=1):
            wanted = {m.concept_id for m in en.find(source)}
            ru_matches = ru.find(reference)
            everything = ru.find(reference, resolve_overlaps=False)
            for m in ru_matches:
                pool.append((number, m.concept_id, m.span.start, m.span.end, m.surface, reference))
            found = {m.concept_id for m in everything}
            for cid in wanted:
                forms = [t.text for t in glossary.terms(cid, "ru")]
                counts[0] += 1
                counts[1] += any(word_search(f, reference, fold=False) for f in forms)
                counts[2] += any(word_search(f, reference, fold=True) for f in forms)
                counts[3] += cid in found
        rows.append((name, counts))
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    rows.append(("total", totals))
    elapsed = time.perf_counter() - started
    print("## (a) TICO-19 test en-ru: Russian term found in the reference\n")
    print(
        f"{len(src)} sentence pairs; glossaries: "
        + ", ".join(f"{k} ({len(g)} concepts)" for k, g in glossaries.items())
        + f"; run time {elapsed:.1f} s\n"
    )
    print("| glossary | en occurrences | exact | case-folded | TermMatcher (lemma) |")
    print("|---|---:|---:|---:|---:|")
    for name, (total, exact, folded, lemma) in rows:
        cells = [f"{n} ({100 * n / total:.1f}%)" for n in (exact, folded, lemma)]
        print(f"| {name} | {total} | " + " | ".join(cells) + " |")
    precision_sample(pool, glossaries, src, sample_out)


def precision_sample(
    pool: list[tuple[int, str, int, int, str, str]],
    glossaries: dict[str, Glossary],
    src: list[str],
    sample_out: Path,
) -> None:
    rng = random.Random(20261128)
    sample = sorted(rng.sample(pool, min(SAMPLE_SIZE, len(pool))))
    with sample_out.open("w", encoding="utf-8") as out:
        for line, cid, start, end, surface, reference in sample:
            glossary = glossaries[cid.split(":")[0]]
            terms = " | ".join(t.text for t in glossary.terms(cid, "ru"))
            english = glossary.preferred(cid, "en")
            left = reference[max(0, start - 70) : start]
            right = reference[end : end + 70]
            out.write(f"{line}\t{cid}\t{start}\t{end}\t{surface}\n")
            out.write(f"  term: {terms}  (en: {english})\n")
            out.write(f"  ru: ...{left}[[{surface}]]{right}...\n")
            out.write(f"  en: {src[line - 1][:220]}\n\n")
    verdicts: dict[tuple[str, str, str, str], tuple[str, str]] = {}
    if VERDICTS.exists():
        with VERDICTS.open(encoding="utf-8") as stream:
            for record in csv.DictReader(stream, delimiter="\t"):
                key = (record["line"], record["concept"], record["start"], record["end"])
                verdicts[key] = (record["correct"], record["same_sense"])
    judged = [
        verdicts[key]
        for line, cid, start, end, _, _ in sample
        if (key := (str(line), cid, str(start), str(end))) in verdicts
    ]
    print(
        f"\nPrecision sample: {len(sample)} of {len(pool)} Russian-side matches "
        f"(matcher alone on the references, seeded random); context written to {sample_out}"
    )
    if judged:
        form = sum(v[0] == "yes" for v in judged)
        sense = sum(v[0] == "yes" and v[1] == "yes" for v in judged)
        print("\n| hand-judged | a form of the glossary term | ... and in the glossary's sense |")
        print("|---:|---:|---:|")
        print(
            f"| {len(judged)} | {form} ({100 * form / len(judged):.1f}%) "
            f"| {sense} ({100 * sense / len(judged):.1f}%) |"
        )
    missing = len(sample) - len(judged)
    if missing:
        print(f"\n{missing} sampled matches have no verdict in {VERDICTS.name} (sample changed?)")
        # the seeded sample moves when the pool size changes; the judged matches the matcher
        # still produces keep their verdicts
        current = {(str(line), cid, str(start), str(end)) for line, cid, start, end, _, _ in pool}
        kept = [v for key, v in verdicts.items() if key in current]
        if kept:
            sense = sum(v[0] == "yes" and v[1] == "yes" for v in kept)
            print(
                f"Previously judged matches still found: {len(kept)} of {len(verdicts)}; "
                f"in the glossary's sense: {sense} ({100 * sense / len(kept):.1f}%)"
            )


def read_sentences(pattern: str, skip: str, limit: int) -> list[str]:
    seen: dict[str, None] = {}
    for path in sorted((EVAL / "testsets").glob(pattern)):
        if skip in path.name:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.setdefault(line.strip(), None)
    return list(seen)[:limit]


def synthetic_glossary(ru_lines: list[str], en_lines: list[str], size: int) -> Glossary:
    rng = random.Random(7)

    def grams(lines: list[str]) -> list[str]:
        out: dict[str, None] = {}
        for line in lines:
            tokens = tokenize(line)
            for i in range(len(tokens)):
                n = rng.choice((1, 2, 2, 3))
                if i + n <= len(tokens):
                    part = tokens[i : i + n]
                    text = line[part[0].start : part[-1].end]
                    if re.fullmatch(r"[\w\- ]+", text) and len(text) > 3:
                        out.setdefault(text, None)
        keys = list(out)
        rng.shuffle(keys)
        return keys[:size]

    ru_terms, en_terms = grams(ru_lines), grams(en_lines)
    return Glossary(
        tuple(
            Concept(f"s{i}", (Term("en", en), Term("ru", ru)))
            for i, (en, ru) in enumerate(zip(en_terms, ru_terms, strict=False))
        )
    )


def part_speed() -> None:
    size = 10_000
    ru_all = read_sentences("*.ru", "tico19", 2 * size)
    en_all = read_sentences("*.en", "tico19", 2 * size)
    # glossary terms come from one half, the sentences to match from the other half
    glossary = synthetic_glossary(ru_all[size:], en_all[size:], size)
    print("\n## (b) Throughput: 10,000-concept glossary, 10,000 sentences\n")
    print(
        f"glossary: {len(glossary)} concepts; sentences: ru {len(ru_all[:size])}, "
        f"en {len(en_all[:size])}\n"
    )
    load = os.getloadavg()[0]
    print(
        f"machine load average at start: {load:.1f} on {os.cpu_count()} cores; rates are given "
        "per wall-clock second and per CPU second of this process (CPU is the fairer figure "
        "on a shared machine)\n"
    )
    print(
        "| lang | build matcher (s wall) | cold pass (sent/s wall / CPU) "
        "| warm, median of 3 (sent/s wall / CPU) | matches per pass |"
    )
    print("|---|---:|---:|---:|---:|")
    for lang, lines in (("ru", ru_all[:size]), ("en", en_all[:size])):
        t0 = time.perf_counter()
        matcher = TermMatcher(glossary, lang)
        build = time.perf_counter() - t0
        wall, cpu = [], []
        found = 0
        for _ in range(4):
            t0, c0 = time.perf_counter(), time.process_time()
            found = sum(len(matcher.find(line)) for line in lines)
            wall.append(len(lines) / (time.perf_counter() - t0))
            cpu.append(len(lines) / (time.process_time() - c0))
        print(
            f"| {lang} | {build:.1f} | {wall[0]:,.0f} / {cpu[0]:,.0f} "
            f"| {statistics.median(wall[1:]):,.0f} / {statistics.median(cpu[1:]):,.0f} "
            f"| {found} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("tico", "speed", "all"), default="all")
    parser.add_argument(
        "--sample-out", type=Path, default=Path("/tmp/terms_precision_sample_context.txt")
    )
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"needs ../shared/eval beside the repository ({EVAL} not found)", file=sys.stderr)
        return 1
    if args.part in ("tico", "all"):
        part_tico(args.sample_out)
    if args.part in ("speed", "all"):
        part_speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
