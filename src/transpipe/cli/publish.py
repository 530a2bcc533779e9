"""``transpipe publish IN OUT``: a reviewed translation becomes the article, with a readiness gate.

Owns the publish subcommand. IN is a PO, XLIFF or TMX file, or a translation memory (SQLite)
together with ``--source ARTICLE``; OUT is ``.txt``, ``.md`` or ``.html``. The readiness
summary (approved, fuzzy, untranslated, term failures) is printed; an article that is not
ready is refused (exit 1) unless ``--allow-unreviewed``, which writes a visibly marked draft.
The source article (``--source``, or ``<name>.<lang>.txt`` found beside IN) gives paragraphs,
line breaks and order; without it the segment ids do. OUT is written all-or-nothing under
the no-clobber rule of :mod:`transpipe.outputs.rule`: an existing file is kept unless
``--force``, which keeps a numbered backup of it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from transpipe.errors import ConfigError, InputError


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="write the reviewed article (.txt, .md, .html), refusing unreviewed work",
        description=(
            "Write the translated article from a reviewed PO, XLIFF or TMX file (or a "
            "translation memory with --source). Prints 'N approved, N fuzzy, N untranslated, "
            "N term failures' and refuses while anything is not approved, unless "
            "--allow-unreviewed (the output is then marked as an unreviewed draft)."
        ),
    )
    parser.add_argument("input", metavar="IN", help="PO, XLIFF or TMX file, or a memory .db")
    parser.add_argument("output", metavar="OUT", help="article to write: .txt, .md or .html")
    parser.add_argument(
        "--allow-unreviewed",
        action="store_true",
        help="publish anyway, marking the output and every unfinished segment as a draft",
    )
    parser.add_argument(
        "--source",
        metavar="ARTICLE",
        help="the source article (default: <name>.<lang>.txt beside IN, if there is one)",
    )
    parser.add_argument("--glossary", metavar="G", help="check terms against this glossary too")
    parser.add_argument("--from", dest="source_lang", metavar="LANG", help="memory: source")
    parser.add_argument("--to", dest="target_lang", metavar="LANG", help="memory: target")
    parser.add_argument("--force", action="store_true", help="replace an existing OUT")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from transpipe.cli._common import stdout_line
    from transpipe.inputs import read_text
    from transpipe.outputs.rule import claim
    from transpipe.outputs.single import write_output
    from transpipe.publish import format_for, prepare_article, publish_bytes
    from transpipe.publish.sources import is_memory

    in_path, out_path = Path(args.input), Path(args.output)
    fmt = format_for(out_path.suffix)
    claim(out_path, force=args.force)  # the no-clobber rule, before any work
    terms = None
    if args.glossary:
        from transpipe.terms import CompiledGlossary, load_glossary

        terms = CompiledGlossary(load_glossary(args.glossary))
    if is_memory(in_path):
        units, name, pair, document = _from_memory(args, in_path, read_text)
        article, leftovers = prepare_article(
            units, name=name, pair=pair, document=document, terms=terms
        )
    else:
        article, leftovers = _from_file(args, in_path, terms, read_text)
    if leftovers:
        raise InputError(
            f"{len(leftovers)} segment(s) of the translation are not in the source article "
            f"(first: {leftovers[0].id})",
            path=in_path,
            hint="give the source article this translation was made from",
        )
    data = publish_bytes(article, fmt, allow_unreviewed=args.allow_unreviewed, origin=in_path)
    write_output(out_path, lambda stream: stream.write(data), force=args.force)
    draft = " (marked unreviewed draft)" if not article.readiness.ready else ""
    stdout_line(f"{in_path}: {article.readiness.describe()} -> {out_path}{draft}")
    return 0


def _from_file(
    args: argparse.Namespace, in_path: Path, terms: Any, read_text: Any
) -> tuple[Any, tuple[Any, ...]]:
    from transpipe.formats.registry import read_bitext
    from transpipe.publish import prepare_article
    from transpipe.publish.article import parse_segment_id
    from transpipe.publish.sources import find_source_article
    from transpipe.segment import segment_text

    bitext = read_bitext(in_path)
    pair = bitext.pair
    parsed = [parse_segment_id(u.id) for u in bitext.units]
    name = parsed[0][0] if parsed and all(parsed) and parsed[0] else bitext.name
    given = Path(args.source) if args.source else None
    found = given or find_source_article(in_path, name, pair.source)
    if found is None:
        return prepare_article(bitext.units, name=name, pair=pair, terms=terms)
    document = segment_text(read_text(found), pair.source, name)
    article, leftovers = prepare_article(
        bitext.units, name=name, pair=pair, document=document, terms=terms
    )
    if leftovers and given is None:
        print(
            f"transpipe: warning: {found} does not contain {len(leftovers)} segment(s) of "
            f"{in_path}; laying the article out from the segment ids",
            file=sys.stderr,
        )
        return prepare_article(bitext.units, name=name, pair=pair, terms=terms)
    return article, leftovers


def _from_memory(args: argparse.Namespace, in_path: Path, read_text: Any) -> tuple[Any, ...]:
    from transpipe.model import LanguagePair
    from transpipe.publish.sources import article_name_and_lang, translation_from_memory
    from transpipe.segment import segment_text

    if not args.source:
        raise ConfigError(
            f"{in_path} is a translation memory: give the source article with --source ARTICLE"
        )
    article_path = Path(args.source)
    name, lang = article_name_and_lang(article_path)
    source = args.source_lang or lang
    if source is None or args.target_lang is None:
        raise ConfigError(
            "with a translation memory give --to LANG (and --from LANG unless the article is "
            "named <name>.<lang>.txt)"
        )
    pair = LanguagePair(source, args.target_lang)
    document = segment_text(read_text(article_path), pair.source, name)
    units = translation_from_memory(in_path, document, pair)
    return units, name, pair, document
