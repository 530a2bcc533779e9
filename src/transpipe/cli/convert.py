"""``transpipe convert IN OUT``: TMX <-> PO <-> XLIFF <-> TSV (and -> translated text).

Owns the convert subcommand. Formats are chosen by file extension through
:mod:`transpipe.registry` (the same readers and writers the pipeline uses); ``.txt`` as output
writes the translated article. ``--from/--to`` choose the languages (by code, never by
position); without them the file's own languages are used.

Output safety: the output is written to a temp file and renamed into place only when
everything succeeded, so a failed run leaves nothing behind. An existing output file is never
replaced unless ``--force`` is given (a translator's work must not be clobbered by accident).
A conversion that finds units in the input but none in the requested language pair is an
error rather than an empty output.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from transpipe.errors import ConfigError, InputError, OutputError


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="convert between TMX, PO, XLIFF and bilingual TSV by file extension",
        description=(
            "Convert a bilingual file: .tmx, .po/.pot, .xlf/.xliff, .tsv in; "
            ".tmx, .po, .xlf/.xliff, .tsv or .txt (translated text) out. "
            "An existing OUT is kept unless --force is given; a failed run writes nothing."
        ),
    )
    parser.add_argument("input", metavar="IN", help="input file")
    parser.add_argument("output", metavar="OUT", help="output file (format from its extension)")
    parser.add_argument("--from", dest="source", metavar="LANG", help="source language code")
    parser.add_argument("--to", dest="target", metavar="LANG", help="target language code")
    parser.add_argument(
        "--xliff-version", choices=("1.2", "2.1"), default="1.2", help="XLIFF output version"
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing OUT")
    parser.set_defaults(func=run)


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    return ".po" if suffix == ".pot" else suffix


def run(args: argparse.Namespace) -> int:
    from transpipe import registry
    from transpipe.formats.text import write_translated_text
    from transpipe.model import Bitext, LanguagePair

    source_path = Path(args.input)
    target_path = Path(args.output)
    in_suffix = _suffix(source_path)
    out_suffix = _suffix(target_path)
    if in_suffix not in registry.readers:
        known = ", ".join(registry.readers.names())
        raise ConfigError(
            f"cannot read {in_suffix or 'files without extension'}", hint=f"known: {known}"
        )
    writers = [*registry.writers.names(), ".txt"]
    if out_suffix not in writers:
        raise ConfigError(
            f"cannot write {out_suffix or 'files without extension'}",
            hint=f"known: {', '.join(writers)}",
        )
    if (args.source is None) != (args.target is None):
        raise ConfigError("give both --from and --to, or neither")
    if target_path.exists() and not args.force:
        raise OutputError(
            "already exists; not overwriting", path=target_path, hint="pass --force to replace it"
        )
    pair = LanguagePair(args.source, args.target) if args.source else None

    reader: Callable[..., Bitext] = registry.readers.load(in_suffix)  # type: ignore[assignment]
    bitext = reader(source_path, pair)
    skipped = dict(bitext.props).get("x-transpipe-skipped", "0")
    if not bitext.units and skipped != "0":
        raise InputError(
            f"no unit has both {bitext.pair.source} and {bitext.pair.target} ({skipped} skipped)",
            path=source_path,
            hint="check --from/--to",
        )
    writer: Callable[[Bitext, BinaryIO], None]
    if out_suffix == ".txt":
        writer = write_translated_text
    elif out_suffix in (".xlf", ".xliff"):
        from transpipe.formats.xliff import write_xliff

        writer = partial(write_xliff, version=args.xliff_version)
    else:
        writer = registry.writers.load(out_suffix)  # type: ignore[assignment]

    from transpipe.cli._common import atomic_output

    with atomic_output(target_path, overwrite=args.force) as stream:
        writer(bitext, stream)
    note = (
        f", {skipped} skipped (missing {bitext.pair.source} or {bitext.pair.target})"
        if skipped != "0"
        else ""
    )
    summary = f"{len(bitext.units)} units ({bitext.pair}) {source_path} -> {target_path}{note}"
    print(f"transpipe: {summary}", file=sys.stderr)
    return 0
