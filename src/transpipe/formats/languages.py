"""Language codes as interchange files state them, compared with the pair a user asked for.

Owns how formats match codes: case, ``_``/``-`` and region insensitive unless the wanted code
names a region (``ru-RU`` matches ``ru``; ``en`` does not match a wanted ``en-GB``), and the
rule that a language a file states (a PO ``Language`` header, XLIFF ``source-language``) must
not contradict the requested pair: files are never relabelled silently.
"""

from __future__ import annotations

from pathlib import Path

from transpipe.errors import InputError
from transpipe.model import LanguagePair

UNKNOWN = "und"


def norm_lang(code: str) -> str:
    """Primary language subtag, lower case: ``EN-us`` -> ``en``, ``ru_RU`` -> ``ru``."""
    return code.strip().replace("_", "-").split("-", 1)[0].lower()


def lang_matches(code: str, wanted: str) -> bool:
    """``ru-RU`` matches ``ru``; a wanted code with a region (``en-GB``) must match fully."""
    full = code.strip().replace("_", "-").lower()
    want = wanted.strip().replace("_", "-").lower()
    if "-" in want:
        return full == want
    return norm_lang(full) == want


def check_stated(path: Path, source: str, target: str, pair: LanguagePair) -> None:
    """Raise when a language the file states (not empty, not ``und``) contradicts ``pair``."""
    found_source, found_target = norm_lang(source), norm_lang(target)
    for side, found, wanted in (
        ("source", found_source, norm_lang(pair.source)),
        ("target", found_target, norm_lang(pair.target)),
    ):
        if found not in ("", UNKNOWN) and found != wanted:
            stated = f"{found_source or '?'}->{found_target or '?'}"
            raise InputError(
                f"the file's {side} language is {found!r}, not {wanted!r} (file states {stated})",
                path=path,
                hint="check --from/--to",
            )
