"""Safe outputs: nothing half written, nothing a person wrote replaced by accident.

Owns writing files, for every command:

* :mod:`.files`: atomic single-file operations (staged temp file, rename, numbered backups,
  stale temp files removed, OS errors named);
* :mod:`.rule`: the one no-clobber rule and the edit check (:func:`inspect`);
* :mod:`.single`: :func:`write_output`, one file under the rule;
* :mod:`.article`: :class:`OutputSet`, an article's several files committed together through a
  manifest, completed or rolled back after a crash.
"""

from __future__ import annotations

from transpipe.outputs.article import OutputSet
from transpipe.outputs.rule import Claim, Existing, claim, inspect, refuse_duplicates
from transpipe.outputs.single import write_output

__all__ = [
    "Claim",
    "Existing",
    "OutputSet",
    "claim",
    "inspect",
    "refuse_duplicates",
    "write_output",
]
