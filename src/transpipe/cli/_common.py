"""Helpers shared by subcommands: the environment, the clock, and stdout.

Owns the CLI's contact with the process environment: environment variables, the clock and
UTF-8 stdout. Reading inputs is :mod:`transpipe.inputs`; writing outputs is
:mod:`transpipe.outputs`.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from transpipe.config import Paths
from transpipe.errors import InputError


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
    """Where models live: ``$TRANSPIPE_MODELS_DIR`` if set, else ``./models``."""
    env = os.environ if environ is None else environ
    return Paths(models_dir=Path(env.get("TRANSPIPE_MODELS_DIR", "models")))
