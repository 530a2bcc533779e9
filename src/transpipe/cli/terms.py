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

Segment ids are those `translate` gives (news.ru.txt -> news:p1:s1). Exit status 1 when a
forbidden variant is found (`glossary audit` checks whole directories and translations).

Default output: one line per match: FILE:LINE:COLUMN, segment id, start-end, surface,
concept id, status, preferred terms.
--jsonl output: one JSON object per match:
  {"segment": str, "line": int, "column": int, "start": int, "end": int,
   "doc_start": int, "doc_end": int, "surface": str, "concept": str,
   "status": "preferred"|"admitted"|"forbidden", "preferred": {"en": str, "ru": str},
   "context": str}
"preferred" gives, per language, the term a translation of this occurrence should use: the
concept's preferred term, except that an admitted variant (abbreviation, synonym) expects its
own glossary row's counterpart in the other language (ОДКБ -> CSTO, U.N. -> ООН).
"line"/"column" (1-based) locate the match in FILE; "start"/"end" are 0-based,
end-exclusive character offsets into the segment text;
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
    from transpipe.cli.glossary_audit import document_name
    from transpipe.model import TermStatus
    from transpipe.segment import segment_text
    from transpipe.terms import TermMatcher, load_glossary
    from transpipe.workbench.audit import Locator, context

    glossary = load_glossary(args.glossary, encoding=args.encoding)
    text = read_text(args.file, language=checked_language(args, args.lang))
    matcher = TermMatcher(glossary, args.lang)
    document = segment_text(text, args.lang, document_name(Path(args.file), args.lang))
    locator = Locator(text)
    forbidden = 0
    for segment in document.segments:
        for match in matcher.find(segment.text, segment_id=segment.id):
            preferred = dict(match.preferred)
            line, column = locator.position(segment.span.start + match.span.start)
            forbidden += match.status is TermStatus.FORBIDDEN
            if args.jsonl:
                record = {
                    "segment": segment.id,
                    "line": line,
                    "column": column,
                    "start": match.span.start,
                    "end": match.span.end,
                    "doc_start": segment.span.start + match.span.start,
                    "doc_end": segment.span.start + match.span.end,
                    "surface": match.surface,
                    "concept": match.concept_id,
                    "status": match.status.value,
                    "preferred": preferred,
                    "context": context(segment.text, match.span.start, match.span.end),
                }
                stdout_line(json.dumps(record, ensure_ascii=False))
            else:
                wanted = " / ".join(f"{k}: {v}" for k, v in preferred.items())
                stdout_line(
                    f"{args.file}:{line}:{column}\t{segment.id}\t"
                    f"{match.span.start}-{match.span.end}\t{match.surface}\t"
                    f"{match.concept_id}\t{match.status.value}\t{wanted}"
                )
    return 1 if forbidden else 0
