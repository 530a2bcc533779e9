"""``transpipe align``: align two language versions of an article into translation units.

Owns the command's options, its input conventions (running text segmented by
``transpipe.segment``, or ``--segmented``: one segment per line) and its three outputs (a
side-by-side listing, ``--jsonl`` links, ``--out`` TMX/PO). Alignment is ``transpipe.align``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from transpipe.cli._common import (
    add_language_check_option,
    checked_language,
    created_timestamp,
    paths_from_env,
    stdout_line,
)
from transpipe.errors import ConfigError, InputError
from transpipe.inputs import read_text

if TYPE_CHECKING:
    from transpipe.align import Link
    from transpipe.model import Bitext, Document

DESCRIPTION = """\
Align SRC (in --from) with TGT (in --to), two versions of the same article.

Both files are split into paragraphs (blank lines) and sentences, unless --segmented says
each file already holds one segment per line (hunalign/Vecalign input convention; every line
counts, so indices are line numbers - 1). Links are 1-1, 1-2, 2-1, 2-2, and 1-0 / 0-1 for
sentences only one version has; each has a confidence in [0, 1].

Outputs:
  (default)   a side-by-side listing; links below the review threshold are marked REVIEW
  --jsonl     one JSON object per link, in document order, null links included:
              {"source": [i, ...], "target": [j, ...], "score": float}  (0-based indices)
  --out F     TMX (.tmx) or PO (.po): one unit per non-null link, id = first source segment
              id, merged sentences joined with a space, low-confidence units fuzzy; 1-0 / 0-1
              links are left out (counted in the header props). Written atomically; an
              existing F is replaced only when it is transpipe's own unedited output,
              otherwise kept unless --force (which keeps a numbered backup F.~N~).
"""

OUT_FORMATS = (".tmx", ".po")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "align",
        help="align two language versions of an article",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("src", metavar="SRC", help="source-language text file (UTF-8)")
    parser.add_argument("tgt", metavar="TGT", help="target-language text file (UTF-8)")
    parser.add_argument("--from", dest="source", required=True, choices=("ru", "en"))
    parser.add_argument("--to", dest="target", required=True, choices=("ru", "en"))
    parser.add_argument("--glossary", metavar="G", help="glossary (TSV/CSV/TBX): terms as anchors")
    parser.add_argument("--out", metavar="X.tmx|X.po", help="write translation units to a file")
    add_language_check_option(parser)
    parser.add_argument("--jsonl", action="store_true", help="print links as JSON lines")
    parser.add_argument(
        "--segmented", action="store_true", help="inputs hold one segment per line, as given"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an --out file a person edited (a numbered backup is kept)",
    )
    parser.set_defaults(func=run, usage_error=parser.error)


def run(args: argparse.Namespace) -> int:
    from transpipe.align import AlignWeights, align_documents
    from transpipe.model import LanguagePair

    if args.source == args.target:
        args.usage_error("--from and --to must differ")
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in OUT_FORMATS:
        raise ConfigError(
            f"cannot tell the output format of {out}", hint="use a .tmx or .po file name"
        )
    if out is not None:
        from transpipe.outputs import claim

        claim(out, force=args.force, regenerate=True)
    pair = LanguagePair(args.source, args.target)
    src_doc = _document(args.src, pair.source, segmented=args.segmented, args=args)
    tgt_doc = _document(args.tgt, pair.target, segmented=args.segmented, args=args)
    glossary = None
    if args.glossary:
        from transpipe.terms import load_glossary

        glossary = load_glossary(args.glossary)
    created = created_timestamp()
    from transpipe.embeddings import shared_encoder

    encoder = shared_encoder(paths_from_env().models_dir / "cache")
    links, bitext = align_documents(
        src_doc, tgt_doc, pair, glossary=glossary, created=created, encoder=encoder
    )
    if out is not None:
        _write(out, bitext, force=args.force)
    if args.jsonl:
        for link in links:
            stdout_line(json.dumps(link.to_json(), ensure_ascii=False))
    elif out is not None:
        fuzzy = sum(1 for unit in bitext if unit.fuzzy)
        null = sum(1 for link in links if link.is_null)
        stdout_line(f"{out}: {len(bitext)} units ({fuzzy} to review), {null} unaligned sentences")
    else:
        _listing(links, src_doc, tgt_doc, AlignWeights().low_confidence)
    return 0


def _document(path: str, lang: str, *, segmented: bool, args: argparse.Namespace) -> Document:
    text = read_text(path, language=checked_language(args, lang))
    if not text.strip():
        raise InputError("file is empty; nothing to align", path=path)
    from transpipe.cli.translate import output_name

    name = output_name(Path(path), lang)
    if segmented:
        return _lines_document(text, lang, name)
    from transpipe.segment import segment_text

    document = segment_text(text, lang, name)
    if not document.segments:
        raise InputError("no sentences found; nothing to align", path=path)
    return document


def _lines_document(text: str, lang: str, name: str) -> Document:
    """One segment per line, exactly as given (a final newline does not add a segment)."""
    from transpipe.model import Document, Paragraph, Segment, Span, segment_id

    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    segments: list[Segment] = []
    offset = 0
    for number, line in enumerate(lines, start=1):
        span = Span(offset, offset + len(line))
        segments.append(Segment(segment_id(name, 1, number), line, 1, number, span))
        offset = span.end + 1
    paragraph = Paragraph(1, Span(0, len(text)), tuple(segments))
    return Document(name=name, lang=lang, text=text, paragraphs=(paragraph,))


def _write(out: Path, bitext: Bitext, *, force: bool) -> None:
    from transpipe.formats.registry import format_for
    from transpipe.outputs import write_output

    write = format_for(out).write
    write_output(out, lambda stream: write(bitext, stream), force=force, regenerate=True)


def _listing(links: list[Link], src_doc: Document, tgt_doc: Document, threshold: float) -> None:
    src = src_doc.segments
    tgt = tgt_doc.segments
    for number, link in enumerate(links, start=1):
        flag = "  REVIEW" if link.score < threshold else ""
        stdout_line(f"#{number} {link.kind} {link.score:.2f}{flag}")
        src_text = " ".join(src[i].text for i in link.source)
        tgt_text = " ".join(tgt[j].text for j in link.target)
        stdout_line(f"  {src_doc.lang}: {src_text if link.source else '-'}")
        stdout_line(f"  {tgt_doc.lang}: {tgt_text if link.target else '-'}")
