"""What transpipe wrote: digests recorded in our files so any later edit, by any tool, shows.

Owns the digests and what a reader concludes from them. Each writer records

* a **unit digest** per unit (TMX/XLIFF prop ``x-digest``, PO ``#. x-digest:``) over the
  translation itself: the unit's key, its texts and its format's review marker (PO ``fuzzy``,
  XLIFF ``state``/``approved``), so a changed translation or a changed review decision shows
  per unit;
* a **file digest** (PO header ``X-Transpipe-Digest``, TMX/XLIFF header prop
  ``x-transpipe-digest``) over everything a person may change: every unit's full content
  (texts, flags, props, notes, translator comments) in order, and for PO the header fields.

Each format computes the digest inputs from its own fields (what the file holds, not what a
``Unit`` became), on writing and again on reading, with :func:`unit_digest` and
:class:`FileDigest`. Formatting that changes no content (line wrapping, CRLF, a BOM, XML
indentation) is not an edit. Readers strip the digests out of the units they return and
report a :class:`Provenance` beside them.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from transpipe.model import Bitext

UNIT_DIGEST = "x-digest"
"""Per-unit key: TMX ``<prop type>``, XLIFF prop, PO extracted-comment key."""

FILE_DIGEST = "x-transpipe-digest"
"""File-level key: TMX header prop, XLIFF header prop/metadata."""

PO_FILE_DIGEST = "X-Transpipe-Digest"
"""File-level PO header field."""

_UNIT_CHARS = 16
_FILE_CHARS = 32


class Check(enum.Enum):
    """How a recorded digest compares with the content found."""

    ABSENT = "absent"  # nothing recorded (a foreign file, or the digest was removed)
    MATCH = "match"  # content as transpipe wrote it
    MISMATCH = "mismatch"  # changed since transpipe wrote it


def _feed(hasher: hashlib._Hash, parts: Iterable[str]) -> None:
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)


def unit_digest(parts: Iterable[str]) -> str:
    """Short digest of one unit's translation fields (unambiguous: parts are length-framed)."""
    hasher = hashlib.sha256()
    _feed(hasher, parts)
    return hasher.hexdigest()[:_UNIT_CHARS]


class FileDigest:
    """Accumulates the full content of a file, unit by unit, into one digest."""

    def __init__(self) -> None:
        self._hasher = hashlib.sha256()
        self._records = 0

    def add(self, parts: Iterable[str]) -> None:
        """Add one record (a unit's or the header's content) in file order."""
        self._records += 1
        inner = hashlib.sha256()
        _feed(inner, parts)
        self._hasher.update(inner.digest())

    def hexdigest(self) -> str:
        final = self._hasher.copy()
        final.update(self._records.to_bytes(8, "big"))
        return final.hexdigest()[:_FILE_CHARS]


def compare(recorded: str | None, computed: str) -> Check:
    """``ABSENT`` when nothing was recorded, else whether it matches ``computed``."""
    if recorded is None:
        return Check.ABSENT
    return Check.MATCH if recorded.strip().lower() == computed else Check.MISMATCH


@dataclass(frozen=True)
class Provenance:
    """What a reader learned about who wrote a file and whether it changed since.

    ``units`` is aligned with the units of the bitext read. ``by_transpipe`` says the file
    names transpipe as its writer (PO ``X-Generator``, TMX ``creationtool``, XLIFF ``tool``).
    """

    by_transpipe: bool = False
    file: Check = Check.ABSENT
    units: tuple[Check, ...] = ()

    @property
    def unchanged(self) -> bool:
        """The file is verifiably as transpipe wrote it."""
        return self.file is Check.MATCH


@dataclass(frozen=True)
class BitextFile:
    """A bilingual file as a reader returns it: the units and what the digests say."""

    bitext: Bitext
    provenance: Provenance
