"""``transpipe models list|pull|convert|path|train-demo``: manage translation models.

Owns the command-line side of ``transpipe.models``: reads the environment once
(``TRANSPIPE_MODELS_DIR`` through ``paths_from_env``, ``HF_ENDPOINT``, ``HF_TOKEN``) and passes
plain values down. This is the edge where models are set up (downloaded, converted, trained);
``translate`` only looks them up. Every message about a model names the model store. Heavy
libraries are imported inside the commands that need them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from transpipe.cli._common import paths_from_env, stdout_line
from transpipe.config import Paths
from transpipe.errors import ConfigError, InputError
from transpipe.model import LANGUAGES, LanguagePair
from transpipe.models.layout import ModelStore

DEMO_PAIRS = (LanguagePair("en", "ru"), LanguagePair("ru", "en"))


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "models",
        help="list, download, convert and locate translation models",
        description="Manage translation models in the per-user model store.",
    )
    parser.add_argument(
        "--models-dir",
        type=Path,
        help="the model store (default: $TRANSPIPE_MODELS_DIR, else the user data directory, "
        "e.g. ~/.local/share/transpipe/models)",
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

    train = actions.add_parser(
        "train-demo",
        help="train a tiny offline demo model on the repository's corpora (minutes of CPU)",
    )
    _pair_arguments(train, required=True)
    train.add_argument(
        "--out",
        type=Path,
        help="output dir; its CTranslate2 copy goes to OUT-ct2 (default: demo-SRC-TGT in the "
        "model store, which --model demo then prefers to the demo model shipped with transpipe)",
    )
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


def _store(args: argparse.Namespace) -> ModelStore:
    root: Path | None = args.models_dir
    return ModelStore(root.expanduser() if root is not None else paths_from_env().models_dir)


def run_list(args: argparse.Namespace) -> int:
    from transpipe.models.catalogue import catalogue_path, load_catalogue
    from transpipe.models.layout import ct2_dir_for, detect_layout
    from transpipe.models.resolve import demo_dirs

    store = _store(args)
    catalogue = load_catalogue(store)
    stdout_line(f"model store: {store.root}")
    stdout_line(f"catalogue: {catalogue_path(store)}")
    stdout_line("| name | pair | Hugging Face id | revision | installed | size |")
    stdout_line("|---|---|---|---|---|---|")
    for entry in catalogue.entries:
        installed: list[str] = []
        if entry.is_demo:
            for pair in DEMO_PAIRS:
                found = demo_dirs(pair, store)
                if found is not None:
                    where = "store" if found[0].parent == store.root else "shipped"
                    installed.append(f"{found[0].name} (hf, ct2; {where})")
        else:
            directory = store.model_dir(entry.name)
            if detect_layout(directory) == "hf":
                installed.append(f"{directory.name} (hf)")
            if detect_layout(ct2_dir_for(directory)) == "ct2":
                installed.append(f"{directory.name}-ct2")
        pair_text = str(entry.pair) if entry.pair else "en-ru, ru-en"
        default = " (default)" if entry.default else ""
        stdout_line(
            f"| {entry.name}{default} | {pair_text} | {entry.hf_id or '(local)'} | "
            f"{entry.revision[:12]} | {', '.join(installed) or '-'} | {entry.size} |"
        )
    return 0


def run_pull(args: argparse.Namespace) -> int:
    from transpipe.models.catalogue import load_catalogue
    from transpipe.models.pull import DEFAULT_ENDPOINT, pull_model

    store = _store(args)
    entry = load_catalogue(store).get(args.name)
    endpoint = args.endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
    target = pull_model(
        entry,
        store,
        endpoint=endpoint,
        token=os.environ.get("HF_TOKEN") or None,
        progress=sys.stderr.isatty(),
    )
    stdout_line(str(target))
    return 0


def run_convert(args: argparse.Namespace) -> int:
    from transpipe.models.catalogue import load_catalogue
    from transpipe.models.convert import convert_to_ct2
    from transpipe.models.layout import ct2_dir_for

    store = _store(args)
    spec: str = args.model
    source = Path(spec).expanduser()
    if not source.is_dir():
        entry = load_catalogue(store).get(spec)
        source = store.model_dir(entry.name)
        if not source.is_dir():
            raise InputError(
                f"model {spec!r} is not downloaded into the {store.describe()}",
                path=source,
                hint=f"run `transpipe models pull {spec}` first",
            )
    out: Path = args.out or ct2_dir_for(source)
    stdout_line(str(convert_to_ct2(source, out, quantization=args.quantization)))
    return 0


def run_path(args: argparse.Namespace) -> int:
    from transpipe.models.catalogue import load_catalogue
    from transpipe.models.resolve import resolve_model

    store = _store(args)
    pair = _pair(args)
    if pair is None:
        entry = load_catalogue(store).get(args.name)
        if entry.pair is None:
            raise ConfigError(f"model {args.name!r} needs --from and --to")
        pair = entry.pair
    resolved = resolve_model(args.name, pair, args.engine, Paths(models_dir=store.root))
    directory = resolved.ct2_dir if args.engine == "ct2" else resolved.hf_dir
    stdout_line(str(directory))
    return 0


def run_train_demo(args: argparse.Namespace) -> int:
    from transpipe.models.demo import train_demo
    from transpipe.models.layout import ct2_dir_for

    pair = _pair(args)
    if pair is None:  # unreachable: both are required
        raise ConfigError("give --from and --to")
    corpora: Path = args.corpora
    if not corpora.is_dir():
        raise InputError(
            "corpora directory not found",
            path=corpora,
            hint="run train-demo in a clone of the transpipe repository or pass --corpora DIR",
        )
    out: Path = args.out or _store(args).demo_dir(pair)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    train_demo(pair, out, corpora_dir=corpora, seed=args.seed, progress=say)
    stdout_line(str(out))
    stdout_line(str(ct2_dir_for(out)))
    return 0
