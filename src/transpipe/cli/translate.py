"""``transpipe translate``: articles in, TMX + PO + translated text + reports out.

Order of work is chosen so that failures come early and cheap: refuse two inputs with the same
output name, read and segment every input (and reference), load the glossary, resolve the model
(a missing model fails in well under a second with the command that installs one), then load
the engine, build the ``Pipeline`` once and translate article by article. Outputs of each
article are written all-or-nothing (:class:`transpipe.outputs.OutputSet`), and an output a
person edited is never overwritten without ``--force`` (which keeps a numbered backup). An
engine failure on one article is a one-line error naming the file and the segment; the other
articles are still translated and written, and the exit code is 1.

``--engine reference`` is the shipped test double that "translates" each segment into its
human translation (``--reference``, one per FILE, segmented like the source), so pinning,
checks and quality estimation run on human translations.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from transpipe import registry
from transpipe.cli._common import created_timestamp, paths_from_env
from transpipe.config import DecodingOptions, Paths, TranslateConfig
from transpipe.errors import ConfigError, EngineError
from transpipe.inputs import read_text
from transpipe.model import LANGUAGES, Document, LanguagePair, TermOutcome
from transpipe.outputs import OutputSet, refuse_duplicates

if TYPE_CHECKING:
    from transpipe.engines.base import Engine
    from transpipe.pipeline import TranslationRun
    from transpipe.tm.store import TranslationMemory

# Besides the engines of ``transpipe.registry.engines`` (plugins included): the memory alone, and
# the test double that returns human translations.
RUN_ENGINES = ("tm", "reference")


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
    parser.add_argument(
        "--engine",
        default="ct2",
        choices=[*registry.engines.names(), *RUN_ENGINES],
        help="default: ct2",
    )
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
        help="reference translation of the matching FILE (repeat in FILE order) for BLEU/chrF/TER; "
        "with --engine reference, also the translation itself",
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
    if args.engine == "reference" and not args.reference:
        raise ConfigError(
            "--engine reference needs the human translations", hint="add --reference FILE"
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
    _refuse_duplicate_names(inputs, names)
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
    from transpipe.pipeline.writing import article_file_names, write_article

    output_sets = [
        OutputSet(config.out_dir, name, article_file_names(name, pair)) for name in names
    ]
    refuse_duplicates([path for outputs in output_sets for path in outputs.paths])
    for outputs in output_sets:
        outputs.prepare(force=args.force)

    glossary = None
    if config.glossary is not None:
        from transpipe.terms import load_glossary

        glossary = load_glossary(config.glossary)

    with contextlib.ExitStack() as stack:
        memory = _open_memory(config, args.tm, stack)
        if config.engine == "reference":
            engine: Engine | None = _reference_engine(
                documents, references, args.reference, config.decoding
            )
        else:
            engine = _build_engine(config, paths)

        from transpipe.embeddings import SentenceEncoder
        from transpipe.pipeline import Pipeline

        pipeline = Pipeline(
            config,
            engine=engine,
            encoder=SentenceEncoder(cache_dir=paths.models_dir / "cache"),
            glossary=glossary,
            memory=memory,
        )
        failed = 0
        for path, doc, reference, outputs in zip(
            inputs, documents, references, output_sets, strict=True
        ):
            try:
                result = pipeline.run(doc, reference=reference)
            except EngineError as error:
                failed += 1
                print(f"transpipe: error: {path}: {error}", file=sys.stderr)
                continue
            written = write_article(result, outputs, force=args.force)
            _print_summary(result, written)
    elapsed = time.perf_counter() - started
    if failed:
        print(
            f"{failed} of {len(documents)} articles failed; the others were written "
            f"({elapsed:.1f} s)",
            file=sys.stderr,
        )
        return 1
    print(f"done in {elapsed:.1f} s", file=sys.stderr)
    return 0


def _refuse_duplicate_names(inputs: list[Path], names: list[str]) -> None:
    """Two inputs whose outputs would have the same names would overwrite each other."""
    first: dict[str, Path] = {}
    for path, name in zip(inputs, names, strict=True):
        if name in first:
            raise ConfigError(
                f"{first[name]} and {path} would both write {name}.* into the output directory",
                hint="rename one of them or translate them in separate runs",
            )
        first[name] = path


def _open_memory(
    config: TranslateConfig, tm_path: str | None, stack: contextlib.ExitStack
) -> TranslationMemory | None:
    memory = None
    if tm_path is not None:
        from transpipe.tm import TranslationMemory

        memory = stack.enter_context(TranslationMemory(Path(tm_path), create=False))
    if config.engine == "tm" and memory is None:
        raise ConfigError("--engine tm needs a memory", hint="add --tm DB")
    return memory


def _build_engine(config: TranslateConfig, paths: Paths) -> Engine | None:
    """The MT engine for the run (``None`` for a memory-only run, ``--engine tm``)."""
    if config.engine == "tm":
        return None
    from transpipe.engines import create_engine
    from transpipe.models.resolve import resolve_model

    resolved = None
    if registry.engines.needs_model(config.engine):
        resolved = resolve_model(config.model, config.pair, config.engine, paths)
    return create_engine(config.engine, resolved, config.decoding)


def _reference_engine(
    documents: list[Document],
    references: list[Document | None],
    reference_paths: list[str],
    decoding: DecodingOptions,
) -> Engine:
    """The test double returning the human translation of each segment."""
    from transpipe.engines.reference import ReferenceEngine, pair_references

    pairs: dict[str, str] = {}
    for doc, reference, path in zip(documents, references, reference_paths, strict=True):
        if reference is not None:
            for source, target in pair_references(doc, reference, reference_path=path).items():
                pairs.setdefault(source, target)
    label = ", ".join(Path(p).name for p in reference_paths)
    return ReferenceEngine(pairs, decoding, label=label)


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
