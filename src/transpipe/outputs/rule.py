"""The no-clobber rule every writer of transpipe follows, and the edit check behind it.

Owns the decision whether an existing file may be replaced:

1. A missing file is simply written. A directory in the way is an error.
2. A command that regenerates its own outputs (``translate``, ``align``) replaces a file
   transpipe wrote that nobody changed since; "unchanged" is proven by the sha256 a manifest
   recorded (:mod:`transpipe.outputs.article`) or by the digests inside a TMX, PO or XLIFF
   file (:mod:`transpipe.formats.provenance`): any edit by any tool (a text editor, Poedit,
   OmegaT) shows. Every other command replaces nothing.
3. Anything else, edited work above all, is refused (exit 1, one line naming the file) unless
   ``--force``; then the old file is first kept as a numbered backup ``<name>.~N~`` (not
   when it is transpipe's own unchanged output).

:func:`inspect` is the edit check on its own (what an existing file is); :func:`claim` applies
the rule before any work is done, and writers re-apply it just before they replace a file.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from transpipe.errors import InputError, OutputError
from transpipe.outputs.files import file_sha256, remove_stale_temps


class Existing(enum.Enum):
    """What is at an output path now."""

    ABSENT = "absent"
    UNCHANGED = "unchanged"  # transpipe's own output, verifiably as written
    EDITED = "edited"  # transpipe wrote it; it changed since (or its proof is gone)
    FOREIGN = "foreign"  # no sign that transpipe wrote it


@dataclass(frozen=True)
class Claim:
    """Permission to write ``path``; ``backup`` says to keep the existing file first."""

    path: Path
    existing: Existing
    backup: bool


def inspect(path: str | Path, *, recorded_sha256: str | None = None) -> Existing:
    """The edit check: what the file at ``path`` is (see the module docstring).

    ``recorded_sha256`` is the content hash a manifest recorded when transpipe wrote it.
    """
    p = Path(path)
    if p.is_dir():
        raise OutputError("is a directory, expected a file (or nothing) there", path=p)
    if not p.exists():
        return Existing.ABSENT
    if recorded_sha256 is not None and file_sha256(p) == recorded_sha256:
        return Existing.UNCHANGED
    from_digests = _by_digests(p)
    if from_digests is not None:
        return from_digests
    return Existing.EDITED if recorded_sha256 is not None else Existing.FOREIGN


def _by_digests(path: Path) -> Existing | None:
    """What the digests inside a TMX/PO/XLIFF file say (``None``: no such format)."""
    from transpipe.errors import ConfigError
    from transpipe.formats.provenance import Check
    from transpipe.formats.registry import format_for, load_bitext

    try:
        if format_for(path, reading=True).name not in ("tmx", "po", "xliff"):
            return None
        provenance = load_bitext(path).provenance
    except ConfigError:
        return None
    except InputError:
        return Existing.FOREIGN  # unreadable: not verifiably ours
    if provenance.unchanged:
        return Existing.UNCHANGED
    if provenance.file is Check.MISMATCH or Check.MISMATCH in provenance.units:
        return Existing.EDITED
    return Existing.FOREIGN  # no digests (a foreign file, or ours from before digests)


def claim(
    path: str | Path,
    *,
    force: bool = False,
    regenerate: bool = False,
    recorded_sha256: str | None = None,
) -> Claim:
    """Apply the rule to ``path`` (``regenerate``: the command regenerates its own outputs).

    Removes stale temp files of ``path`` on the way. Raises :class:`OutputError` when the
    existing file must be kept.
    """
    p = Path(path)
    existing = inspect(p, recorded_sha256=recorded_sha256)
    remove_stale_temps(p)
    if existing is Existing.ABSENT:
        return Claim(p, existing, backup=False)
    if existing is Existing.UNCHANGED and regenerate:
        return Claim(p, existing, backup=False)
    if force:
        return Claim(p, existing, backup=existing is not Existing.UNCHANGED)
    hint = "pass --force to replace it; the old file is kept as a numbered backup"
    if existing is Existing.EDITED:
        raise OutputError("was edited after transpipe wrote it; not overwriting", path=p, hint=hint)
    raise OutputError("already exists; not overwriting", path=p, hint=hint)


def refuse_duplicates(paths: list[Path], owners: Sequence[str | Path] | None = None) -> None:
    """Two outputs of one run must not be the same file (the second would replace the first).

    ``owners[i]``, when given, is the input that writes ``paths[i]``; the error names both.
    """
    seen: dict[Path, int] = {}
    for index, path in enumerate(paths):
        key = Path(path).absolute()
        if key in seen:
            hint = "rename one input or translate them in separate runs with different --out"
            if owners is not None:
                hint = f"{owners[seen[key]]} and {owners[index]}: {hint}"
            raise OutputError("two inputs of this run would write this file", path=path, hint=hint)
        seen[key] = index
