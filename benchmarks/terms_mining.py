"""Benchmark: bilingual term mining on TICO-19 en-ru, judged against two COVID-19 term lists.

Run from the repository root (reads ../shared/eval):

    python benchmarks/terms_mining.py [--limit 500] [--show 0]

Corpus: ``terminology/tico19.all.en-ru.tmx`` (3071 sentence pairs). Gold: the TICO-19
Facebook en-ru list, the Google en-ru list and the Google ru-en list (sides swapped); Google's
"[optional]" parts, " : " alternatives and "(parenthesised)" parts become variants, as in
``benchmarks/terms.py``. Everything is compared at the lemma level (``terms.phrases.term_key``:
Russian lemmas per word, English lower-case singular).

- precision@k: the share of the first k mined pairs whose (English key, Russian key) is a gold
  pair (any variant of any gold concept);
- decidable precision@k: the same among the first k pairs whose English side is a gold
  English term (the gold lists know what it should be translated as);
- recall@k: gold pairs that occur at least 3 times in the corpus (English term in the source
  and Russian term in the target of one sentence pair, any inflected form, by ``TermMatcher``),
  grouped by their lemma-level pair, found among the first k mined pairs.

- hand-judged precision@100: the first 100 pairs against ``benchmarks/data/
  terms_mining_top100_judged.tsv`` (verdict yes = a correct translation pair, at the lemma
  level, of a term a COVID-19 glossary would hold; judged by hand once, kept for re-runs).

``--corpora`` also mines the project's sample corpora (``corpora/``, article pairs aligned by
``transpipe.align`` in the same run) without a glossary and with ``glossary/csto.tsv`` as the
known terms, and scores the pairs against ``benchmarks/data/terms_mining_corpora_judged.tsv``.

The mining CLI (``transpipe glossary mine --tmx ...``) runs the same ``mine_terms``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

from terms import EVAL, tico_glossary
from transpipe.terms import Glossary, TermMatcher
from transpipe.terms.phrases import term_key
from transpipe.workbench.mining import MinedPair, mine_terms
from transpipe.workbench.sources import read_tmx_pairs

Key = tuple[str, ...]
CUTS = (50, 100, 500)
ROOT = Path(__file__).resolve().parents[1]
JUDGED_TICO = ROOT / "benchmarks" / "data" / "terms_mining_top100_judged.tsv"
JUDGED_CORPORA = ROOT / "benchmarks" / "data" / "terms_mining_corpora_judged.tsv"


def verdicts(path: Path) -> dict[tuple[str, str], str]:
    """(en, ru) -> yes/no from a judged TSV (en, ru, verdict, note)."""
    if not path.exists():
        return {}
    rows = [line.split("\t") for line in path.read_text("utf-8").splitlines()[1:]]
    return {(row[0], row[1]): row[2] for row in rows if len(row) >= 3}


def judged_line(name: str, mined: list[MinedPair], judged: dict[tuple[str, str], str]) -> str:
    known = [judged[(m.source, m.target)] for m in mined if (m.source, m.target) in judged]
    good = sum(v == "yes" for v in known)
    share = f"{100 * good / len(known):.1f}%" if known else "n/a"
    return f"{name}: {good} of {len(known)} judged pairs accepted ({share}); {len(mined)} mined"


def corpora() -> None:
    from transpipe.model import LanguagePair
    from transpipe.terms import load_glossary
    from transpipe.workbench.sources import read_aligned_articles

    pairs = read_aligned_articles(ROOT / "corpora", LanguagePair("en", "ru"))
    judged = verdicts(JUDGED_CORPORA)
    print(f"\n## Sample corpora: {len(pairs)} aligned sentence pairs (confident links)\n")
    for name, known in (("no glossary", None), ("csto.tsv known", ROOT / "glossary/csto.tsv")):
        glossary = load_glossary(known) if known else None
        mined = mine_terms(pairs, source_lang="en", target_lang="ru", known=glossary)
        print(f"- {judged_line(name + ', first 30', mined[:30], judged)}")
        print(f"- {judged_line(name + ', all', mined, judged)}")


def gold_glossary() -> Glossary:
    terminology = EVAL / "terminology"
    parts = [
        tico_glossary(terminology / "tico19.fb.en-ru.terms.csv", "fb"),
        tico_glossary(terminology / "tico19.google.en-ru.terms.csv", "google"),
        tico_glossary(terminology / "tico19.google.ru-en.terms.csv", "google-ru"),
    ]
    return Glossary(tuple(c for part in parts for c in part), name="tico19-gold")


def concept_pairs(glossary: Glossary) -> dict[str, set[tuple[Key, Key]]]:
    """Every (English key, Russian key) variant pair per gold concept."""
    pairs: dict[str, set[tuple[Key, Key]]] = {}
    for concept in glossary:
        english = {term_key(t.text, "en") for t in concept.terms_in("en")}
        russian = {term_key(t.text, "ru") for t in concept.terms_in("ru")}
        pairs[concept.id] = {(e, r) for e in english for r in russian if e and r}
    return pairs


def frequent_gold(
    glossary: Glossary, corpus: list[tuple[str, str]], minimum: int
) -> dict[tuple[Key, Key], set[tuple[Key, Key]]]:
    """Gold pairs seen together in >= ``minimum`` sentence pairs, grouped by the lemma pair
    of their preferred terms -> every variant pair of the concepts in the group."""
    english, russian = TermMatcher(glossary, "en"), TermMatcher(glossary, "ru")
    together: Counter[str] = Counter()
    for source, target in corpus:
        left = {m.concept_id for m in english.find(source, resolve_overlaps=False)}
        right = {m.concept_id for m in russian.find(target, resolve_overlaps=False)}
        together.update(left & right)
    variants = concept_pairs(glossary)
    groups: dict[tuple[Key, Key], set[tuple[Key, Key]]] = {}
    for concept_id, count in together.items():
        if count < minimum:
            continue
        en, ru = glossary.preferred(concept_id, "en"), glossary.preferred(concept_id, "ru")
        if en and ru:
            group = (term_key(en, "en"), term_key(ru, "ru"))
            groups.setdefault(group, set()).update(variants[concept_id])
    return groups


def evaluate(
    mined: list[MinedPair],
    gold_pairs: set[tuple[Key, Key]],
    gold_english: set[Key],
    frequent: dict[tuple[Key, Key], set[tuple[Key, Key]]],
) -> list[tuple[int, float, float, int, float]]:
    rows = []
    for cut in CUTS:
        top = mined[:cut]
        keys = {(m.source_key, m.target_key) for m in top}
        hits = sum((m.source_key, m.target_key) in gold_pairs for m in top)
        decidable = [m for m in top if m.source_key in gold_english]
        right = sum((m.source_key, m.target_key) in gold_pairs for m in decidable)
        found = sum(bool(variants & keys) for variants in frequent.values())
        rows.append(
            (
                cut,
                hits / max(1, len(top)),
                right / max(1, len(decidable)),
                len(decidable),
                found / max(1, len(frequent)),
            )
        )
    return rows


def cpu_flags() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown"
    flags = set(next((ln for ln in info.splitlines() if ln.startswith("flags")), "").split())
    return ",".join(f for f in ("avx2", "avx512f", "avx512_vnni") if f in flags) or "none"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--show", type=int, default=0, help="print the first N mined pairs")
    parser.add_argument("--corpora", action="store_true", help="also mine corpora/")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"needs ../shared/eval beside the repository ({EVAL} not found)", file=sys.stderr)
        return 1
    corpus = read_tmx_pairs(EVAL / "terminology/tico19.all.en-ru.tmx", "en", "ru")
    gold = gold_glossary()
    variants = concept_pairs(gold)
    gold_pairs = {pair for pairs in variants.values() for pair in pairs}
    gold_english = {en for en, _ in gold_pairs}
    frequent = frequent_gold(gold, corpus, 3)
    started = time.perf_counter()
    mined = mine_terms(corpus, source_lang="en", target_lang="ru", limit=args.limit)
    elapsed = time.perf_counter() - started
    print("## Term mining on TICO-19 en-ru (TMX as corpus, FB + Google lists as gold)\n")
    print(
        f"{len(corpus)} sentence pairs; gold: {len(gold)} concepts, {len(gold_pairs)} lemma "
        f"pairs; {len(frequent)} gold pairs occur >= 3 times; mined {len(mined)} pairs in "
        f"{elapsed:.1f} s (load {os.getloadavg()[0]:.1f}, CPU {cpu_flags()})\n"
    )
    print("| k | precision@k | decidable precision@k (n) | recall@k of gold pairs seen >= 3x |")
    print("|---:|---:|---:|---:|")
    for cut, precision, decidable, count, recall in evaluate(
        mined, gold_pairs, gold_english, frequent
    ):
        print(
            f"| {cut} | {100 * precision:.1f}% | {100 * decidable:.1f}% ({count}) "
            f"| {100 * recall:.1f}% |"
        )
    print(
        f"\nhand-judged precision@100: {judged_line('TICO-19', mined[:100], verdicts(JUDGED_TICO))}"
    )
    if args.corpora:
        corpora()
    for rank, m in enumerate(mined[: args.show], start=1):
        verdict = (
            "gold"
            if (m.source_key, m.target_key) in gold_pairs
            else ("WRONG" if m.source_key in gold_english else "-")
        )
        print(f"{rank}\t{verdict}\t{m.cooccurrences}\t{m.source}\t{m.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
