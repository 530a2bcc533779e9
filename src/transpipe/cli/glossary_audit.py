"""``transpipe glossary audit``: check published texts and translations against a glossary.

Owns the command's options, which files it reads (texts, directories, PO/TMX/XLIFF, the
translation memory) and its three outputs (text, ``--jsonl``, ``--html``). The audit itself is
``transpipe.workbench.audit``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from transpipe.cli._common import stdout_line
from transpipe.errors import ConfigError, InputError
from transpipe.inputs import read_text
from transpipe.outputs import write_output

if TYPE_CHECKING:
    from transpipe.model import Bitext, LanguagePair
    from transpipe.workbench.audit import GlossaryAudit

DESCRIPTION = """\
Audit texts and translations against a glossary (a publishing gate): every forbidden variant
in any inflected form, and every bilingual unit whose source has a concept the target renders
with neither its preferred nor an admitted term. Exit status 1 when any is found.

PATH may be a text file (.txt; its language from the name, x.ru.txt, or from its script), a
directory (searched recursively for .txt, .po, .tmx, .xlf, .xliff) or a PO/TMX/XLIFF file.
--tm adds every unit of a translation memory.

Output: one line per violation, FILE:LINE:COLUMN, kind, concept, segment id, surface,
expected term, context; then, per concept and language, the renderings used (glossary term,
status, count, surface forms). --jsonl: one JSON object per violation with keys file, line,
column, concept, surface, kind (forbidden|missing), segment, lang, side, expected, context.
--html OUT: the same grouped by concept, one self-contained page.
"""
TEXT_SUFFIXES = (".txt", ".text")
BITEXT_SUFFIXES = (".po", ".pot", ".tmx", ".xlf", ".xliff")


def add_audit_parser(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = actions.add_parser(
        "audit",
        help="find forbidden variants and unrendered terms in texts and translations",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    audit.add_argument("paths", nargs="*", metavar="PATH", help="files or directories")
    audit.add_argument("--glossary", required=True, metavar="G", help="glossary (TSV/CSV/TBX)")
    audit.add_argument("--tm", metavar="DB", help="also audit this translation memory")
    audit.add_argument("--lang", choices=("en", "ru"), help="language of every text file")
    audit.add_argument("--from", dest="source", help="source language of bilingual files")
    audit.add_argument("--to", dest="target", help="target language of bilingual files")
    audit.add_argument("--jsonl", action="store_true", help="print violations as JSON lines")
    audit.add_argument("--html", metavar="OUT.html", help="write a report grouped by concept")
    audit.add_argument("--force", action="store_true", help="replace an existing --html file")
    audit.set_defaults(func=run_audit)


def _files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES + BITEXT_SUFFIXES
                )
            )
        elif path.exists():
            found.append(path)
        else:
            raise InputError("file not found", path=path)
    return found


def text_language(path: Path, text: str) -> str:
    """``ru`` or ``en``: from the name (``slug.ru.txt``), else from the letters' script."""
    from transpipe.lang.script import letter_counts

    parts = path.name.lower().split(".")
    for code in ("ru", "en"):
        if code in parts[1:-1]:
            return code
    cyrillic, latin = letter_counts(text)
    return "ru" if cyrillic > latin else "en"


def document_name(path: Path, lang: str) -> str:
    """Segment ids as ``translate`` makes them: ``slug.en.txt`` -> ``slug:p1:s1``."""
    from transpipe.cli.translate import output_name

    return output_name(path, lang)


def _bitext(path: Path, pair: LanguagePair | None) -> Bitext:
    from transpipe.formats.registry import read_bitext

    bitext = read_bitext(path, pair)
    if "und" in (bitext.pair.source, bitext.pair.target):
        raise InputError(
            "the file does not say its languages", path=path, hint="pass --from and --to"
        )
    return bitext


def _audit_files(audit: GlossaryAudit, files: list[Path], args: argparse.Namespace) -> None:
    from transpipe.model import LanguagePair

    pair = LanguagePair(args.source, args.target) if args.source and args.target else None
    for path in files:
        if path.suffix.lower() in BITEXT_SUFFIXES:
            bitext = _bitext(path, pair)
            raw = read_text(path, expected="a bilingual file")
            audit.audit_bitext(bitext, file=str(path), raw=raw)
        else:
            text = read_text(path)
            lang = args.lang or text_language(path, text)
            audit.audit_text(text, lang=lang, file=str(path), name=document_name(path, lang))


def run_audit(args: argparse.Namespace) -> int:
    from transpipe.terms import load_glossary
    from transpipe.workbench.audit import GlossaryAudit, rendering_lines

    if not args.paths and not args.tm:
        raise ConfigError("nothing to audit", hint="give files, directories or --tm DB")
    if bool(args.source) != bool(args.target):
        raise ConfigError("--from and --to go together")
    if args.html:
        from transpipe.outputs import claim

        claim(Path(args.html), force=args.force)  # refuse before the work, not after it
    glossary = load_glossary(args.glossary)
    audit = GlossaryAudit(glossary)
    _audit_files(audit, _files(args.paths), args)
    if args.tm:
        from transpipe.tm.store import TranslationMemory

        with TranslationMemory(args.tm, create=False) as memory:
            for pair in memory.pairs():
                audit.audit_bitext(memory.export(pair), file=args.tm)
    report = audit.report()
    for finding in report.findings:
        if args.jsonl:
            stdout_line(json.dumps(finding.to_json(), ensure_ascii=False))
        else:
            where = finding.file
            if finding.line:
                where += f":{finding.line}:{finding.column}"
            stdout_line(
                f"{where}\t{finding.kind}\t{finding.concept}\t{finding.segment}\t"
                f"{finding.surface or '-'}\texpected: {finding.expected}\t{finding.context}"
            )
    if not args.jsonl:
        stdout_line(
            f"{report.files} files, {report.segments} segments: {report.violations} violations"
        )
        for line in rendering_lines(report):
            stdout_line(f"renderings\t{line}")
    if args.html:
        from transpipe.workbench.audit_html import render_audit_html

        title = f"Glossary audit: {Path(args.glossary).name}"
        page = render_audit_html(report, title=title)
        write_output(args.html, lambda stream: stream.write(page), force=args.force)
    return 1 if report.violations else 0
