"""Sentence-splitter benchmark: transpipe vs razdel, pysbd, sentencex, NLTK punkt, spaCy.

Data: ``../shared/eval/documents/*.docs.tsv`` (WMT newstest2021 and generaltest2022 ru-en
documents; columns doc_id, origlang, para, seg_id, ru, en_refA[, en_refB]). For each document
paragraph and each language (ru column, en_refA column) the gold sentences are joined with one
space into a paragraph text, which every splitter re-splits.

Boundaries are the character offsets where a gold sentence starts inside its paragraph (not
the first). A predicted boundary is the offset where a predicted sentence starts. Errors are
false splits + missed splits, per 1,000 gold sentences. Throughput is UTF-8 MB/s over all
paragraph texts, the median of ``--runs`` runs.

"Gold boundaries without punctuation" counts gold boundaries with no sentence-final punctuation
before them (mostly a headline joined to its first sentence by the join); no punctuation-based
splitter can find them, they are included in every splitter's missed splits.

"Gold 2-in-1" counts gold sentences that hold two sentences: an internal offset at which every
splitter of that language splits (mostly annotation quirks such as two sentences on one line).
They are reported, not tuned for; the "errors/1k excl. 2-in-1" column does not count splits at
those offsets as false.

Run: ``python benchmarks/segmentation.py [--runs 3] [--shared ../shared]``
Peers need: ``pip install razdel pysbd sentencex nltk spacy`` (spaCy uses a blank pipeline with
its rule-based ``sentencizer``; NLTK punkt is trained unsupervised on the benchmark text itself
when the pretrained ``punkt_tab`` data is not installed).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
Splitter = Callable[[str], list[int]]  # paragraph text -> predicted boundary offsets


@dataclass(frozen=True)
class Paragraph:
    text: str
    boundaries: frozenset[int]
    sentences: int
    sentence_spans: tuple[tuple[int, int], ...]
    ids: tuple[str, ...]  # "file doc_id seg_id" per gold sentence


def load_paragraphs(shared: Path) -> dict[str, list[Paragraph]]:
    """Gold paragraphs per language from every ``*.docs.tsv`` file."""
    csv.field_size_limit(sys.maxsize)
    grouped: dict[str, dict[tuple[str, str, str], list[tuple[str, str]]]] = {"ru": {}, "en": {}}
    files = sorted((shared / "eval" / "documents").glob("*.docs.tsv"))
    if not files:
        raise SystemExit(f"no *.docs.tsv under {shared / 'eval' / 'documents'}")
    for path in files:
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
            for row in reader:
                key = (path.name, row["doc_id"], row["para"])
                for lang, column in (("ru", "ru"), ("en", "en_refA")):
                    sentence = " ".join((row.get(column) or "").split())
                    if sentence:
                        where = f"{path.name.split('.')[0]} {row['doc_id']} #{row['seg_id']}"
                        grouped[lang].setdefault(key, []).append((sentence, where))
    result: dict[str, list[Paragraph]] = {}
    for lang, paragraphs in grouped.items():
        items = []
        for rows in paragraphs.values():
            sentences = [sentence for sentence, _ in rows]
            text = " ".join(sentences)
            starts, spans, offset = [], [], 0
            for sentence in sentences:
                starts.append(offset)
                spans.append((offset, offset + len(sentence)))
                offset += len(sentence) + 1
            items.append(
                Paragraph(
                    text,
                    frozenset(starts[1:]),
                    len(sentences),
                    tuple(spans),
                    tuple(where for _, where in rows),
                )
            )
        result[lang] = items
    return result


def offsets_of(text: str, sentences: Iterable[str]) -> list[int]:
    """Boundary offsets of sentences given as strings (located in order in ``text``)."""
    starts: list[int] = []
    position = 0
    for sentence in sentences:
        piece = sentence.strip()
        if not piece:
            continue
        found = text.find(piece, position)
        if found < 0:  # the splitter changed the text; fall back to its first word
            found = text.find(piece.split()[0], position)
        if found < 0:
            continue
        starts.append(found)
        position = found + len(piece)
    return [s for s in starts if s > 0]


def build_splitters(lang: str, paragraphs: list[Paragraph]) -> dict[str, Splitter]:
    """Every available splitter for ``lang``; missing packages are reported and skipped."""
    from transpipe.segment import RuleSegmenter

    splitters: dict[str, Splitter] = {}
    ours = RuleSegmenter(lang)
    splitters["transpipe"] = lambda t: [s.start for s in ours.split(t)][1:]
    try:
        from transpipe.segment import load_rules
        from transpipe.segment.srx import SrxSegmenter

        srx = SrxSegmenter.from_rules(load_rules(lang))
        splitters["transpipe (SRX export)"] = lambda t: [s.start for s in srx.split(t)][1:]
    except ImportError as exc:
        print(f"skip transpipe SRX: {exc}", file=sys.stderr)
    if lang == "ru":
        try:
            import razdel

            splitters["razdel"] = lambda t: [s.start for s in razdel.sentenize(t)][1:]
        except ImportError as exc:
            print(f"skip razdel: {exc}", file=sys.stderr)
    try:
        import pysbd

        sbd = pysbd.Segmenter(language=lang, clean=False)
        splitters["pysbd"] = lambda t: offsets_of(t, sbd.segment(t))
    except ImportError as exc:
        print(f"skip pysbd: {exc}", file=sys.stderr)
    try:
        import sentencex

        splitters["sentencex"] = lambda t: offsets_of(t, sentencex.segment(lang, t))
    except ImportError as exc:
        print(f"skip sentencex: {exc}", file=sys.stderr)
    try:
        splitters[_punkt_name(lang)] = _punkt(lang, paragraphs)
    except ImportError as exc:
        print(f"skip nltk: {exc}", file=sys.stderr)
    try:
        import spacy

        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        splitters["spaCy sentencizer"] = lambda t: [s.start_char for s in nlp(t).sents][1:]
    except ImportError as exc:
        print(f"skip spacy: {exc}", file=sys.stderr)
    return splitters


_PUNKT_LANG = {"ru": "russian", "en": "english"}


def _punkt_pretrained() -> bool:
    import nltk

    try:
        nltk.data.find("tokenizers/punkt_tab")
    except LookupError:
        return False
    return True


def _punkt_name(lang: str) -> str:
    import nltk  # noqa: F401  (raise ImportError early)

    if _punkt_pretrained():
        return "NLTK punkt (pretrained)"
    return "NLTK punkt (trained on test text)"


def _punkt(lang: str, paragraphs: list[Paragraph]) -> Splitter:
    if _punkt_pretrained():
        import nltk

        def pretrained(text: str) -> list[int]:
            return offsets_of(text, nltk.sent_tokenize(text, language=_PUNKT_LANG[lang]))

        return pretrained
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tokenizer = PunktSentenceTokenizer("\n\n".join(p.text for p in paragraphs))
    return lambda t: [start for start, _ in tokenizer.span_tokenize(t)][1:]


@dataclass
class Result:
    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    fp_two_in_one: int = 0
    mb_per_s: float = 0.0


def evaluate(
    lang: str, paragraphs: list[Paragraph], splitters: dict[str, Splitter], runs: int
) -> tuple[list[Result], list[str]]:
    predictions: dict[str, list[set[int]]] = {}
    size_mb = sum(len(p.text.encode("utf-8")) for p in paragraphs) / 1e6
    results = []
    for name, split in splitters.items():
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            outputs = [set(split(p.text)) for p in paragraphs]
            timings.append(time.perf_counter() - started)
        predictions[name] = outputs
        results.append(Result(name, mb_per_s=size_mb / statistics.median(timings)))
    # internal offsets where every splitter (peers and ours) splits: gold 2-in-1 sentences
    agreed: list[set[int]] = []
    two_in_one: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        common = set.intersection(*(predictions[n][i] for n in splitters))
        extra = common - paragraph.boundaries
        agreed.append(extra)
        for (a, b), where in zip(paragraph.sentence_spans, paragraph.ids, strict=True):
            for x in sorted(extra):
                if a < x < b:
                    excerpt = paragraph.text[max(a, x - 40) : min(b, x + 30)]
                    two_in_one.append(f"{where}: …{excerpt}…")
                    break
    for result in results:
        for i, paragraph in enumerate(paragraphs):
            predicted = predictions[result.name][i]
            result.tp += len(predicted & paragraph.boundaries)
            false = predicted - paragraph.boundaries
            result.fp += len(false)
            result.fp_two_in_one += len(false & agreed[i])
            result.fn += len(paragraph.boundaries - predicted)
    return results, two_in_one


def unpunctuated(paragraphs: list[Paragraph]) -> int:
    """Gold boundaries with no sentence punctuation before them (headline joined to text)."""
    count = 0
    for paragraph in paragraphs:
        for boundary in paragraph.boundaries:
            before = paragraph.text[:boundary].rstrip().rstrip("\"'»”“’)]")
            count += not before.endswith((".", "!", "?", "…", ":", ";"))
    return count


def table(lang: str, results: list[Result], sentences: int, two_in_one: int, no_punct: int) -> str:
    lines = [
        f"### {lang}: {sentences} gold sentences; gold 2-in-1 sentences: {two_in_one}; "
        f"gold boundaries without punctuation (missed by every splitter): {no_punct}",
        "",
        "| splitter | precision | recall | F1 | false splits | missed splits "
        "| errors/1k sent. | errors/1k excl. 2-in-1 | MB/s (median) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(results, key=lambda r: r.fp + r.fn):
        precision = r.tp / (r.tp + r.fp) if r.tp + r.fp else 0.0
        recall = r.tp / (r.tp + r.fn) if r.tp + r.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        errors = 1000 * (r.fp + r.fn) / sentences
        excl = 1000 * (r.fp - r.fp_two_in_one + r.fn) / sentences
        lines.append(
            f"| {r.name} | {precision:.4f} | {recall:.4f} | {f1:.4f} | {r.fp} | {r.fn} "
            f"| {errors:.1f} | {excl:.1f} | {r.mb_per_s:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO_ROOT.parent / "shared")
    parser.add_argument("--runs", type=int, default=3, help="timing runs (median is reported)")
    parser.add_argument("--lang", choices=("ru", "en"), action="append")
    args = parser.parse_args(argv)
    data = load_paragraphs(args.shared)
    for lang in args.lang or ["ru", "en"]:
        paragraphs = data[lang]
        splitters = build_splitters(lang, paragraphs)
        results, two_in_one = evaluate(lang, paragraphs, splitters, args.runs)
        sentences = sum(p.sentences for p in paragraphs)
        print(table(lang, results, sentences, len(two_in_one), unpunctuated(paragraphs)))
        print()
        print(f"Gold 2-in-1 sentences ({lang}), split by every splitter:")
        for line in two_in_one:
            print(f"- {line}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
