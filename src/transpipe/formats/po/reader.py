"""PO/POT files into a ``Bitext``: the meaning of parsed entries, checked.

Owns reading PO: the bytes are decoded by :mod:`.charset`, parsed by :mod:`.parser`, then
checked (a second header, duplicate (msgctxt, msgid) keys, a bad ``Plural-Forms``) and turned
into units following :mod:`.fields`. Obsolete entries are not units; their count is kept in
the ``x-transpipe-obsolete`` prop. Digests written by transpipe are verified and reported as
the file's :class:`~transpipe.formats.provenance.Provenance`; a machine translation a person
changed comes back ``reviewed`` (:func:`transpipe.formats.review.mark_edits`).
"""

from __future__ import annotations

from pathlib import Path

from transpipe.errors import FormatError
from transpipe.formats.annotations import parse_pairs
from transpipe.formats.languages import check_stated
from transpipe.formats.po.charset import decode_po
from transpipe.formats.po.fields import (
    ANNOTATION_KEYS,
    COMMENT,
    FLAGS,
    GENERATOR,
    KIND,
    MSGCTXT,
    MSGID_PLURAL,
    NO_MSGCTXT,
    NOTE_PREFIX,
    OBSOLETE,
    PARAGRAPH,
    PROP_PREFIX,
    REFERENCE,
    entry_digest,
    file_digest,
    header_and_entries,
    iso_from_po,
    metadata,
    msgstr_key,
    previous_key,
    split_digest,
    unescape_comment,
)
from transpipe.formats.po.parser import PoEntry, parse_entries
from transpipe.formats.po.plural import check_plural_forms
from transpipe.formats.provenance import PO_FILE_DIGEST, BitextFile, Check, Provenance, compare
from transpipe.formats.review import mark_edits
from transpipe.inputs import read_bytes
from transpipe.model import Bitext, LanguagePair, SegmentKind, Unit

MAX_PO_BYTES = 100 * 1024 * 1024
_KINDS = {k.value: k for k in SegmentKind}


def load_po(path: str | Path, pair: LanguagePair | None = None) -> BitextFile:
    """Read a PO/POT file and what its digests say. ``pair``, when given, must agree with the
    languages the header states (``X-Source-Language``, ``Language``) and replaces them."""
    p = Path(path)
    text = decode_po(p, read_bytes(p, max_bytes=MAX_PO_BYTES, expected="a PO file"))
    header, entries = header_and_entries(parse_entries(p, text))
    active = _active(p, header, entries)
    fields = dict(metadata(header.msgstr or "" if header else ""))
    plural_forms = fields.get("Plural-Forms", "")
    if plural_forms and "INTEGER" not in plural_forms:  # POT placeholder
        try:
            check_plural_forms(plural_forms)
        except ValueError as exc:
            raise FormatError(
                f"bad Plural-Forms header: {exc}", path=p, line=header.line if header else 1
            ) from exc
    stated = (fields.get("X-Source-Language", ""), fields.get("Language", ""))
    if pair is None:
        pair = LanguagePair(
            stated[0].replace("_", "-") or "en", stated[1].replace("_", "-") or "und"
        )
    else:
        check_stated(p, *stated, pair)
    by_transpipe = fields.get("X-Generator", "").startswith(GENERATOR)
    contexts: dict[str, int] = {}
    for entry in active:
        if entry.msgctxt is not None:
            contexts[entry.msgctxt] = contexts.get(entry.msgctxt, 0) + 1
    unique = {context for context, count in contexts.items() if count == 1}
    units: list[Unit] = []
    checks: list[Check] = []
    for number, entry in enumerate(active, start=1):
        xcomments, recorded = split_digest(entry.xcomments)
        units.append(_unit(entry, xcomments, number, p.stem, unique, by_transpipe))
        checks.append(compare(recorded, entry_digest(entry)))
    file_check = compare(fields.get(PO_FILE_DIGEST), file_digest(header, entries))
    props = [(k, v) for k, v in fields.items() if k != PO_FILE_DIGEST]
    obsolete = sum(1 for e in entries if e.obsolete)
    if obsolete:
        props.append((OBSOLETE, str(obsolete)))
    created = iso_from_po(fields.get("POT-Creation-Date", "")) or iso_from_po(
        fields.get("PO-Revision-Date", "")
    )
    bitext = Bitext(
        name=p.stem,
        pair=pair,
        units=mark_edits(units, checks),
        created=created,
        props=tuple(props),
    )
    return BitextFile(bitext, Provenance(by_transpipe, file_check, tuple(checks)))


def read_po(path: str | Path, pair: LanguagePair | None = None) -> Bitext:
    """Read a PO/POT file into a ``Bitext`` (see :func:`load_po`)."""
    return load_po(path, pair).bitext


def _active(path: Path, header: PoEntry | None, entries: list[PoEntry]) -> list[PoEntry]:
    """The entries that become units, refusing a second header and duplicate keys."""
    active: list[PoEntry] = []
    seen: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        if entry.obsolete:
            continue
        if entry.msgid == "" and entry.msgctxt is None:
            raise FormatError(
                'a second header entry (msgid "")',
                path=path,
                line=entry.line,
                hint=f"first at line {header.line if header else 1}",
            )
        key = (entry.msgctxt, entry.msgid or "")
        if key in seen:
            raise FormatError(
                "duplicate message definition",
                path=path,
                line=entry.line,
                hint=f"first defined at line {seen[key]}",
            )
        seen[key] = entry.line
        active.append(entry)
    return active


def _unit(
    entry: PoEntry,
    xcomments: list[str],
    number: int,
    stem: str,
    unique: set[str],
    by_transpipe: bool,
) -> Unit:
    props: list[tuple[str, str]] = []
    pairs: list[tuple[str, str]] = []
    notes: list[str] = []
    if entry.msgctxt is not None and entry.msgctxt in unique:
        uid = entry.msgctxt
    else:
        uid = f"{stem}:e{number}"
        if entry.msgctxt is None:
            props.append((NO_MSGCTXT, "1"))
        else:
            props.append((MSGCTXT, entry.msgctxt))
    props.extend((COMMENT, comment) for comment in entry.tcomments)
    paragraph = 0
    kind = SegmentKind.SENTENCE
    for comment in xcomments:
        key, sep, value = comment.partition(": ")
        if comment.startswith(PROP_PREFIX) and sep:
            props.append((unescape_comment(key[len(PROP_PREFIX) :]), unescape_comment(value)))
        elif sep and key == PARAGRAPH and value.isdigit() and len(value) < 10:
            paragraph = int(value)
        elif sep and key == KIND and value in _KINDS:
            kind = _KINDS[value]
        elif sep and key in ANNOTATION_KEYS:
            pairs.append((key, unescape_comment(value)))
        elif by_transpipe and comment.startswith(NOTE_PREFIX):
            notes.append(unescape_comment(comment[len(NOTE_PREFIX) :]))
        else:
            notes.append(unescape_comment(comment))
    flags = [f for f in entry.flags if f != "fuzzy"]
    if flags:
        props.append((FLAGS, ", ".join(flags)))
    references = entry.references
    if by_transpipe and paragraph and len(references) == 1:
        token = references[0]
        if token.endswith(f":{paragraph}") and " " not in token:
            references = []  # written from the paragraph number (see fields)
    props.extend((REFERENCE, reference) for reference in references)
    props.extend((previous_key(name), value) for name, value in entry.previous.items())
    target = entry.msgstr or ""
    if entry.msgid_plural is not None:
        props.append((MSGID_PLURAL, entry.msgid_plural))
        target = entry.plural.get(0, "")
        props.extend((msgstr_key(i), entry.plural[i]) for i in sorted(entry.plural) if i > 0)
    parsed = parse_pairs(props + pairs)
    return Unit(
        id=uid,
        source=entry.msgid or "",
        target=target,
        paragraph=paragraph,
        kind=kind,
        fuzzy="fuzzy" in entry.flags,
        notes=tuple(notes),
        props=parsed.props,
        term_audit=parsed.term_audit,
        issues=parsed.issues,
        score=parsed.score,
    )
