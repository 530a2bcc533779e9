"""``transpipe score``: sacrebleu metrics of a translation against one or more references.

Owns the command's options and output only; the metrics are ``transpipe.quality.metrics``.
With ``--src`` the rule checks and the reference-free estimate run too.
"""

from __future__ import annotations

import argparse
import json

from transpipe.cli._common import stdout_line
from transpipe.errors import InputError
from transpipe.inputs import read_text

DESCRIPTION = """\
Score a translation (one segment per line) against references with the same line count.

Default output: corpus BLEU, chrF, chrF++ and TER with their sacrebleu signatures.
--json output: one JSON object per input line
  {"line": int, "bleu": float, "chrf": float, "chrf++": float, "ter": float|null,
   "score": float, "status": "good"|"review"|"bad", "issues": [...]}
then one last object {"corpus": {metric: {"score": float, "signature": str}}, ...}.
Without --src, "score" is the sentence chrF and "issues" is empty; with --src it is the
reference-free estimate (see `transpipe qe`) and "issues" lists the rule-check findings.
BLEU tokenisation: 13a for English, intl for Russian (set by --lang, guessed from the text).
Lines over 4,000 characters are scored as aligned windows (TER: 1,000); TER is null for lines
over 10,000 characters and left out of the corpus TER ("ter_skipped" counts them).
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "score",
        help="BLEU/chrF/TER against references (sacrebleu)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--hyp", required=True, metavar="H", help="translation, one per line")
    parser.add_argument(
        "--ref", required=True, action="append", metavar="R", help="reference (repeatable)"
    )
    parser.add_argument("--src", metavar="S", help="source, one per line (adds checks and QE)")
    parser.add_argument("--lang", choices=("ru", "en"), help="target language (default: guessed)")
    parser.add_argument("--from", dest="source_lang", choices=("ru", "en"), help="source language")
    parser.add_argument("--json", action="store_true", help="JSON lines (see above)")
    parser.set_defaults(func=run)


def read_lines(path: str) -> list[str]:
    """Lines of a text file (a final newline does not make an extra empty line)."""
    text = read_text(path)
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def require_same_count(name: str, path: str, lines: list[str], expected: int, other: str) -> None:
    if len(lines) != expected:
        raise InputError(
            f"has {len(lines)} lines but {other} has {expected}",
            path=path,
            hint=f"{name} must have one line per segment",
        )


def guess_lang(lines: list[str]) -> str:
    from transpipe.lang.script import letter_counts

    cyr = lat = 0
    for line in lines[:2000]:
        c, latin = letter_counts(line)
        cyr += c
        lat += latin
    return "ru" if cyr > lat else "en"


def run(args: argparse.Namespace) -> int:
    from transpipe.config import QualityThresholds
    from transpipe.model import LanguagePair
    from transpipe.quality import estimate_quality, reference_metrics, run_checks
    from transpipe.quality.coverage import coverage
    from transpipe.quality.estimate import status_for
    from transpipe.quality.metrics import TER_MAX_CHARS
    from transpipe.quality.records import score_record

    hyps = read_lines(args.hyp)
    if not hyps:
        raise InputError("no segments to score: the file is empty", path=args.hyp)
    refs = [read_lines(path) for path in args.ref]
    for path, ref in zip(args.ref, refs, strict=True):
        require_same_count("the reference", path, ref, len(hyps), args.hyp)
    sources = read_lines(args.src) if args.src else None
    if sources is not None:
        require_same_count("the source", args.src, sources, len(hyps), args.hyp)
    target_lang = args.lang or guess_lang(hyps)
    result = reference_metrics(hyps, refs, target_lang=target_lang)
    if not args.json:
        for name, value in result["corpus"].items():
            shown = "n/a" if value["score"] is None else f"{value['score']:.2f}"
            stdout_line(f"{name:7s} {shown:>8s}  {value['signature']}")
        if result["ter_skipped"]:
            stdout_line(
                f"(TER leaves out {result['ter_skipped']} segment(s) over "
                f"{TER_MAX_CHARS:,} characters)"
            )
        return 0
    thresholds = QualityThresholds()
    records = []
    if sources is not None:
        source_lang = args.source_lang or ("en" if target_lang == "ru" else "ru")
        pair = LanguagePair(source_lang, target_lang)
        coverage(sources, hyps)  # all pairs in batches; the checks and the estimate reuse it
        issues = [run_checks(s, h, pair) for s, h in zip(sources, hyps, strict=True)]
        scores = estimate_quality(sources, hyps, pair, issues=issues, thresholds=thresholds)
        records = [score_record(sc, iss) for sc, iss in zip(scores, issues, strict=True)]
    for i, segment in enumerate(result["segments"]):
        record: dict[str, object] = {"line": i + 1, **segment}
        if records:
            record.update(records[i])
        else:
            chrf = float(segment["chrf"])
            record.update(
                {"score": chrf, "status": status_for(chrf, [], thresholds).value, "issues": []}
            )
        stdout_line(json.dumps(record, ensure_ascii=False, sort_keys=True))
    summary = {
        "corpus": result["corpus"],
        "references": result["references"],
        "ter_skipped": result["ter_skipped"],
        "tokenize": result["tokenize"],
        "segments": len(hyps),
    }
    stdout_line(json.dumps(summary, ensure_ascii=False, sort_keys=True))
    return 0
