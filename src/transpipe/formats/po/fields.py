"""How a ``Unit`` maps onto the parts of a PO entry, for the reader and the writer alike.

Owns the PO conventions transpipe follows (as Poedit and gettext expect them):

* ``msgctxt`` = unit id (or the original context of an entry read from a foreign file);
* ``#.`` extracted comments carry everything a machine says: term matches, term audit,
  findings, score (``x-...: value``), the paragraph and kind, props (``prop key: value``),
  the unit digest (``x-digest: ...``) and the unit's notes (a note that would read as one of
  those is written ``note: ...``);
* ``#:`` references: the foreign file's own, or ``<article>:<paragraph>``;
* ``# `` translator comments belong to translators: they are kept as they were read
  (``x-po-comment`` props) and nothing else is written there;
* ``#, fuzzy`` marks a unit that needs review;
* ``#| msgid``, the source the translation was made from (gettext's previous msgid), is the
  ``x-previous-source`` prop (:mod:`transpipe.formats.leverage`); the other previous fields are
  ``x-po-previous-msgctxt`` / ``x-po-previous-msgid-plural``.

It also owns the digest inputs of PO entries (see :mod:`transpipe.formats.provenance`),
computed from parsed entries on both sides, so a writer and a later reader agree exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from transpipe.formats.annotations import (
    COMPONENTS,
    ISSUE,
    SCORE,
    STATUS,
    TERM,
    TERM_MATCH,
)
from transpipe.formats.leverage import PREVIOUS_SOURCE
from transpipe.formats.po.parser import PoEntry
from transpipe.formats.provenance import PO_FILE_DIGEST, UNIT_DIGEST, FileDigest, unit_digest

MSGCTXT = "x-po-msgctxt"
NO_MSGCTXT = "x-po-no-msgctxt"
MSGID_PLURAL = "x-po-msgid-plural"
FLAGS = "x-po-flags"
COMMENT = "x-po-comment"
REFERENCE = "x-po-reference"
PREVIOUS = "x-po-previous-"
PARAGRAPH = "x-paragraph"
KIND = "x-kind"
OBSOLETE = "x-transpipe-obsolete"
GENERATOR = "transpipe"
PROP_PREFIX = "prop "
NOTE_PREFIX = "note: "
ANNOTATION_KEYS = frozenset({TERM_MATCH, TERM, ISSUE, SCORE, COMPONENTS, STATUS, PARAGRAPH, KIND})
_MACHINE_LINE = re.compile(r"^(?:x-[\w.-]+: |prop |note: )")
_ABSENT = "\x00"


def previous_key(field: str) -> str:
    """The prop of one ``#|`` field as the parser names it (``msgid``, ``msgctxt``,
    ``msgid-plural``)."""
    return PREVIOUS_SOURCE if field == "msgid" else PREVIOUS + field


def msgstr_key(index: int) -> str:
    """The prop holding plural form ``index`` (> 0) of a plural entry."""
    return f"x-po-msgstr[{index}]"


def escape_comment(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def unescape_comment(text: str) -> str:
    return re.sub(r"\\(\\|n|r)", lambda m: {"\\": "\\", "n": "\n", "r": "\r"}[m.group(1)], text)


def note_line(note: str) -> str:
    """A unit note as an extracted-comment line that reads back as the same note."""
    escaped = escape_comment(note)
    return NOTE_PREFIX + escaped if _MACHINE_LINE.match(escaped) else escaped


def po_date(created: str) -> str:
    digits = re.sub(r"\D", "", created)
    if len(digits) < 12:
        return "1970-01-01 00:00+0000"
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]} {digits[8:10]}:{digits[10:12]}+0000"


def iso_from_po(value: str) -> str:
    m = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?\s*\+0000\s*", value)
    if not m:
        return ""
    y, mo, d, h, mi, s = m.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s or '00'}Z"


def metadata(header: str) -> list[tuple[str, str]]:
    """The ``Key: value`` fields of a header msgstr, first occurrence of a key winning."""
    fields: dict[str, str] = {}
    for line in header.split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and " " not in key.strip():
            fields.setdefault(key.strip(), value.strip())
    return list(fields.items())


def split_digest(xcomments: Sequence[str]) -> tuple[list[str], str | None]:
    """Extracted comments without the ``x-digest`` line, and the digest it recorded."""
    kept: list[str] = []
    recorded: str | None = None
    prefix = f"{UNIT_DIGEST}: "
    for comment in xcomments:
        if comment.startswith(prefix) and recorded is None:
            recorded = comment[len(prefix) :]
        else:
            kept.append(comment)
    return kept, recorded


def _forms(entry: PoEntry) -> list[str]:
    if entry.plural:
        return [entry.plural[i] for i in sorted(entry.plural)]
    return [entry.msgstr if entry.msgstr is not None else _ABSENT]


def review_parts(entry: PoEntry) -> list[str]:
    """What a unit digest covers: the key, the texts and the fuzzy decision."""
    return [
        entry.msgctxt if entry.msgctxt is not None else _ABSENT,
        entry.msgid or "",
        entry.msgid_plural if entry.msgid_plural is not None else _ABSENT,
        *_forms(entry),
        "fuzzy" if "fuzzy" in entry.flags else "",
    ]


def entry_digest(entry: PoEntry) -> str:
    return unit_digest(review_parts(entry))


def file_digest(header: PoEntry | None, entries: Iterable[PoEntry]) -> str:
    """The digest of everything a person may change in the file (see the module docstring of
    :mod:`transpipe.formats.provenance`): header fields but the digest itself, then every entry
    in order with its flags, comments, references, previous msgid and obsolete mark."""
    digest = FileDigest()
    if header is not None:
        fields = [f"{k}: {v}" for k, v in metadata(header.msgstr or "") if k != PO_FILE_DIGEST]
        digest.add([*fields, *header.tcomments, *header.flags])
    for entry in entries:
        xcomments, _ = split_digest(entry.xcomments)
        digest.add(
            [
                *review_parts(entry),
                "obsolete" if entry.obsolete else "",
                ",".join(entry.flags),
                _joined(entry.tcomments),
                _joined(xcomments),
                _joined(entry.references),
                _joined(f"{k}={v}" for k, v in sorted(entry.previous.items())),
            ]
        )
    return digest.hexdigest()


def _joined(parts: Iterable[str]) -> str:
    items = list(parts)
    return f"{len(items)}{_ABSENT}{_ABSENT.join(items)}"


def header_and_entries(entries: Sequence[PoEntry]) -> tuple[PoEntry | None, list[PoEntry]]:
    """The header entry (``msgid ""`` without context, not obsolete) and the others."""
    header = next(
        (e for e in entries if e.msgid == "" and e.msgctxt is None and not e.obsolete), None
    )
    return header, [e for e in entries if e is not header]
