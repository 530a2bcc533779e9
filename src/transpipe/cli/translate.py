"""``transpipe translate``: articles in, TMX + PO + translated text + reports out.

Order of work is chosen so that failures come early and cheap: refuse two inputs with the same
output name, read every input (and reference; text in another language than the options say is
refused unless ``--skip-language-check``) and segment it, load the glossary, resolve the model
(a missing model fails in well under a second with the command that installs one), then load
the engine, build the ``Pipeline`` once and translate article by article. Outputs of each
article are written all-or-nothing (:class:`transpipe.outputs.OutputSet`), and an output a
person edited is never overwritten without ``--force`` (which keeps a numbered backup). An
engine failure on one article is a one-line error naming the file and the segment; the other
articles are still translated and written, and the exit code is 1.

With ``--tm``, memory matches come first (exact ones are the translation; fuzzy ones at or above
``--tm-threshold`` are offered, see :mod:`transpipe.tm.engine`). The TMX holds only what a CAT
tool may reuse as memory (:func:`transpipe.formats.review.reusable`, ``--min-score``); the
PO holds every segment; the translated text keeps untranslated segments in the source language.

``--engine reference`` is the shipped test double that "translates" each segment into its
human translation (``--reference``, one per FILE, segmented like the source), so pinning,
checks and quality estimation run on human translations.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from transpipe import registry
from transpipe.cli._common import (
    add_decoding_options,
    add_language_check_option,
    add_suppress_forbidden_option,
    checked_language,
    created_timestamp,
    paths_from_env,
    suppressing_forbidden,
)
from transpipe.config import DecodingOptions, Paths, TranslateConfig
from transpipe.errors import ConfigError, EngineError
from transpipe.inputs import read_text
from transpipe.model import (
    LANGUAGES,
    Document,
    DraftKind,
    LanguagePair,
    SegmentRecord,
    TermOutcome,
)
from transpipe.outputs import OutputSet, refuse_duplicates

if TYPE_CHECKING:
    from transpipe.engines.base import Engine
    from transpipe.formats.review import LeftOut
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
    add_decoding_options(parser)
    parser.add_argument(
        "--tm",
        metavar="DB",
        help="translation memory (see `transpipe tm import`): exact matches are reused before "
        "MT (reviewed ones as they are, others to review), fuzzy ones offered (--tm-threshold); "
        "with --engine tm, only the memory is used",
    )
    parser.add_argument(
        "--tm-threshold",
        type=float,
        metavar="PCT",
        help="with --tm: fuzzy matches at least this similar (1-100, default 75) are offered; "
        "a match fills the segment when its %% is at least the MT's quality score, otherwise "
        "it is noted beside the MT; either way the segment stays fuzzy until reviewed",
    )
    parser.add_argument(
        "--min-score",
        type=float,
        metavar="S",
        help="leave units scored below S (0-100) out of the TMX, which CAT tools apply as "
        "translation memory (default: the units quality estimation calls bad, below 45); "
        "untranslated segments and segments a fuzzy memory match filled are always left out",
    )
    parser.add_argument("--no-pin", action="store_true", help="do not enforce glossary terms")
    add_language_check_option(parser)
    add_suppress_forbidden_option(parser)
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
    if args.tm_threshold is not None and args.tm is None:
        raise ConfigError("--tm-threshold needs a memory", hint="add --tm DB")
    if args.tm_threshold is not None and not 1.0 <= args.tm_threshold <= 100.0:
        raise ConfigError(f"--tm-threshold {args.tm_threshold:g} is not in 1..100")
    if args.min_score is not None and not 0.0 <= args.min_score <= 100.0:
        raise ConfigError(f"--min-score {args.min_score:g} is not in 0..100")
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
        memory_threshold=75.0 if args.tm_threshold is None else args.tm_threshold,
        tmx_min_score=args.min_score,
    )

    inputs = [Path(f) for f in args.files]
    names = [output_name(p, pair.source) for p in inputs]
    from transpipe.pipeline.writing import article_file_names, write_article

    output_sets = [
        OutputSet(config.out_dir, name, article_file_names(name, pair)) for name in names
    ]
    refuse_duplicates(
        [path for outputs in output_sets for path in outputs.paths],
        [
            source
            for source, outputs in zip(inputs, output_sets, strict=True)
            for _ in outputs.paths
        ],
    )
    source_lang = checked_language(args, pair.source)
    documents = [
        segment_text(read_text(p, language=source_lang), pair.source, name)
        for p, name in zip(inputs, names, strict=True)
    ]
    references: list[Document | None] = [None] * len(documents)
    if args.reference:
        target_lang = checked_language(args, pair.target)
        references = [
            segment_text(read_text(r, language=target_lang), pair.target, name)
            for r, name in zip(args.reference, names, strict=True)
        ]
    for outputs in output_sets:
        outputs.prepare(force=args.force)

    glossary = None
    if config.glossary is not None:
        from transpipe.terms import load_glossary

        glossary = load_glossary(config.glossary)
        decoding = suppressing_forbidden(args, config.decoding, glossary, pair)
        config = replace(config, decoding=decoding)

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
        from transpipe.terms.matcher import MatcherCache

        pipeline = Pipeline(
            config,
            engine=engine,
            encoder=SentenceEncoder(cache_dir=paths.models_dir / "cache"),
            glossary=glossary,
            memory=memory,
            matchers=MatcherCache(paths.models_dir / "cache"),
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
            left_out = write_article(result, outputs, config.tmx_floor, force=args.force)
            _print_summary(result, outputs, left_out, config.tmx_floor, memory=memory is not None)
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


def _print_summary(
    result: TranslationRun,
    outputs: OutputSet,
    left_out: LeftOut,
    min_score: float,
    *,
    memory: bool,
) -> None:
    from transpipe.formats.leverage import memory_offer
    from transpipe.formats.review import readiness

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
    say = functools.partial(print, file=sys.stderr)
    say(
        f"{result.bitext.name}: {len(units)} segments "
        f"({statuses['good']} good, {statuses['review']} review, {statuses['bad']} bad)"
    )
    say(
        f"  terms: {found} found, {outcomes[TermOutcome.HONOURED]} honoured, "
        f"{outcomes[TermOutcome.PINNED]} pinned, {outcomes[TermOutcome.REPAIRED]} repaired, "
        f"{outcomes[TermOutcome.FAILED]} failed"
    )
    if memory:
        offers = [offer for unit in units if (offer := memory_offer(unit)) is not None]
        exact = sum(1 for record in result.records if _exact_memory(record))
        used = sum(1 for offer in offers if offer.used)
        say(
            f"  memory: {exact} exact, {len(offers)} fuzzy offered "
            f"({used} filled the segment, {len(offers) - used} noted beside MT)"
        )
    say(f"  review: {readiness(units).describe()}")
    tmx, _, text, *_ = outputs.paths
    if left_out.total:
        say(f"  {tmx.name}: {left_out.total} units left out ({left_out.describe(min_score)})")
    if left_out.untranslated:
        say(f"  {text.name}: {left_out.untranslated} untranslated segments kept in the source")
    say("  wrote " + ", ".join(str(p) for p in outputs.paths))


def _exact_memory(record: SegmentRecord) -> bool:
    draft = record.draft
    return draft is not None and draft.kind is DraftKind.MEMORY and not draft.props
