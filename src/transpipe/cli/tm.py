"""``transpipe tm import|lookup|export|stats``: the translation memory from the command line.

Owns the tm subcommand. The memory is one SQLite file (``--db``, see
:mod:`transpipe.tm.store`):

- ``import FILE... --db DB --from en --to ru [--include-fuzzy] [--reviewed]``: the units of
  TMX, PO, XLIFF or bilingual TSV files (by extension). Reviewed translations are stored as
  reviewed; machine translation nobody edited (transpipe's own output, told by its origin and
  digests) is stored as unreviewed unless ``--reviewed`` says a person reviewed the files;
  fuzzy entries are skipped unless ``--include-fuzzy``. All files are read before anything is
  written, and everything is stored in one transaction: one bad file imports nothing. A
  summary per file goes to stderr.
- ``lookup TEXT --db DB --from en --to ru [--fuzzy [T]] [--json]``: prints the stored
  translation (exact, then normalized match; with ``--fuzzy`` the most similar stored source
  at token similarity >= T, default 0.75). No match: a note on stderr and exit status 1.
  ``--json``: one object per match (``--limit`` of them), fields ``source``, ``target``,
  ``kind``, ``score``, ``origin``, ``unit_id``, ``reviewed``, ``created``.
- ``export --db DB --from en --to ru OUT`` (``.tmx``, ``.po``, ``.xlf``/``.xliff``, ``.tsv``):
  written atomically under the no-clobber rule (:mod:`transpipe.outputs.rule`: an existing OUT
  is kept unless ``--force``, which keeps a numbered backup); an empty export is an error.
- ``stats --db DB [--json]``: units per language pair.

The clock is read once here (``SOURCE_DATE_EPOCH`` honoured) and passed down as the import
time and the export's creation date.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from transpipe.cli._common import add_force_option
from transpipe.errors import ConfigError, InputError
from transpipe.formats.leverage import percent
from transpipe.model import LanguagePair

DEFAULT_FUZZY = 0.75


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "tm",
        help="translation memory: import reviewed translations, look up, export, stats",
        description=(
            "A translation memory in one SQLite file: reviewed translations imported from "
            "TMX/PO/XLIFF/TSV are reused by `translate` before any machine translation."
        ),
    )
    actions = parser.add_subparsers(dest="tm_command", metavar="ACTION")
    actions.required = True

    importer = actions.add_parser(
        "import",
        help="import TMX/PO/XLIFF/TSV files (all or nothing)",
        description="Import the reviewed units of bilingual files into the memory.",
    )
    importer.add_argument("files", nargs="+", metavar="FILE", help=".tmx .po .xlf .xliff .tsv")
    _db_and_pair(importer)
    importer.add_argument(
        "--include-fuzzy",
        action="store_true",
        help="also import fuzzy (unreviewed) entries, stored as unreviewed",
    )
    importer.add_argument(
        "--reviewed",
        action="store_true",
        help="a person reviewed these files: store their machine translation as reviewed",
    )
    importer.set_defaults(func=run_import)

    lookup = actions.add_parser(
        "lookup",
        help="print the stored translation of a text",
        description="Print the stored translation of TEXT (exit status 1 when none).",
    )
    lookup.add_argument("text", metavar="TEXT", help="source text")
    _db_and_pair(lookup)
    lookup.add_argument(
        "--fuzzy",
        nargs="?",
        type=float,
        const=DEFAULT_FUZZY,
        default=None,
        metavar="T",
        help=f"also accept similar sources (token similarity >= T, default {DEFAULT_FUZZY})",
    )
    lookup.add_argument("--limit", type=int, default=5, help="--json: at most N matches")
    lookup.add_argument("--reviewed-only", action="store_true", help="ignore unreviewed rows")
    lookup.add_argument("--json", action="store_true", help="one JSON object per match")
    lookup.set_defaults(func=run_lookup)

    export = actions.add_parser(
        "export",
        help="write the memory of one language pair as TMX/PO/XLIFF/TSV",
        description="Export one language pair; unreviewed rows are marked fuzzy.",
    )
    export.add_argument("output", metavar="OUT", help="output file (.tmx .po .xlf .xliff .tsv)")
    _db_and_pair(export)
    export.add_argument("--reviewed-only", action="store_true", help="leave unreviewed rows out")
    add_force_option(export)
    export.set_defaults(func=run_export)

    stats = actions.add_parser("stats", help="units per language pair")
    stats.add_argument("--db", required=True, metavar="DB", help="translation memory file")
    stats.add_argument("--json", action="store_true", help="one JSON object")
    stats.set_defaults(func=run_stats)


def _db_and_pair(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, metavar="DB", help="translation memory file")
    parser.add_argument("--from", dest="source", required=True, metavar="LANG", help="e.g. en")
    parser.add_argument("--to", dest="target", required=True, metavar="LANG", help="e.g. ru")


def _pair(args: argparse.Namespace) -> LanguagePair:
    from transpipe.lang.codes import checked as language_code

    pair = LanguagePair(language_code(args.source), language_code(args.target))
    if pair.source == pair.target:
        raise ConfigError(f"--from and --to are both {pair.source}")
    return pair


def _say(text: str) -> None:
    print(f"transpipe: {text}", file=sys.stderr)


def run_import(args: argparse.Namespace) -> int:
    from transpipe.cli._common import created_timestamp
    from transpipe.tm.files import load_for_import
    from transpipe.tm.store import TranslationMemory

    pair = _pair(args)
    created = created_timestamp()
    loaded = [
        load_for_import(Path(name), pair, include_fuzzy=args.include_fuzzy, reviewed=args.reviewed)
        for name in args.files
    ]  # every file is read before the memory is opened: a bad file leaves no trace
    with TranslationMemory(args.db) as memory:
        results = memory.store_loaded(loaded, pair, created=created)
    for name, stats in zip(args.files, results, strict=True):
        _say(f"{name}: {stats.read} units read, {stats.describe()}")
    if len(results) > 1:
        _say(
            f"{len(results)} files: {sum(s.added for s in results)} added, "
            f"{sum(s.updated for s in results)} updated, "
            f"{sum(s.skipped for s in results)} skipped -> {args.db}"
        )
    return 0


def run_lookup(args: argparse.Namespace) -> int:
    from transpipe.cli._common import stdout_line
    from transpipe.tm.store import Match, TranslationMemory

    pair = _pair(args)
    if args.limit < 1:
        raise ConfigError("--limit must be at least 1")
    if args.fuzzy is not None and not 0.0 < args.fuzzy <= 1.0:
        raise ConfigError(f"--fuzzy {args.fuzzy} is not in (0, 1]", hint="e.g. --fuzzy 0.8")
    with TranslationMemory(args.db, create=False) as memory:
        found = memory.lookup(args.text, pair, reviewed_only=args.reviewed_only)
        matches: list[Match] = [found] if found is not None else []
        if args.fuzzy is not None and (not matches or args.json):
            fuzzy = memory.fuzzy_lookup(
                args.text,
                pair,
                threshold=args.fuzzy,
                limit=args.limit,
                reviewed_only=args.reviewed_only,
            )
            matches += [m for m in fuzzy if found is None or m.source != found.source]
    if not matches:
        _say(f"no match in {args.db} for {pair}")
        return 1
    if args.json:
        for match in matches[: args.limit]:
            record = {
                "source": match.source,
                "target": match.target,
                "kind": match.kind,
                "score": round(match.score, 4),
                "origin": match.origin,
                "unit_id": match.unit_id,
                "reviewed": match.reviewed,
                "created": match.created,
            }
            stdout_line(json.dumps(record, ensure_ascii=False))
        return 0
    best = matches[0]
    stdout_line(best.target)
    score = f" {percent(best.score)}%" if best.kind == "fuzzy" else ""
    review = "" if best.reviewed else ", unreviewed"
    _say(f"{best.kind}{score} match from {best.origin}{review}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from transpipe.cli._common import created_timestamp
    from transpipe.formats.registry import format_for
    from transpipe.outputs import claim, write_output
    from transpipe.tm.store import TranslationMemory

    pair = _pair(args)
    target = Path(args.output)
    fmt = format_for(target)
    if fmt.read is None:
        raise ConfigError(f"cannot export a memory as {fmt.description}", path=target)
    claim(target, force=args.force)
    with TranslationMemory(args.db, create=False) as memory:
        bitext = memory.export(pair, reviewed_only=args.reviewed_only, created=created_timestamp())
        held = ", ".join(str(p) for p in memory.pairs()) or "nothing"
    if not bitext.units:
        raise InputError(f"no units for {pair} in the memory (it holds {held})", path=args.db)
    backup = write_output(target, lambda stream: fmt.write(bitext, stream), force=args.force)
    kept = f" (the old file is kept as {backup})" if backup else ""
    _say(f"{len(bitext.units)} units ({pair}) {args.db} -> {target}{kept}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from transpipe.cli._common import stdout_line
    from transpipe.tm.store import TranslationMemory

    with TranslationMemory(args.db, create=False) as memory:
        stats = memory.stats()
    if args.json:
        record = {
            "path": stats.path,
            "schema_version": stats.schema_version,
            "units": stats.units,
            "reviewed": stats.reviewed,
            "origins": stats.origins,
            "pairs": [
                {
                    "source": p.pair.source,
                    "target": p.pair.target,
                    "units": p.units,
                    "reviewed": p.reviewed,
                    "sources": p.sources,
                }
                for p in stats.pairs
            ],
        }
        stdout_line(json.dumps(record, ensure_ascii=False))
        return 0
    stdout_line(
        f"{stats.path}: {stats.units} units, {stats.reviewed} reviewed, "
        f"from {stats.origins} files (schema {stats.schema_version})"
    )
    for p in stats.pairs:
        stdout_line(f"  {p.pair}: {p.units} units ({p.reviewed} reviewed, {p.sources} sources)")
    return 0
