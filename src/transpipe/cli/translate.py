"""``transpipe translate``: articles in, TMX + PO + translated text + reports out.

Order of work is chosen so that failures come early and cheap: read and segment every input,
load the glossary, resolve the model (a missing model fails in well under a second with the
command that installs one), then load the engine and translate. Outputs of each article are
written all-or-nothing (:class:`transpipe.outputs.OutputSet`), and an output a person edited is
never overwritten without ``--force`` (which keeps a numbered backup).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from transpipe.cli._common import created_timestamp, paths_from_env
from transpipe.config import DecodingOptions, Paths, TranslateConfig
from transpipe.errors import ConfigError
from transpipe.inputs import read_text
from transpipe.model import LANGUAGES, Document, LanguagePair, TermOutcome
from transpipe.outputs import OutputSet, refuse_duplicates

if TYPE_CHECKING:
    from transpipe.engines.base import Engine
    from transpipe.pipeline import TranslationRun

ENGINES = ("ct2", "marian", "tm", "identity")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "translate",
        help="translate news articles with pinned glossary terms",
        description=(
            "Translate one or more articles. For each FILE named <name>.<lang>.txt writes "
            "<name>.tmx, <name>.po, <name>.<to>.txt, <name>.report.json and <name>.report.html "
            "into --out."
        ),
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="UTF-8 text, paragraphs separated by blank lines"
    )
    parser.add_argument("--from", dest="source", required=True, choices=LANGUAGES)
    parser.add_argument("--to", dest="target", required=True, choices=LANGUAGES)
    parser.add_argument("--glossary", metavar="G", help="glossary (TSV, CSV or TBX)")
    parser.add_argument("--engine", default="ct2", choices=ENGINES, help="default: ct2")
    parser.add_argument(
        "--model",
        metavar="NAME|DIR",
        help="catalogue name (see `transpipe models list`), 'demo', or a local model directory; "
        "default: the catalogue default for the language pair",
    )
    parser.add_argument(
        "--reference",
        metavar="REF",
        action="append",
        default=[],
        help="reference translation of the matching FILE (repeat in FILE order) for BLEU/chrF/TER",
    )
    parser.add_argument(
        "--out", metavar="DIR", default="out", help="output directory (default: out)"
    )
    parser.add_argument("--beam", type=int, default=4, help="beam size (default: 4)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (default: cpu)")
    parser.add_argument(
        "--compute-type",
        default="int8",
        help="CTranslate2 compute type: int8, int8_float32, float32, float16 (default: int8)",
    )
    parser.add_argument(
        "--tm",
        metavar="DB",
        help="translation memory (see `transpipe tm import`): reviewed matches are reused "
        "before MT; with --engine tm, only the memory is used",
    )
    parser.add_argument("--no-pin", action="store_true", help="do not enforce glossary terms")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace outputs a person edited (a numbered backup of each is kept)",
    )
    parser.set_defaults(func=run)


def output_name(path: Path, lang: str) -> str:
    """``csto-news.en.txt`` -> ``csto-news``: the file name without language and extension."""
    name = path.name
    for suffix in (".txt", ".text"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name.lower().endswith(f".{lang}"):
        name = name[: -len(lang) - 1]
    return name or path.stem


def run(args: argparse.Namespace) -> int:
    from transpipe.segment import segment_text

    started = time.perf_counter()
    pair = LanguagePair(args.source, args.target)
    if pair.source == pair.target:
        raise ConfigError("--from and --to are the same language")
    if args.reference and len(args.reference) != len(args.files):
        raise ConfigError(
            f"{len(args.reference)} --reference file(s) for {len(args.files)} input file(s)",
            hint="give one reference per FILE, in the same order",
        )
    if args.beam < 1:
        raise ConfigError("--beam must be at least 1")
    paths = paths_from_env()
    config = TranslateConfig(
        pair=pair,
        engine=args.engine,
        model=args.model,
        decoding=DecodingOptions(
            beam_size=args.beam, device=args.device, compute_type=args.compute_type
        ),
        glossary=Path(args.glossary) if args.glossary else None,
        pin_terms=not args.no_pin,
        out_dir=Path(args.out),
        created=created_timestamp(),
        paths=paths,
    )

    inputs = [Path(f) for f in args.files]
    names = [output_name(p, pair.source) for p in inputs]
    documents = [
        segment_text(read_text(p), pair.source, name)
        for p, name in zip(inputs, names, strict=True)
    ]
    references: list[Document | None] = [None] * len(documents)
    if args.reference:
        references = [
            segment_text(read_text(r), pair.target, name)
            for r, name in zip(args.reference, names, strict=True)
        ]
    output_sets = [OutputSet(config.out_dir, name, _output_names(name, pair)) for name in names]
    refuse_duplicates([path for outputs in output_sets for path in outputs.paths])
    for outputs in output_sets:
        outputs.prepare(force=args.force)

    glossary = None
    if config.glossary is not None:
        from transpipe.terms import load_glossary

        glossary = load_glossary(config.glossary)

    with contextlib.ExitStack() as stack:
        engine = _build_engine(config, args.tm, paths, stack)

        from transpipe.pipeline import translate_document

        for doc, reference, outputs in zip(documents, references, output_sets, strict=True):
            result = translate_document(doc, engine, config, glossary=glossary, reference=reference)
            written = _write(result, outputs, force=args.force)
            _print_summary(result, written)
    elapsed = time.perf_counter() - started
    print(f"done in {elapsed:.1f} s", file=sys.stderr)
    return 0


def _build_engine(
    config: TranslateConfig, tm_path: str | None, paths: Paths, stack: contextlib.ExitStack
) -> Engine:
    """The MT engine for the run, wrapped by the translation memory when one is given."""
    from transpipe.engines import create_engine

    memory = None
    if tm_path is not None:
        from transpipe.tm import TranslationMemory

        memory = stack.enter_context(TranslationMemory(Path(tm_path), create=False))
    if config.engine == "tm":
        if memory is None:
            raise ConfigError("--engine tm needs a memory", hint="add --tm DB")
        from transpipe.tm import TranslationMemoryEngine

        return TranslationMemoryEngine(memory, decoding=config.decoding)

    from transpipe.models.resolve import resolve_model

    resolved = None
    if config.engine != "identity":
        resolved = resolve_model(config.model, config.pair, config.engine, paths)
    engine = create_engine(config.engine, resolved, config.decoding)
    if memory is None:
        return engine
    from transpipe.tm import TranslationMemoryEngine

    return TranslationMemoryEngine(memory, fallback=engine, decoding=config.decoding)


def _output_names(name: str, pair: LanguagePair) -> list[str]:
    """The files of one article, in the order :func:`_write` renders them."""
    suffixes = ("tmx", "po", f"{pair.target}.txt", "report.json", "report.html")
    return [f"{name}.{suffix}" for suffix in suffixes]


def _write(result: TranslationRun, outputs: OutputSet, *, force: bool) -> list[Path]:
    from transpipe.formats.po import write_po
    from transpipe.formats.text import write_translated_text
    from transpipe.formats.tmx import write_tmx
    from transpipe.report import write_report_html, write_report_json

    bitext = result.bitext
    report = result.report
    tmx, po, text, json_report, html_report = outputs.names
    renderers: dict[str, Callable[[BinaryIO], None]] = {
        tmx: lambda s: write_tmx(bitext, s),
        po: lambda s: write_po(bitext, s),
        text: lambda s: write_translated_text(bitext, s),
        json_report: lambda s: write_report_json(report, s),
        html_report: lambda s: write_report_html(report, s),
    }
    outputs.commit(renderers, force=force)
    return outputs.paths


def _print_summary(result: TranslationRun, written: list[Path]) -> None:
    units = result.bitext.units
    statuses = {"good": 0, "review": 0, "bad": 0}
    for unit in units:
        if unit.score is not None:
            statuses[unit.score.status.value] += 1
    outcomes = dict.fromkeys(TermOutcome, 0)
    for unit in units:
        for audit in unit.term_audit:
            outcomes[audit.outcome] += 1
    found = sum(outcomes.values())
    print(
        f"{result.bitext.name}: {len(units)} segments "
        f"({statuses['good']} good, {statuses['review']} review, {statuses['bad']} bad)",
        file=sys.stderr,
    )
    print(
        f"  terms: {found} found, {outcomes[TermOutcome.HONOURED]} honoured, "
        f"{outcomes[TermOutcome.PINNED]} pinned, {outcomes[TermOutcome.REPAIRED]} repaired, "
        f"{outcomes[TermOutcome.FAILED]} failed",
        file=sys.stderr,
    )
    print("  wrote " + ", ".join(str(p) for p in written), file=sys.stderr)
