"""``transpipe glossary check|import|export|extract|merge|diff|audit``: the linguist's workbench.

Owns the subcommands' options and output; the work is in ``transpipe.terms``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from transpipe.cli._common import add_force_option, stdout_line
from transpipe.errors import ConfigError
from transpipe.inputs import read_text
from transpipe.outputs import claim, write_output

CHECK_HELP = """\
Check a glossary and report every problem in one run: rows that cannot be read (the rest is
still checked), two preferred terms in one concept and language, terms both approved and
forbidden, conflicting translations, concepts missing a language (errors: critical/major);
duplicates, case-only duplicates, cells with spaces at an edge (warnings: minor); and, with
--corpus, terms that never occur in the corpus in any inflected form (notes: info).
One finding per line, worst first: severity, check, concept id, FILE:LINE, message (or JSON
lines with --jsonl), then a summary line. Exit status 1 when there is any error.
"""
EXTRACT_HELP = """\
Mine candidate term pairs from aligned or reviewed translations, for a linguist to review.
Sources (any number, in one run): --tmx FILE, --bitext FILE (PO/XLIFF: non-fuzzy units),
--tm DB (reviewed units), --pairs DIR (article pairs <slug>.<from>.txt / <slug>.<to>.txt,
aligned with transpipe's aligner; only confident links are used), --src/--tgt line-aligned
files. Candidates are noun phrases compared as lemmas, paired by co-occurrence (Dice) and
spelling similarity, linked one-to-one (no fragments), ranked by association; terms already
in --glossary (any form) are left out.
Output: the project TSV layout (or TBX v2 for OUT.tbx) with status "proposed" and the
evidence in the note; glossary readers refuse proposed terms until a linguist sets them to
preferred, admitted or forbidden.
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "glossary", help="check, import, export, mine, merge, diff and audit glossaries"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True

    check = actions.add_parser(
        "check",
        help="find problems in a glossary",
        description=CHECK_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("glossary", metavar="G")
    check.add_argument("--corpus", nargs="+", metavar="FILE", default=[], help="text files")
    check.add_argument("--lang", choices=("ru", "en"), help="language of the corpus files")
    check.add_argument(
        "--languages", default="en,ru", help="languages every concept needs (default en,ru)"
    )
    check.add_argument("--jsonl", action="store_true", help="print JSON lines")
    check.add_argument("--encoding", metavar="ENC", help="glossary encoding if not UTF-8")
    check.set_defaults(func=run_check)

    importer = actions.add_parser(
        "import", help="convert any glossary format to the project TSV layout"
    )
    importer.add_argument("input", metavar="IN", help="TSV, OmegaT TSV, CSV or TBX glossary")
    importer.add_argument("output", metavar="OUT", help="project TSV to write (.tsv)")
    importer.add_argument("--encoding", metavar="ENC", help="input encoding if not UTF-8")
    importer.add_argument("--from", dest="source", help="source language of header-less input")
    importer.add_argument("--to", dest="target", help="target language of header-less input")
    add_force_option(importer)
    importer.set_defaults(func=run_import)

    exporter = actions.add_parser(
        "export",
        help="write a glossary as TSV, CSV or TBX",
        description="Format by OUT's extension: .tbx (TBX v2, or v3 with --tbx-version 3), "
        ".csv (layout full|deepl|google|amazon), .tsv/.txt (layout full), .txt/.utf8 (layout "
        "omegat: source, target, comment; forbidden variants kept with a FORBIDDEN comment). "
        "For CAT tools use TBX v2 or the OmegaT layout: OmegaT 3.6 and Translate Toolkit read "
        "TBX v2 (martif); TBX v3 (ISO 30042:2019) is for tools that support it and is read by "
        "neither. The DeepL layout lists each source term once. An existing OUT is replaced "
        "only with --force.",
    )
    exporter.add_argument("input", metavar="IN")
    exporter.add_argument("output", metavar="OUT")
    exporter.add_argument(
        "--layout",
        default="full",
        choices=("full", "deepl", "google", "amazon", "omegat"),
        help="column layout for CSV/TSV (default full: lossless)",
    )
    exporter.add_argument(
        "--tbx-version",
        type=int,
        default=2,
        choices=(2, 3),
        help="2 (default, read by CAT tools) or 3 (ISO 30042:2019 core)",
    )
    add_force_option(exporter)
    exporter.add_argument("--from", dest="source", default="en", help="source language (en)")
    exporter.add_argument("--to", dest="target", default="ru", help="target language (ru)")
    exporter.add_argument("--encoding", metavar="ENC", help="input encoding if not UTF-8")
    exporter.set_defaults(func=run_export)

    extract = actions.add_parser(
        "extract",
        aliases=["mine"],
        help="mine candidate term pairs from aligned or reviewed translations",
        description=EXTRACT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument("--tmx", metavar="FILE", action="append", default=[], help="TMX file")
    extract.add_argument(
        "--bitext", metavar="FILE", action="append", default=[], help="PO or XLIFF file"
    )
    extract.add_argument("--tm", metavar="DB", help="translation memory (reviewed units)")
    extract.add_argument("--pairs", metavar="DIR", help="directory of article pairs to align")
    extract.add_argument("--src", metavar="FILE", help="source-language file, one segment a line")
    extract.add_argument("--tgt", metavar="FILE", help="target-language file, line-aligned")
    extract.add_argument("--from", dest="source", required=True, choices=("en", "ru"))
    extract.add_argument("--to", dest="target", required=True, choices=("en", "ru"))
    extract.add_argument("--glossary", metavar="G", help="known terms to leave out")
    extract.add_argument("--out", metavar="OUT", help="write .tsv or .tbx instead of stdout")
    add_force_option(extract)
    extract.add_argument("--min-freq", type=int, default=3, help="sentence pairs (default 3)")
    extract.add_argument("--limit", type=int, default=500, help="most pairs (default 500)")
    extract.set_defaults(func=run_extract)

    merge = actions.add_parser(
        "merge",
        help="merge glossary B into A (A's ids and decisions win), with a conflict report",
        description="Merge B into A and write OUT (format by extension, like export). A "
        "concept of B joins the A concept with its id or, failing that, with one of its terms "
        "(lemma level); new terms are added (a second preferred one as admitted); other B "
        "concepts are added under their own id, renamed <id>-2 when A uses the id for "
        "another concept. Prints one line per conflict (status, preferred term, attribute, "
        "renamed id: A's choice kept) and a summary line.",
    )
    merge.add_argument("first", metavar="A")
    merge.add_argument("second", metavar="B")
    merge.add_argument("--out", required=True, metavar="OUT")
    add_force_option(merge)
    merge.set_defaults(func=run_merge)

    diff = actions.add_parser(
        "diff",
        help="list what changed between two versions of a glossary",
        description="Concepts added and removed, terms added and removed, status and note "
        "changes, changed concept attributes; concepts are matched by id. One change per "
        "line: kind, concept id, detail (or JSON lines with --jsonl). Exit status 1 when the "
        "glossaries differ, 0 when they are the same (like diff).",
    )
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--jsonl", action="store_true", help="print JSON lines")
    diff.set_defaults(func=run_diff)

    from transpipe.cli.glossary_audit import add_audit_parser

    add_audit_parser(actions)


def run_check(args: argparse.Namespace) -> int:
    from transpipe.model import Severity
    from transpipe.terms import load_glossary
    from transpipe.terms.checks import check_glossary
    from transpipe.terms.tsv import ReadProblems

    if args.corpus and not args.lang:
        raise ConfigError("--corpus needs --lang (the language of the corpus files)")
    problems = ReadProblems()
    glossary = load_glossary(args.glossary, encoding=args.encoding, problems=problems)
    corpus = [read_text(path) for path in args.corpus]
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    findings = check_glossary(
        glossary,
        languages=languages,
        corpus=corpus,
        corpus_lang=args.lang if args.corpus else None,
        problems=problems,
    )
    for finding in findings:
        if args.jsonl:
            record = {
                "check": finding.check,
                "severity": finding.severity.label,
                "concept": finding.concept_id,
                "line": finding.line,
                "message": finding.message,
            }
            stdout_line(json.dumps(record, ensure_ascii=False))
        else:
            stdout_line(
                f"{finding.severity.label}\t{finding.check}\t{finding.concept_id}\t"
                f"{args.glossary}:{finding.line}\t{finding.message}"
            )
    errors = sum(f.severity >= Severity.MAJOR for f in findings)
    warnings = sum(f.severity is Severity.MINOR for f in findings)
    notes = len(findings) - errors - warnings
    if not args.jsonl:
        verdict = (
            f"{errors} errors, {warnings} warnings, {notes} notes" if findings else "no problems"
        )
        stdout_line(f"{args.glossary}: {len(glossary)} concepts checked: {verdict}")
    return 1 if errors else 0


def run_import(args: argparse.Namespace) -> int:
    from transpipe.terms import load_glossary, render_glossary

    if Path(args.output).suffix.lower() not in (".tsv", ".tab", ".txt"):
        raise ConfigError(
            "import writes the project TSV layout; name OUT *.tsv (use export for other formats)"
        )
    glossary = load_glossary(
        args.input, encoding=args.encoding, source_lang=args.source, target_lang=args.target
    )
    data = render_glossary(glossary, args.output)
    write_output(args.output, lambda stream: stream.write(data), force=args.force)
    stdout_line(f"{args.output}: {len(glossary)} concepts")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from transpipe.terms import load_glossary, render_glossary

    suffix = Path(args.output).suffix.lower()
    if suffix == ".csv" and args.layout == "omegat":
        raise ConfigError("layout omegat is a tab-separated layout; name OUT *.txt or *.utf8")
    if suffix not in (".csv", ".tbx", ".xml") and args.layout in ("deepl", "google", "amazon"):
        raise ConfigError(f"layout {args.layout} is a CSV layout; name OUT *.csv")
    glossary = load_glossary(args.input, encoding=args.encoding)
    data = render_glossary(
        glossary,
        args.output,
        layout=args.layout,
        tbx_version=args.tbx_version,
        source_lang=args.source,
        target_lang=args.target,
    )
    write_output(args.output, lambda stream: stream.write(data), force=args.force)
    stdout_line(f"{args.output}: {len(glossary)} concepts")
    return 0


def _mining_pairs(args: argparse.Namespace) -> list[tuple[str, str]]:
    from transpipe.model import LanguagePair
    from transpipe.workbench import sources

    pair = LanguagePair(args.source, args.target)
    if bool(args.src) != bool(args.tgt):
        raise ConfigError("--src and --tgt go together")
    found: list[tuple[str, str]] = []
    for path in args.tmx:
        found += sources.read_tmx_pairs(path, args.source, args.target)
    for path in args.bitext:
        found += sources.read_bitext_pairs(path, pair)
    if args.tm:
        found += sources.read_memory_pairs(args.tm, pair)
    if args.pairs:
        found += sources.read_aligned_articles(args.pairs, pair)
    if args.src:
        found += sources.read_parallel(args.src, args.tgt)
    if not (args.tmx or args.bitext or args.tm or args.pairs or args.src):
        raise ConfigError(
            "nothing to mine", hint="give --tmx, --bitext, --tm, --pairs or --src/--tgt"
        )
    return found


def run_extract(args: argparse.Namespace) -> int:
    from transpipe.terms import load_glossary
    from transpipe.workbench.mining import mine_terms, unique_pairs
    from transpipe.workbench.proposals import render_proposals_tbx, render_proposals_tsv

    if args.source == args.target:
        raise ConfigError("--from and --to must differ")
    out = Path(args.out) if args.out else None
    if out is not None:
        if out.suffix.lower() not in (".tsv", ".tbx"):
            raise ConfigError(f"cannot tell the output format of {out}", hint="use .tsv or .tbx")
        claim(out, force=args.force)  # refuse before mining, not after it
    known = load_glossary(args.glossary) if args.glossary else None
    mined = mine_terms(
        unique_pairs(_mining_pairs(args)),
        source_lang=args.source,
        target_lang=args.target,
        known=known,
        min_freq=args.min_freq,
        limit=args.limit,
    )
    render = (
        render_proposals_tbx
        if out is not None and out.suffix.lower() == ".tbx"
        else (render_proposals_tsv)
    )
    data = render(mined, args.source, args.target)
    if out is None:
        sys.stdout.buffer.write(data)
        return 0
    write_output(out, lambda stream: stream.write(data), force=args.force)
    stdout_line(f"{out}: {len(mined)} proposed term pairs")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from transpipe.terms import load_glossary, render_glossary
    from transpipe.terms.merge import merge_glossaries

    report = merge_glossaries(load_glossary(args.first), load_glossary(args.second))
    data = render_glossary(report.glossary, args.out)
    write_output(args.out, lambda stream: stream.write(data), force=args.force)
    for concept_id, message in report.conflicts:
        stdout_line(f"conflict\t{concept_id}\t{message}")
    stdout_line(
        f"{args.out}: {len(report.glossary)} concepts ({len(report.merged)} of B merged into "
        f"A's, {len(report.added)} added, {len(report.renamed)} renamed), "
        f"{len(report.conflicts)} conflicts"
    )
    return 0


def run_diff(args: argparse.Namespace) -> int:
    from transpipe.terms import load_glossary
    from transpipe.terms.merge import diff_glossaries

    changes = diff_glossaries(load_glossary(args.old), load_glossary(args.new))
    for change in changes:
        if args.jsonl:
            record = {"kind": change.kind, "concept": change.concept, "detail": change.detail}
            stdout_line(json.dumps(record, ensure_ascii=False))
        else:
            stdout_line(f"{change.kind}\t{change.concept}\t{change.detail}")
    return 1 if changes else 0
