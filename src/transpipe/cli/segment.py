"""``transpipe segment``: print a text file's sentences, one per line or as JSON lines.

Owns the command's options and output format only; segmentation itself is
``transpipe.segment`` (bundled rules, or an SRX 2.0 file with ``--srx``).
"""

from __future__ import annotations

import argparse
import json

from transpipe.cli._common import add_language_check_option, checked_language, stdout_line
from transpipe.inputs import read_text
from transpipe.outputs import write_output

DESCRIPTION = """\
Split FILE into paragraphs (at blank lines) and sentences.

Default output: one sentence per line (line breaks inside a sentence shown as spaces).
--jsonl output: one JSON object per sentence:
  {"paragraph": int, "index": int, "start": int, "end": int, "text": str, "kind": str}
"paragraph" and "index" are 1-based (the sentence number within its paragraph, as in the
segment id "doc:pN:sM"). "start"/"end" are 0-based, end-exclusive character (code point)
offsets into the file's text after UTF-8 decoding (BOM removed) and CRLF -> LF normalisation,
so text[start:end] == "text". "kind" is sentence, headline or boilerplate.

--export-srx OUT writes the bundled rules (both languages, or only --lang) as an SRX 2.0 file
for OmegaT, Okapi and other CAT tools; FILE is then not needed.
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "segment",
        help="split a text file into sentences",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file", metavar="FILE", nargs="?", help="UTF-8 text file (blank line = new paragraph)"
    )
    parser.add_argument("--lang", choices=("ru", "en"), help="language of FILE (required)")
    add_language_check_option(parser)
    parser.add_argument("--jsonl", action="store_true", help="print JSON lines (see above)")
    parser.add_argument(
        "--srx",
        metavar="RULES.srx",
        help="segment with the rules of an SRX 2.0 file instead of the bundled rules",
    )
    parser.add_argument(
        "--export-srx",
        metavar="OUT.srx",
        help="write the bundled rules as an SRX 2.0 file and exit",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace an existing OUT.srx (a backup is kept)"
    )
    parser.set_defaults(func=run, usage_error=parser.error)


def run(args: argparse.Namespace) -> int:
    from transpipe.segment import RuleSegmenter, Segmenter

    if args.export_srx:
        return _export(args)
    if args.file is None or args.lang is None:
        args.usage_error("FILE and --lang are required (unless --export-srx)")
    text = read_text(args.file, language=checked_language(args, args.lang))
    segmenter: Segmenter
    if args.srx:
        from transpipe.segment.srx import SrxSegmenter

        segmenter = SrxSegmenter.from_file(args.srx, args.lang)
    else:
        segmenter = RuleSegmenter(args.lang)
    document = segmenter.segment(text, name="doc")
    for segment in document.segments:
        if args.jsonl:
            record = {
                "paragraph": segment.paragraph,
                "index": segment.index,
                "start": segment.span.start,
                "end": segment.span.end,
                "text": segment.text,
                "kind": segment.kind.value,
            }
            stdout_line(json.dumps(record, ensure_ascii=False))
        else:
            stdout_line(" ".join(segment.text.split()))
    return 0


def _export(args: argparse.Namespace) -> int:
    from transpipe.segment import load_rules
    from transpipe.segment.srx import export_srx

    languages = [args.lang] if args.lang else ["ru", "en"]
    data = export_srx([load_rules(lang) for lang in languages])
    write_output(args.export_srx, lambda stream: stream.write(data), force=args.force)
    return 0
