"""Command-line entry point: parse, build config, call the API, map errors to exit codes.

One error boundary for every subcommand: a ``TranspipeError`` prints one line on stderr and
exits 1, and so does an ``OSError`` no command turned into one (permission denied, no space
left, file too large: the line names the file when the system does); argparse usage errors
exit 2. Each subcommand lives in its own module in this package
exposing ``add_parser(subparsers)``; the module sets ``func`` on its parser. Subcommand modules
import heavy libraries only inside their ``run`` functions, so ``transpipe --help`` is fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from transpipe import __version__
from transpipe.errors import TranspipeError

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2

SUBCOMMAND_MODULES = (
    "translate",
    "batch",
    "segment",
    "terms",
    "glossary",
    "align",
    "score",
    "qe",
    "models",
    "convert",
    "tm",
    "publish",
    "review",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="transpipe",
        description="Terminology-aware Russian <-> English news translation pipeline.",
    )
    parser.add_argument("--version", action="version", version=f"transpipe {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(f"transpipe.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"transpipe.cli.{name}":
                continue  # subcommand not built yet
            raise
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # a full disk or a closed pipe on stdout shows here, not at exit
    except TranspipeError as error:
        print(f"transpipe: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("transpipe: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _settle_stdout()
        return EXIT_OK
    except OSError as error:  # the system refused a read or write nobody turned into a message
        _settle_stdout()
        print(f"transpipe: error: {os_error_message(error)}", file=sys.stderr)
        return EXIT_USER_ERROR
    return code


def _settle_stdout() -> None:
    """Flush stdout; if it cannot take the output, send the rest to the null device so the
    interpreter's own flush at exit does not print a second error."""
    try:
        sys.stdout.flush()
    except OSError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def os_error_message(error: OSError) -> str:
    """One line for an OS error: the file it names (if any) and the system's reason."""
    reason = error.strerror or str(error) or type(error).__name__
    return f"{error.filename}: {reason}" if error.filename else reason


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
