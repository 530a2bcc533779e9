"""``transpipe terms``: list the glossary terms found in a text file, sentence by sentence.

Owns the command's options and output format only; matching is ``transpipe.terms``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from transpipe.cli._common import add_language_check_option, checked_language, stdout_line
from transpipe.inputs import read_text

DESCRIPTION = """\
Segment FILE into sentences and report every glossary term found in each (Russian: any
inflected form; English: plural, possessive, case and hyphenation variants).

Default output: one line per match: segment id, start-end, surface, concept id, status,
preferred terms.
--jsonl output: one JSON object per match:
  {"segment": str, "start": int, "end": int, "doc_start": int, "doc_end": int,
   "surface": str, "concept": str, "status": "preferred"|"admitted"|"forbidden",
   "preferred": {"en": str, "ru": str}}
"preferred" gives, per language, the term a translation of this occurrence should use: the
concept's preferred term, except that an admitted variant (abbreviation, synonym) expects its
own glossary row's counterpart in the other language (ОДКБ -> CSTO, U.N. -> ООН).
"start"/"end" are 0-based, end-exclusive character offsets into the segment text;
"doc_start"/"doc_end" are the same span in the file's text (after UTF-8 decoding and CRLF -> LF).
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "terms",
        help="find glossary terms in a text file",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="UTF-8 text file")
    parser.add_argument("--lang", required=True, choices=("ru", "en"), help="language of FILE")
    parser.add_argument("--glossary", required=True, metavar="G", help="glossary (TSV, CSV or TBX)")
    add_language_check_option(parser)
    parser.add_argument("--jsonl", action="store_true", help="print JSON lines (see above)")
    parser.add_argument(
        "--encoding", metavar="ENC", help="glossary text encoding when not UTF-8 (e.g. cp1251)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from transpipe.segment import segment_text
    from transpipe.terms import TermMatcher, load_glossary

    glossary = load_glossary(args.glossary, encoding=args.encoding)
    text = read_text(args.file, language=checked_language(args, args.lang))
    matcher = TermMatcher(glossary, args.lang)
    document = segment_text(text, args.lang, Path(args.file).stem)
    for segment in document.segments:
        for match in matcher.find(segment.text, segment_id=segment.id):
            preferred = dict(match.preferred)
            if args.jsonl:
                record = {
                    "segment": segment.id,
                    "start": match.span.start,
                    "end": match.span.end,
                    "doc_start": segment.span.start + match.span.start,
                    "doc_end": segment.span.start + match.span.end,
                    "surface": match.surface,
                    "concept": match.concept_id,
                    "status": match.status.value,
                    "preferred": preferred,
                }
                stdout_line(json.dumps(record, ensure_ascii=False))
            else:
                wanted = " / ".join(f"{k}: {v}" for k, v in preferred.items())
                stdout_line(
                    f"{segment.id}\t{match.span.start}-{match.span.end}\t{match.surface}\t"
                    f"{match.concept_id}\t{match.status.value}\t{wanted}"
                )
    return 0
