"""``transpipe convert IN OUT``: TMX <-> PO <-> XLIFF <-> TSV (and -> translated text).

Owns the convert subcommand. Formats are chosen by file extension through
:mod:`transpipe.formats.registry` (the same readers and writers every command uses); ``.txt``
as output writes the translated article. ``--from/--to`` choose the languages (by code, never
by position; a file stating other languages is refused); without them the file's own
languages are used. ``--min-score S`` leaves out units scored below S (0-100).

Output safety: the no-clobber rule of :mod:`transpipe.outputs.rule` (an existing OUT is
kept unless ``--force``, which keeps a numbered backup of it), checked before any work; a
failed run writes nothing. A conversion that finds units in the input but none in the
requested language pair is an error rather than an empty output.

Text output is what an editor publishes, so convert says how ready it is: a readiness line
(approved, fuzzy, untranslated, term failures) on stderr, and a warning naming the units
left out for having no translation; the order of paragraphs is the document's.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path
from typing import Any

from transpipe.cli._common import add_force_option
from transpipe.errors import ConfigError


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="convert between TMX, PO, XLIFF and bilingual TSV by file extension",
        description=(
            "Convert a bilingual file: .tmx, .po/.pot, .xlf/.xliff, .tsv in; "
            ".tmx, .po, .xlf/.xliff, .tsv or .txt (translated text) out. "
            "An existing OUT is kept unless --force is given (then a numbered backup "
            "OUT.~N~ is kept); a failed run writes nothing."
        ),
    )
    parser.add_argument("input", metavar="IN", help="input file")
    parser.add_argument("output", metavar="OUT", help="output file (format from its extension)")
    parser.add_argument("--from", dest="source", metavar="LANG", help="source language code")
    parser.add_argument("--to", dest="target", metavar="LANG", help="target language code")
    parser.add_argument(
        "--xliff-version", choices=("1.2", "2.1"), default="1.2", help="XLIFF output version"
    )
    parser.add_argument(
        "--min-score",
        type=float,
        metavar="S",
        help="leave out units whose quality score is below S (0-100); unscored units stay",
    )
    add_force_option(parser)
    parser.set_defaults(func=run)


def _say(text: str) -> None:
    print(f"transpipe: {text}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from transpipe.formats.registry import format_for, load_bitext
    from transpipe.formats.review import at_least_score
    from transpipe.formats.xliff import write_xliff
    from transpipe.model import LanguagePair
    from transpipe.outputs import claim, write_output

    source_path = Path(args.input)
    target_path = Path(args.output)
    format_for(source_path, reading=True)
    out_format = format_for(target_path)
    if (args.source is None) != (args.target is None):
        raise ConfigError("give both --from and --to, or neither")
    if args.min_score is not None and not 0.0 <= args.min_score <= 100.0:
        raise ConfigError(f"--min-score {args.min_score} is not in 0..100")
    claim(target_path, force=args.force)
    pair = LanguagePair(args.source, args.target) if args.source else None

    bitext = load_bitext(source_path, pair).bitext
    left_out = 0
    if args.min_score is not None:
        bitext, left_out = at_least_score(bitext, args.min_score)
    write = out_format.write
    if out_format.name == "xliff":
        write = partial(write_xliff, version=args.xliff_version)
    if out_format.name == "text":
        _report_readiness(bitext, target_path)
    backup = write_output(target_path, lambda stream: write(bitext, stream), force=args.force)

    skipped = dict(bitext.props).get("x-transpipe-skipped", "0")
    notes = []
    if skipped != "0":
        notes.append(f"{skipped} skipped (missing {bitext.pair.source} or {bitext.pair.target})")
    if left_out:
        notes.append(f"{left_out} below score {args.min_score:g} left out")
    if backup:
        notes.append(f"the old file is kept as {backup}")
    note = f", {', '.join(notes)}" if notes else ""
    _say(f"{len(bitext.units)} units ({bitext.pair}) {source_path} -> {target_path}{note}")
    return 0


def _report_readiness(bitext: Any, target: Path) -> None:
    """Say how ready the article is; name what the text leaves out."""
    from transpipe.formats.review import readiness
    from transpipe.formats.text import has_paragraphs, untranslated

    ready = readiness(bitext.units)
    _say(f"{target}: readiness: {ready.describe()}")
    if bitext.units and not has_paragraphs(bitext):
        _say(
            f"warning: the units say nothing of the article's paragraphs or order (a CAT "
            f"tool's memory?): {target} has one paragraph per unit, in the file's order"
        )
    missing = untranslated(bitext)
    if missing:
        shown = ", ".join(u.id for u in missing[:5]) + (", ..." if len(missing) > 5 else "")
        _say(f"warning: {len(missing)} untranslated unit(s) have no text in {target}: {shown}")
    if not ready.ready:
        _say(f"warning: {target} is not ready to publish (fuzzy, untranslated or term failures)")
