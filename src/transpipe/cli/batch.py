"""``transpipe batch``: translate a directory (or a list) of articles, resumably, in parallel.

Writes for every input ``<name>.<from>.txt`` the same five files ``translate`` writes, into
OUT, with one model, glossary matcher and sentence encoder per worker and the sentences of
many articles batched together. ``OUT/.transpipe-batch.db`` records the job: rerunning the
same command after a crash, ``SIGKILL`` or failed articles finishes the job without
translating anything twice (see :mod:`transpipe.batch`). ``--workers N`` runs N worker
processes here; ``--ray [ADDRESS]`` runs the workers as Ray actors (``docs/batch.md``).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import sys
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
from transpipe.cli.translate import output_name
from transpipe.config import DecodingOptions, TranslateConfig
from transpipe.errors import ConfigError, InputError
from transpipe.inputs import read_bytes, read_text
from transpipe.model import LANGUAGES, LanguagePair

if TYPE_CHECKING:
    from transpipe.batch import BatchInput, Executor
    from transpipe.models.resolve import ResolvedModel
    from transpipe.terms import Glossary

DEFAULT_CHUNK_SENTENCES = 128
MAX_GLOSSARY_BYTES = 256 * 1024 * 1024


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "batch",
        help="translate many articles: resumable, batched, parallel (local or Ray)",
        description=(
            "Translate every <name>.<from>.txt in IN (a directory, or a file listing one path "
            "per line) into OUT, writing what `translate` writes for each. Rerun the same "
            "command to resume an interrupted job: finished articles are never translated "
            "again. Put --ray last, or write --ray=ADDRESS."
        ),
    )
    parser.add_argument("input", metavar="IN", help="directory of articles, or a list file")
    parser.add_argument("out", metavar="OUT", help="output directory (holds the job store)")
    parser.add_argument("--from", dest="source", required=True, choices=LANGUAGES)
    parser.add_argument("--to", dest="target", required=True, choices=LANGUAGES)
    parser.add_argument("--glossary", metavar="G", help="glossary (TSV, CSV or TBX)")
    parser.add_argument(
        "--engine", default="ct2", choices=registry.engines.names(), help="default: ct2"
    )
    parser.add_argument(
        "--model",
        metavar="NAME|DIR",
        help="as for `translate`: catalogue name, 'demo' or a model directory",
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="worker processes (with --ray: actors); default: one per CPU (per GPU with "
        "--device cuda)",
    )
    parser.add_argument(
        "--ray",
        nargs="?",
        const="",
        default=None,
        metavar="ADDRESS",
        help="run the workers on Ray: a private local instance, or the cluster at ADDRESS "
        "(auto, HOST:PORT, ray://HOST:10001); needs `pip install 'transpipe[ray]'`",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    add_decoding_options(parser)
    parser.add_argument(
        "--batch-size",
        type=int,
        default=DecodingOptions.batch_size,
        metavar="N",
        help=f"sentences per engine batch (default: {DecodingOptions.batch_size}; larger on GPUs)",
    )
    parser.add_argument(
        "--min-score",
        type=float,
        metavar="S",
        help="as for `translate`: leave units scored below S (0-100) out of the TMX",
    )
    parser.add_argument("--no-pin", action="store_true", help="do not enforce glossary terms")
    add_language_check_option(parser)
    add_suppress_forbidden_option(parser)
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace outputs a person edited (a numbered backup of each is kept)",
    )
    parser.add_argument(
        "--chunk-sentences",
        type=int,
        default=DEFAULT_CHUNK_SENTENCES,
        metavar="N",
        help="articles are translated in groups of about N sentences "
        f"(default: {DEFAULT_CHUNK_SENTENCES})",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from transpipe.batch import JobStore, WorkerSpec, run_job
    from transpipe.outputs import refuse_duplicates
    from transpipe.pipeline.writing import article_file_names

    pair = LanguagePair(args.source, args.target)
    if pair.source == pair.target:
        raise ConfigError("--from and --to are the same language")
    if args.beam < 1 or args.batch_size < 1:
        raise ConfigError("--beam and --batch-size must be at least 1")
    if args.workers is not None and args.workers < 1:
        raise ConfigError("--workers must be at least 1")
    if args.chunk_sentences < 1:
        raise ConfigError("--chunk-sentences must be at least 1")
    out_dir = Path(args.out)
    inputs = list_inputs(Path(args.input), pair.source)
    refuse_duplicates(
        [out_dir / article_file_names(i.name, pair)[0] for i in inputs], [i.path for i in inputs]
    )
    glossary, glossary_digest = _glossary(args.glossary)
    paths = paths_from_env()
    decoding = DecodingOptions(
        beam_size=args.beam,
        batch_size=args.batch_size,
        device=args.device,
        compute_type=args.compute_type,
        threads=1,  # one translator per worker: the batches it sees do not depend on threads
    )
    decoding = suppressing_forbidden(args, decoding, glossary, pair)
    model = _resolve(args.engine, args.model, pair, paths.models_dir)

    reproducible = bool(os.environ.get("SOURCE_DATE_EPOCH"))
    with JobStore(out_dir) as store:
        created = store.setting("created")
        if created is None or reproducible:
            created = created_timestamp()
        config = TranslateConfig(
            pair=pair,
            engine=args.engine,
            model=args.model,
            decoding=decoding,
            glossary=Path(args.glossary) if args.glossary else None,
            pin_terms=not args.no_pin,
            out_dir=out_dir,
            created=created,
            paths=paths,
            stage_timings=not reproducible,  # same bytes from every run, worker and resume
            tmx_min_score=args.min_score,
        )
        store.start(_settings(config, model, glossary_digest))
        spec = WorkerSpec(
            config=config,
            model=model,
            glossary=glossary,
            cache_dir=(paths.models_dir / "cache").absolute(),
        )
        summary = run_job(
            inputs,
            store,
            spec,
            _executor(args, decoding),
            out_dir=out_dir,
            force=args.force,
            chunk_sentences=args.chunk_sentences,
            language=checked_language(args, pair.source),
            quiet=args.quiet,
        )
    failed = len(summary.failed)
    rate = (summary.translated / summary.seconds) if summary.seconds > 0 else 0.0
    print(
        f"batch: {summary.articles} articles: {summary.translated} translated "
        f"({rate:.2f} articles/s), {summary.written} written from the job store, "
        f"{summary.done_before} done before, {failed} failed ({summary.seconds:.1f} s)",
        file=sys.stderr,
    )
    if failed:
        print("rerun the same command to retry the failed articles", file=sys.stderr)
        return 1
    return 0


def list_inputs(source: Path, lang: str) -> list[BatchInput]:
    """IN as a directory (its ``*.<lang>.txt`` files, sorted) or a list file (one path per
    line, relative to the list's directory; blank lines and ``#`` comments skipped)."""
    from transpipe.batch import BatchInput

    suffix = f".{lang}.txt"
    if source.is_dir():
        files = sorted(
            p for p in source.iterdir() if p.name.lower().endswith(suffix) and p.is_file()
        )
        if not files:
            raise InputError(f"no *{suffix} files in this directory", path=source)
    else:
        lines = read_text(source, expected="a directory or a list file").splitlines()
        files = [
            source.parent / line.strip()
            for line in lines
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if not files:
            raise InputError("the list names no files", path=source)
    return [BatchInput(output_name(path, lang), path) for path in files]


def _glossary(path: str | None) -> tuple[Glossary | None, str]:
    """The glossary and the digest of its file (what the job's outputs depend on)."""
    if path is None:
        return None, "none"
    from transpipe.terms import load_glossary

    digest = hashlib.sha256(read_bytes(path, max_bytes=MAX_GLOSSARY_BYTES)).hexdigest()
    return load_glossary(Path(path)), digest


def _settings(
    config: TranslateConfig, model: ResolvedModel | None, glossary_digest: str
) -> dict[str, str]:
    """What the job's outputs depend on: a rerun with other values is refused."""
    decoding = config.decoding
    return {
        "pair": str(config.pair),
        "engine": config.engine,
        "model": f"{model.model_id}@{model.revision}" if model else config.engine,
        "decoding": f"{decoding.describe()} batch={decoding.batch_size}",
        "glossary": glossary_digest,
        "pin terms": "yes" if config.pin_terms else "no",
        "TMX min score": f"{config.tmx_floor:g}",
        "created": config.created,
    }


def _resolve(
    engine: str, spec: str | None, pair: LanguagePair, models_dir: Path
) -> ResolvedModel | None:
    """The model, resolved once here (``demo`` is built here, not in every worker), with
    absolute directories so that workers started elsewhere find it."""
    if not registry.engines.needs_model(engine):
        return None
    from transpipe.config import Paths
    from transpipe.models.resolve import resolve_model

    model = resolve_model(spec, pair, engine, Paths(models_dir=models_dir))
    return replace(
        model,
        hf_dir=model.hf_dir.absolute() if model.hf_dir else None,
        ct2_dir=model.ct2_dir.absolute() if model.ct2_dir else None,
    )


def _executor(args: argparse.Namespace, decoding: DecodingOptions) -> Executor:
    """Where the chunks run: Ray actors, worker processes, or this process."""
    from transpipe.batch import in_processes, in_this_process, on_ray

    if args.ray is not None:
        return functools.partial(on_ray, address=args.ray or None, actors=args.workers)
    workers = args.workers
    if workers is None:
        workers = 1 if decoding.device != "cpu" else (os.cpu_count() or 1)
    if workers == 1:
        return in_this_process
    return functools.partial(in_processes, workers=workers)
