"""One output file written under the no-clobber rule: claimed, staged, re-checked, published.

Owns the write path of every command that produces a single file (``convert``, ``align
--out``, ``tm export``, ``glossary import|export|extract``, ``segment --export-srx``).
"""

from __future__ import annotations

from pathlib import Path

from transpipe.outputs.files import Render, keep_backup, publish, stage
from transpipe.outputs.rule import claim


def write_output(
    path: str | Path, render: Render, *, force: bool = False, regenerate: bool = False
) -> Path | None:
    """Write ``path`` with ``render`` all-or-nothing, following :mod:`transpipe.outputs.rule`.

    The rule is applied again after rendering (the file may have changed meanwhile). Returns
    the backup kept of the replaced file, if one was.
    """
    target = Path(path)
    claim(target, force=force, regenerate=regenerate)
    temp, _ = stage(target, render)
    try:
        final = claim(target, force=force, regenerate=regenerate)
        backup = keep_backup(target) if final.backup else None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    publish(temp, target)
    return backup
