"""Language codes as interchange files state them, compared with the pair a user asked for.

Owns the rule that a language a file states (a PO ``Language`` header, XLIFF
``source-language``) must not contradict the requested pair: files are never relabelled
silently. Codes are compared by :mod:`transpipe.lang.codes` (case, ``_``/``-`` and region
insensitive unless the wanted code names a region).
"""

from __future__ import annotations

from pathlib import Path

from transpipe.errors import InputError
from transpipe.lang.codes import primary
from transpipe.model import LanguagePair

UNKNOWN = "und"


def check_stated(path: Path, source: str, target: str, pair: LanguagePair) -> None:
    """Raise when a language the file states (not empty, not ``und``) contradicts ``pair``."""
    found_source, found_target = primary(source), primary(target)
    for side, found, wanted in (
        ("source", found_source, primary(pair.source)),
        ("target", found_target, primary(pair.target)),
    ):
        if found not in ("", UNKNOWN) and found != wanted:
            stated = f"{found_source or '?'}->{found_target or '?'}"
            raise InputError(
                f"the file's {side} language is {found!r}, not {wanted!r} (file states {stated})",
                path=path,
                hint="check --from/--to",
            )
