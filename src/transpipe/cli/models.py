"""``transpipe models list|pull|convert|path|train-demo``: manage translation models.

Owns the command-line side of ``transpipe.models``: reads the environment once
(``HF_ENDPOINT``, ``HF_TOKEN``) and passes plain values down. Heavy libraries are imported
inside the commands that need them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from transpipe.cli._common import paths_from_env, stdout_line
from transpipe.config import Paths
from transpipe.errors import ConfigError
from transpipe.model import LANGUAGES, LanguagePair


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "models",
        help="list, download, convert and locate translation models",
        description="Manage translation models (catalogue: models/catalogue.toml).",
    )
    parser.add_argument(
        "--models-dir",
        type=Path,
        default=paths_from_env().models_dir,
        help="where models live (default: $TRANSPIPE_MODELS_DIR, else ./models)",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True

    listing = actions.add_parser("list", help="catalogue models and what is installed")
    listing.set_defaults(func=run_list)

    pull = actions.add_parser("pull", help="download a catalogue model from Hugging Face")
    pull.add_argument("name")
    pull.add_argument("--endpoint", help="hub URL (default: $HF_ENDPOINT or huggingface.co)")
    pull.set_defaults(func=run_pull)

    convert = actions.add_parser("convert", help="convert a model to CTranslate2")
    convert.add_argument("model", metavar="NAME|DIR")
    convert.add_argument(
        "--quantization",
        default="int8",
        choices=["int8", "float32", "int8_float32", "int8_float16", "float16"],
    )
    convert.add_argument("--out", type=Path, help="output dir (default: NAME-ct2 beside it)")
    convert.set_defaults(func=run_convert)

    path = actions.add_parser("path", help="print the directory a model resolves to")
    path.add_argument("name", metavar="NAME|DIR")
    _pair_arguments(path, required=False)
    path.add_argument("--engine", default="ct2", choices=["ct2", "marian"])
    path.set_defaults(func=run_path)

    train = actions.add_parser("train-demo", help="train the tiny offline demo model")
    _pair_arguments(train, required=True)
    train.add_argument("--out", type=Path, help="output dir (default: models/demo-SRC-TGT)")
    train.add_argument("--corpora", type=Path, default=Path("corpora"))
    train.add_argument("--seed", type=int, default=1)
    train.set_defaults(func=run_train_demo)
    parser.set_defaults(func=run_list)


def _pair_arguments(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--from", dest="source", choices=LANGUAGES, required=required)
    parser.add_argument("--to", dest="target", choices=LANGUAGES, required=required)


def _pair(args: argparse.Namespace) -> LanguagePair | None:
    if args.source is None and args.target is None:
        return None
    if args.source is None or args.target is None or args.source == args.target:
        raise ConfigError("give both --from and --to, in different languages")
    return LanguagePair(args.source, args.target)


def run_list(args: argparse.Namespace) -> int:
    from transpipe.models.catalogue import load_catalogue
    from transpipe.models.resolve import ct2_dir_for, demo_dir, detect_layout

    models_dir: Path = args.models_dir
    catalogue = load_catalogue(models_dir)
    stdout_line("| name | pair | Hugging Face id | revision | installed | size |")
    stdout_line("|---|---|---|---|---|---|")
    for entry in catalogue.entries:
        if entry.is_demo:
            dirs = [
                demo_dir(models_dir, LanguagePair(s, t)) for s, t in (("en", "ru"), ("ru", "en"))
            ]
        else:
            dirs = [models_dir / entry.name]
        installed = []
        for directory in dirs:
            if detect_layout(directory) == "hf":
                installed.append(f"{directory.name} (hf)")
            if detect_layout(ct2_dir_for(directory)) == "ct2":
                installed.append(f"{directory.name}-ct2")
        pair = str(entry.pair) if entry.pair else "en-ru, ru-en"
        default = " (default)" if entry.default else ""
        stdout_line(
            f"| {entry.name}{default} | {pair} | {entry.hf_id or '(local)'} | "
            f"{entry.revision[:12]} | {', '.join(installed) or '-'} | {entry.size} |"
        )
    return 0


def run_pull(args: argparse.Namespace) -> int:
    from transpipe.models.catalogue import load_catalogue
    from transpipe.models.pull import DEFAULT_ENDPOINT, pull_model

    entry = load_catalogue(args.models_dir).get(args.name)
    endpoint = args.endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
    target = pull_model(
        entry,
        args.models_dir,
        endpoint=endpoint,
        token=os.environ.get("HF_TOKEN") or None,
        progress=sys.stderr.isatty(),
    )
    stdout_line(str(target))
    return 0


def run_convert(args: argparse.Namespace) -> int:
    from transpipe.errors import InputError
    from transpipe.models.catalogue import load_catalogue
    from transpipe.models.convert import convert_to_ct2
    from transpipe.models.resolve import ct2_dir_for

    spec: str = args.model
    source = Path(spec)
    if not source.is_dir():
        entry = load_catalogue(args.models_dir).get(spec)
        source = args.models_dir / entry.name
        if not source.is_dir():
            raise InputError(
                f"model {spec!r} is not downloaded",
                path=source,
                hint=f"run `transpipe models pull {spec}` first",
            )
    out: Path = args.out or ct2_dir_for(source)
    stdout_line(str(convert_to_ct2(source, out, quantization=args.quantization)))
    return 0


def run_path(args: argparse.Namespace) -> int:
    from transpipe.models.catalogue import load_catalogue
    from transpipe.models.resolve import resolve_model

    pair = _pair(args)
    if pair is None:
        entry = load_catalogue(args.models_dir).get(args.name)
        if entry.pair is None:
            raise ConfigError(f"model {args.name!r} needs --from and --to")
        pair = entry.pair
    resolved = resolve_model(args.name, pair, args.engine, Paths(models_dir=args.models_dir))
    directory = resolved.ct2_dir if args.engine == "ct2" else resolved.hf_dir
    stdout_line(str(directory))
    return 0


def run_train_demo(args: argparse.Namespace) -> int:
    from transpipe.models.demo import train_demo
    from transpipe.models.resolve import demo_dir

    pair = _pair(args)
    if pair is None:  # unreachable: both are required
        raise ConfigError("give --from and --to")
    out: Path = args.out or demo_dir(args.models_dir, pair)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    train_demo(pair, out, corpora_dir=args.corpora, seed=args.seed, progress=say)
    stdout_line(str(out))
    return 0
