"""``Bitext`` to a UTF-8 PO file that passes ``msgfmt -c --check-format``, through polib.

Owns writing PO: one entry per unit laid out by :mod:`.fields`. The header has Language,
UTF-8 Content-Type, Plural-Forms of the target language (or the one the input file
declared), creation dates from ``bitext.created``, ``Last-Translator: transpipe``,
X-Generator and the file digest. Output has no BOM, LF only, and is deterministic.
msgfmt-safety: XML/C-illegal control characters are removed, a plural entry always gets
exactly ``nplurals`` forms (a translated entry missing some is marked fuzzy), a translation
whose leading/trailing newline does not match its source, or whose format directives do not
match (``c-format``, ``python-format``, ``python-brace-format``), is marked fuzzy (msgfmt
ignores fuzzy entries; a person decides), and (msgctxt, msgid) keys are kept unique.

Digests: the rendered file is parsed back with :mod:`.parser` and the digests are computed
from what was parsed, so the reader of this file computes exactly the same values.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

import polib

from transpipe import __version__
from transpipe.formats.annotations import REVIEW, annotation_pairs
from transpipe.formats.leverage import PREVIOUS_SOURCE
from transpipe.formats.po.fields import (
    COMMENT,
    FLAGS,
    GENERATOR,
    KIND,
    MSGCTXT,
    MSGID_PLURAL,
    NO_MSGCTXT,
    PARAGRAPH,
    PREVIOUS,
    PROP_PREFIX,
    REFERENCE,
    entry_digest,
    escape_comment,
    file_digest,
    header_and_entries,
    note_line,
    po_date,
)
from transpipe.formats.po.parser import parse_entries
from transpipe.formats.po.plural import nplurals, plural_forms_for
from transpipe.formats.provenance import PO_FILE_DIGEST, UNIT_DIGEST
from transpipe.formats.xmlsafe import xml_text
from transpipe.model import Bitext, SegmentKind, Unit


def write_po(bitext: Bitext, stream: BinaryIO) -> None:
    """Write ``bitext`` as a UTF-8 PO file that passes ``msgfmt -c --check-format``."""
    props = dict(bitext.props)
    target = bitext.pair.target
    plural_forms = plural_forms_for(target, props.get("Plural-Forms", ""))
    date = po_date(bitext.created)
    po = polib.POFile(wrapwidth=0, check_for_duplicates=False)
    po.header = f"{_one_line(bitext.name)} ({bitext.pair}), written by transpipe."
    po.metadata = {
        "Project-Id-Version": _header_value(
            props.get("Project-Id-Version") or bitext.name or "transpipe"
        ),
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": date,
        "PO-Revision-Date": date,
        "Last-Translator": GENERATOR,
        "Language-Team": _header_value(target),
        "Language": _header_value(target),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms,
        "X-Generator": f"{GENERATOR} {__version__}",
        "X-Source-Language": _header_value(bitext.pair.source),
    }
    article = "_".join(bitext.name.split()) or "document"
    seen: set[tuple[str | None, str]] = set()
    for unit in bitext.units:
        entry = _entry(unit, nplurals(plural_forms), target, article)
        key = (entry.msgctxt, entry.msgid)
        if key in seen:  # msgfmt rejects duplicates: keep the key unique through the context
            entry.msgctxt = unit.id if entry.msgctxt != unit.id else f"{unit.id}#{len(seen)}"
        seen.add((entry.msgctxt, entry.msgid))
        po.append(entry)
    _add_digests(po)
    text = str(po)
    if not text.endswith("\n"):
        text += "\n"
    stream.write(text.replace("\r", "").encode("utf-8"))


def _add_digests(po: polib.POFile) -> None:
    """Record the unit digests and the file digest, computed from the parsed rendering."""
    header, parsed = header_and_entries(parse_entries(Path("<written>"), str(po)))
    for entry, found in zip(po, parsed, strict=True):
        line = f"{UNIT_DIGEST}: {entry_digest(found)}"
        entry.comment = f"{entry.comment}\n{line}" if entry.comment else line
    po.metadata[PO_FILE_DIGEST] = file_digest(header, parsed)


def _one_line(value: str) -> str:
    return " ".join(escape_comment(xml_text(value)).split())


def _header_value(value: str) -> str:
    return " ".join(xml_text(value).split())


def _clean(text: str) -> str:
    return xml_text(text).replace("\r\n", "\n").replace("\r", "\n")


def _starts_ends(text: str) -> tuple[bool, bool]:
    return text.startswith("\n"), text.endswith("\n")


def _entry(unit: Unit, count: int, target_lang: str, article: str) -> polib.POEntry:
    keys = {k for k, _ in unit.props}
    source = _clean(unit.source)
    target = _clean(unit.target)
    fuzzy = unit.fuzzy or bool(target and _starts_ends(source) != _starts_ends(target))
    msgctxt: str | None = _clean(unit.id)
    plural_source: str | None = None
    forms: dict[int, str] = {}
    flags: list[str] = []
    translator: list[str] = []
    machine: list[str] = []
    previous: dict[str, str] = {}
    occurrences: list[tuple[str, str]] = []
    for key, value in unit.props:
        if key == MSGCTXT:
            msgctxt = _clean(value)
        elif key == NO_MSGCTXT:
            msgctxt = None
        elif key == MSGID_PLURAL:
            plural_source = _clean(value)
        elif key.startswith("x-po-msgstr[") and key[12:-1].isdigit():
            forms[int(key[12:-1])] = _clean(value)
        elif key == FLAGS:
            flags.extend(f.strip() for f in value.split(",") if f.strip() and f.strip() != "fuzzy")
        elif key == COMMENT:
            translator.extend(xml_text(value).replace("\r", "").split("\n"))
        elif key == REFERENCE:
            occurrences.extend((token, "") for token in xml_text(value).split())
        elif key == PREVIOUS_SOURCE:
            previous["msgid"] = _clean(value)
        elif key.startswith(PREVIOUS):
            previous[key[len(PREVIOUS) :]] = _clean(value)
        else:
            machine.append(f"{PROP_PREFIX}{_comment(key)}: {_comment(value)}")
    if unit.paragraph:
        machine.append(f"{PARAGRAPH}: {unit.paragraph}")
        if not occurrences:
            occurrences.append((f"{article}:{unit.paragraph}", ""))
    if unit.kind is not SegmentKind.SENTENCE:
        machine.append(f"{KIND}: {unit.kind.value}")
    machine.extend(
        f"{key}: {_comment(value)}"
        for key, value in annotation_pairs(unit, target_lang)
        if key != REVIEW
    )
    machine.extend(note_line(xml_text(note)) for note in unit.notes)
    if fuzzy:
        flags.insert(0, "fuzzy")
    if msgctxt is None and source == "":
        msgctxt = _clean(unit.id) or "-"  # an empty msgid without context is the header
    entry = polib.POEntry(
        msgid=source,
        msgctxt=msgctxt,
        tcomment="\n".join(translator),
        comment="\n".join(machine),
        flags=flags,
        occurrences=occurrences,
    )
    if "msgctxt" in previous and MSGCTXT not in keys:
        entry.previous_msgctxt = previous["msgctxt"]
    if "msgid" in previous:
        entry.previous_msgid = previous["msgid"]
    if "msgid-plural" in previous:
        entry.previous_msgid_plural = previous["msgid-plural"]
    if plural_source is not None:
        forms[0] = target
        entry.msgid_plural = plural_source
        entry.msgstr_plural = {i: forms.get(i, "") for i in range(count)}
        values = list(entry.msgstr_plural.values())
        if any(values) and not all(values) and "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")  # msgfmt -c rejects empty forms of a translated entry
    else:
        entry.msgstr = target
    if "fuzzy" not in entry.flags and _format_mismatch(entry):
        entry.flags.insert(0, "fuzzy")  # msgfmt --check-format would reject it; a person decides
    return entry


def _comment(text: str) -> str:
    return escape_comment(xml_text(text))


_C_FORMAT = re.compile(
    r"%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[a-zA-Z%]"
)
_PY_FORMAT = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[a-zA-Z%]")
_BRACE_FORMAT = re.compile(r"\{\{|\}\}|\{[^{}]*\}")


def _directives(text: str, flags: list[str]) -> list[str]:
    """Format directives of ``text`` for the entry's format flags, in a comparable order:
    plain printf directives keep their order (it matters); positional ``%1$s``, named
    ``%(x)s`` and brace ``{x}`` directives are sorted (their order does not)."""
    found: list[str] = []
    if "c-format" in flags:
        directives = [d for d in _C_FORMAT.findall(text) if d != "%%"]
        found += sorted(directives) if any("$" in d for d in directives) else directives
    if "python-format" in flags:
        directives = [d for d in _PY_FORMAT.findall(text) if d != "%%"]
        found += sorted(directives) if any("(" in d for d in directives) else directives
    if "python-brace-format" in flags:
        found += sorted(d for d in _BRACE_FORMAT.findall(text) if d not in ("{{", "}}"))
    return found


def _format_mismatch(entry: polib.POEntry) -> bool:
    """True when a translation's format directives match neither its msgid's nor (for plural
    entries) its msgid_plural's. Conservative: such an entry is marked fuzzy for a person."""
    flags = [f for f in entry.flags if f.endswith("-format") and not f.startswith("no-")]
    if not flags:
        return False
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
    allowed = [_directives(text, flags) for text in sources]
    targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    return any(text and _directives(text, flags) not in allowed for text in targets)
