"""``transpipe qe``: reference-free quality estimation of a translation, line by line.

Owns the command's options and output only; checks and scoring are ``transpipe.quality``.
"""

from __future__ import annotations

import argparse
import json

from transpipe.cli._common import stdout_line
from transpipe.cli.score import read_lines, require_same_count

DESCRIPTION = """\
Estimate the quality of a translation without a reference: source and translation files
with one segment per line (same line count).

Default output: one line per segment: line number, score, status, findings.
--jsonl output: one JSON object per input line
  {"line": int, "score": float 0-100, "status": "good"|"review"|"bad",
   "components": {name: float}, "issues": [{"check", "severity", "message", "side",
   "start"?, "end"?}]}
"start"/"end" are character offsets into the source ("side": "source") or the translation.
With --glossary, glossary adherence and forbidden terms are checked too.
--engine-scores F: one mean token log-probability per line (empty line = unknown).
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "qe",
        help="reference-free quality estimation",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--src", required=True, metavar="S", help="source, one per line")
    parser.add_argument("--hyp", required=True, metavar="H", help="translation, one per line")
    parser.add_argument("--from", dest="source_lang", required=True, choices=("ru", "en"))
    parser.add_argument("--to", dest="target_lang", required=True, choices=("ru", "en"))
    parser.add_argument("--glossary", metavar="G", help="glossary (TSV, CSV or TBX)")
    parser.add_argument("--engine-scores", metavar="F", help="mean log-prob per line")
    parser.add_argument(
        "--disable", action="append", default=[], metavar="CHECK", help="switch a check off"
    )
    parser.add_argument("--jsonl", action="store_true", help="JSON lines (see above)")
    parser.set_defaults(func=run)


def _engine_scores(path: str, expected: int, hyp_path: str) -> list[float | None]:
    from transpipe.errors import InputError

    lines = read_lines(path)
    require_same_count("the engine scores", path, lines, expected, hyp_path)
    values: list[float | None] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            values.append(None)
            continue
        try:
            values.append(float(line))
        except ValueError:
            raise InputError(f"not a number: {line[:40]!r}", path=path, line=number) from None
    return values


def run(args: argparse.Namespace) -> int:
    from transpipe.errors import ConfigError, InputError
    from transpipe.model import LanguagePair
    from transpipe.quality import (
        ChecksConfig,
        configure_checks,
        estimate_quality,
        run_checks,
        run_document_checks,
    )
    from transpipe.quality.coverage import coverage
    from transpipe.quality.records import score_record

    if args.source_lang == args.target_lang:
        raise ConfigError("--from and --to must differ")
    pair = LanguagePair(args.source_lang, args.target_lang)
    sources = read_lines(args.src)
    if not sources:
        raise InputError("no segments to estimate: the file is empty", path=args.src)
    hyps = read_lines(args.hyp)
    require_same_count("the translation", args.hyp, hyps, len(sources), args.src)
    config = configure_checks(ChecksConfig(), disable=args.disable)
    terms = None
    if args.glossary:
        from transpipe.terms import CompiledGlossary, load_glossary

        terms = CompiledGlossary(load_glossary(args.glossary))
    engine = _engine_scores(args.engine_scores, len(hyps), args.hyp) if args.engine_scores else None
    coverage(sources, hyps)  # all pairs in batches now; the checks and the estimate reuse it
    document = run_document_checks(hyps, pair, config=config)
    issues = [
        run_checks(s, h, pair, terms=terms, config=config) + doc
        for s, h, doc in zip(sources, hyps, document, strict=True)
    ]
    scores = estimate_quality(sources, hyps, pair, issues=issues, engine_scores=engine)
    for i, (score, found) in enumerate(zip(scores, issues, strict=True), 1):
        if args.jsonl:
            record = {"line": i, **score_record(score, found)}
            stdout_line(json.dumps(record, ensure_ascii=False, sort_keys=True))
        else:
            worst = "; ".join(f"{x.check}: {x.message}" for x in found[:3])
            stdout_line(f"{i}\t{score.value:6.1f}\t{score.status.value}\t{worst}")
    return 0
