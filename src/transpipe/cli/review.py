"""``transpipe review DIR``: the review workstation for a translate (or align) output directory.

Owns the review subcommand: opens the project (creating ``DIR/review.db`` from the run's
reports and POs on first use, importing edits made to a PO since), prints the page URL with a
fresh secret token as ``http://HOST:PORT/?token=TOKEN`` on one line, and serves until
interrupted. Binds to 127.0.0.1 unless ``--host`` says otherwise.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "review",
        help="review translations in the browser (term-aware, keyboard first)",
        description=(
            "Serve the review page for a translate --out DIR. Prints the URL with a secret "
            "token on one line; every accepted edit is stored in DIR/review.db before it is "
            "confirmed, and approved segments go into the translation memory."
        ),
    )
    parser.add_argument("directory", metavar="DIR", help="a translate (or align) output directory")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--glossary", metavar="G", help="glossary for term checks and entries")
    parser.add_argument(
        "--tm",
        metavar="DB",
        help="translation memory for approved segments (default DIR/memory.db)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from transpipe.cli._common import created_timestamp
    from transpipe.errors import ConfigError
    from transpipe.review.app import create_app
    from transpipe.review.project import ProjectSettings, ReviewProject
    from transpipe.review.server import bind, serve, url_of

    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port {args.port} is not a TCP port")
    terms = None
    if args.glossary:
        from transpipe.terms import CompiledGlossary, load_glossary

        terms = CompiledGlossary(load_glossary(args.glossary))
    settings = ProjectSettings(
        directory=Path(args.directory),
        clock=lambda: created_timestamp({}),
        terms=terms,
        memory=Path(args.tm) if args.tm else None,
    )
    project = ReviewProject(settings)
    try:
        project.open()
        for warning in project.warnings:
            print(f"transpipe: warning: {warning}", file=sys.stderr)
        token = secrets.token_urlsafe(24)
        sock = bind(args.host, args.port)
        if args.host not in ("127.0.0.1", "::1", "localhost"):
            print(
                f"transpipe: warning: listening on {args.host}: anyone who can reach it and has "
                "the token can edit",
                file=sys.stderr,
            )

        def announce() -> None:
            sys.stdout.write(url_of(sock, args.host, token) + "\n")
            sys.stdout.flush()

        serve(create_app(project, token), sock, announce)
    finally:
        project.close()
    return 0
