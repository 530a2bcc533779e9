"""Helpers shared by subcommands: the environment, the clock, stdout, shared options.

Owns the CLI's contact with the process environment: environment variables, the clock and
UTF-8 stdout, and the options several commands share (``--skip-language-check``). Reading
inputs is :mod:`transpipe.inputs`; writing outputs is :mod:`transpipe.outputs`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from transpipe.config import DecodingOptions, Paths
from transpipe.errors import InputError
from transpipe.inputs import SKIP_LANGUAGE_CHECK

if TYPE_CHECKING:
    from transpipe.model import LanguagePair
    from transpipe.terms import Glossary


def created_timestamp(environ: Mapping[str, str] | None = None) -> str:
    """ISO-8601 UTC timestamp from SOURCE_DATE_EPOCH if set (reproducible builds), else now."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError) as exc:
            raise InputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from exc
    else:
        moment = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def stdout_line(text: str) -> None:
    """Print one line of UTF-8 to stdout regardless of the locale."""
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")


def paths_from_env(environ: Mapping[str, str] | None = None) -> Paths:
    """The model store: ``$TRANSPIPE_MODELS_DIR`` if set, else the per-user data directory."""
    from transpipe.models.layout import MODELS_DIR_ENV, default_models_dir

    env = os.environ if environ is None else environ
    value = env.get(MODELS_DIR_ENV)
    return Paths(models_dir=Path(value).expanduser() if value else default_models_dir())


def add_language_check_option(parser: argparse.ArgumentParser) -> None:
    """The option that turns off the input language check of a command's text inputs."""
    parser.add_argument(
        SKIP_LANGUAGE_CHECK,
        dest="skip_language_check",
        action="store_true",
        help="read text inputs even when their script says they are in another language "
        "than the one given",
    )


def add_force_option(parser: argparse.ArgumentParser) -> None:
    """``--force``: replace an existing OUT, keeping a numbered backup (the no-clobber rule)."""
    parser.add_argument(
        "--force", action="store_true", help="replace an existing OUT (a numbered backup is kept)"
    )


def add_decoding_options(parser: argparse.ArgumentParser) -> None:
    """Beam, device and compute type: the decoding options of every command that translates."""
    parser.add_argument("--beam", type=int, default=4, help="beam size (default: 4)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (default: cpu)")
    parser.add_argument(
        "--compute-type",
        default="int8",
        help="CTranslate2 compute type: int8, int8_float32, float32, float16, int8_float16 on "
        "GPUs (default: int8)",
    )


def add_suppress_forbidden_option(parser: argparse.ArgumentParser) -> None:
    """The option that keeps the glossary's forbidden terms out of decoding."""
    parser.add_argument(
        "--suppress-forbidden",
        action="store_true",
        help="never let the engine generate the glossary's forbidden terms (CTranslate2 "
        "suppress_sequences / transformers logits processor; with pinning)",
    )


def suppressing_forbidden(
    args: argparse.Namespace,
    decoding: DecodingOptions,
    glossary: Glossary | None,
    pair: LanguagePair,
) -> DecodingOptions:
    """``decoding`` with every form of the glossary's forbidden target terms suppressed, when
    ``--suppress-forbidden`` asks for it (and terms are pinned); otherwise ``decoding``."""
    if glossary is None or args.no_pin or not args.suppress_forbidden:
        return decoding
    from dataclasses import replace

    from transpipe.pinning import forbidden_surfaces

    return replace(decoding, suppress=forbidden_surfaces(glossary, pair))


def checked_language(args: argparse.Namespace, lang: str) -> str | None:
    """``lang`` for ``read_text(..., language=)``, or ``None`` with ``--skip-language-check``."""
    return None if getattr(args, "skip_language_check", False) else lang
