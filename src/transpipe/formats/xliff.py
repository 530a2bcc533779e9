"""XLIFF 1.2 and 2.1 export and import of a translated document.

Owns the XLIFF format. One ``trans-unit`` (1.2) or ``unit`` with one ``segment`` (2.1) per
:class:`~transpipe.model.Unit`:

* ids: 1.2 ``trans-unit/@id`` = unit id; 2.1 ``unit/@name`` = unit id and ``unit/@id`` = the id
  when it is an NMTOKEN (else ``u<n>``);
* state (see :mod:`transpipe.formats.review`): 1.2 ``state`` = ``new`` (empty target),
  ``needs-review-translation`` (fuzzy) or ``translated``; a machine translation nobody
  reviewed adds ``state-qualifier="mt-suggestion"``; ``approved="yes"`` exactly for a
  reviewed unit (Translate Toolkit reads ``approved="no"`` as fuzzy, i.e. unreviewed).
  2.1 ``state`` = ``initial`` (empty or fuzzy; fuzzy adds ``subState="transpipe:fuzzy"``),
  ``reviewed`` when a person's approval is on record, else ``translated``. Reading 1.2, a
  ``mt-suggestion`` unit without an origin gets ``x-origin: mt``;
* digests (:mod:`transpipe.formats.provenance`): a unit's ``x-digest`` prop covers its id,
  texts and state attributes, so approving a unit in a CAT tool shows as a person's review;
  the header carries the file digest;
* findings, term audit and score: ``note`` elements written ``key: value`` by transpipe
  (1.2 ``from="transpipe"``, 2.1 ``category="transpipe"``); other notes are the unit's notes;
* props: 1.2 ``prop-group``, 2.1 metadata module (``mda:meta``).

Reading accepts XLIFF 1.0-1.2 (namespaced or not, units inside groups, several files) and
2.0-2.2 (several segments per unit become units ``<id>:<segment>``), through the hardened
parser of :mod:`transpipe.formats.xmlsafe`. Inline codes become placeholders
(:mod:`transpipe.formats.inline`). A file written here reads back to the same units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from transpipe import __version__
from transpipe.errors import ConfigError, FormatError
from transpipe.formats.annotations import INLINE, REVIEW, annotation_pairs, parse_pairs
from transpipe.formats.inline import CodeTable
from transpipe.formats.languages import check_stated
from transpipe.formats.provenance import (
    FILE_DIGEST,
    UNIT_DIGEST,
    BitextFile,
    Check,
    FileDigest,
    Provenance,
    compare,
    unit_digest,
)
from transpipe.formats.registry import BitextFormat
from transpipe.formats.review import (
    ORIGIN,
    ReviewState,
    explicitly_reviewed,
    mark_edits,
    review_state,
)
from transpipe.formats.xmlsafe import XML_LANG, iterparse, local_name, open_checked, xml_text
from transpipe.model import Bitext, LanguagePair, SegmentKind, Unit

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
NS_MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TOOL = "transpipe"
FUZZY_SUBSTATE = "transpipe:fuzzy"
MT_QUALIFIER = "mt-suggestion"
PARAGRAPH = "x-paragraph"
KIND = "x-kind"
_NMTOKEN = re.compile(r"^[\w.:-]+$")
_REVIEW_STATES = frozenset(
    {
        "needs-review-translation",
        "needs-review-adaptation",
        "needs-review-l10n",
        "needs-adaptation",
        "needs-l10n",
    }
)


def _props(unit: Unit) -> list[tuple[str, str]]:
    """The unit's props plus paragraph/kind (the inline-code table travels as a prop)."""
    props = list(unit.props)
    if unit.paragraph:
        props.append((PARAGRAPH, str(unit.paragraph)))
    if unit.kind is not SegmentKind.SENTENCE:
        props.append((KIND, unit.kind.value))
    return props


def _notes(unit: Unit, target_lang: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in annotation_pairs(unit, target_lang) if k != REVIEW]


def _text(parent: Any, tag: str, text: str) -> Any:
    child = etree.SubElement(parent, tag)
    child.text = xml_text(text)
    return child


class _Record:
    """A unit as an XLIFF reader finds it, for the digests."""

    def __init__(
        self,
        uid: str,
        source: str,
        target: str,
        states: list[str],
        props: list[tuple[str, str]],
        notes: list[str],
    ) -> None:
        self.review_parts = [uid, source, target, *states]
        self.props = props
        self.notes = notes

    def full_parts(self) -> list[str]:
        props = [f"{k}={v}" for k, v in self.props]
        return [*self.review_parts, str(len(props)), *props, str(len(self.notes)), *self.notes]


def _unit12(parent: Any, unit: Unit, target_lang: str) -> _Record:
    q = f"{{{NS12}}}"
    state = review_state(unit)
    tu = etree.SubElement(parent, q + "trans-unit")
    tu.set("id", xml_text(unit.id))
    tu.set("approved", "yes" if state is ReviewState.REVIEWED else "no")
    tu.set(XML_SPACE, "preserve")
    source = _text(tu, q + "source", unit.source)
    target = _text(tu, q + "target", unit.target)
    target.set(
        "state",
        {
            ReviewState.UNTRANSLATED: "new",
            ReviewState.FUZZY: "needs-review-translation",
        }.get(state, "translated"),
    )
    if state is ReviewState.MACHINE:
        target.set("state-qualifier", MT_QUALIFIER)
    props = [(xml_text(k), xml_text(v)) for k, v in _props(unit)]
    notes: list[tuple[str, str]] = [
        (TOOL, xml_text(f"{k}: {v}")) for k, v in _notes(unit, target_lang)
    ]
    notes += [("", xml_text(text)) for text in unit.notes]
    states = [target.get("state", ""), tu.get("approved", ""), target.get("state-qualifier", "")]
    record = _Record(
        tu.get("id", ""), source.text or "", target.text or "", states, props, [n for _, n in notes]
    )
    props = [*props, (UNIT_DIGEST, unit_digest(record.review_parts))]
    group = etree.SubElement(tu, q + "prop-group", name=TOOL)
    for key, value in props:
        prop = _text(group, q + "prop", value)
        prop.set("prop-type", key)
    for origin, text in notes:
        note = _text(tu, q + "note", text)
        if origin:
            note.set("from", origin)
    return record


def _unit21(parent: Any, unit: Unit, number: int, target_lang: str) -> _Record:
    q = f"{{{NS20}}}"
    m = f"{{{NS_MDA}}}"
    element = etree.SubElement(parent, q + "unit")
    element.set("id", unit.id if _NMTOKEN.match(unit.id) else f"u{number}")
    element.set("name", xml_text(unit.id))
    metadata = etree.SubElement(element, m + "metadata")
    group = etree.SubElement(metadata, m + "metaGroup", category=TOOL)
    notes: list[tuple[str, str]] = [
        (TOOL, xml_text(f"{k}: {v}")) for k, v in _notes(unit, target_lang)
    ]
    notes += [("", xml_text(text)) for text in unit.notes]
    if notes:
        holder = etree.SubElement(element, q + "notes")
        for category, text in notes:
            note = _text(holder, q + "note", text)
            if category:
                note.set("category", category)
    segment = etree.SubElement(element, q + "segment", id="s1")
    if not unit.target or unit.fuzzy:
        segment.set("state", "initial")
        if unit.fuzzy:
            segment.set("subState", FUZZY_SUBSTATE)
    else:
        segment.set("state", "reviewed" if explicitly_reviewed(unit) else "translated")
    source = _text(segment, q + "source", unit.source)
    source.set(XML_SPACE, "preserve")
    target = _text(segment, q + "target", unit.target)
    target.set(XML_SPACE, "preserve")
    props = [(xml_text(k), xml_text(v)) for k, v in _props(unit)]
    states = [segment.get("state", ""), segment.get("subState", "")]
    record = _Record(
        element.get("name", ""),
        source.text or "",
        target.text or "",
        states,
        props,
        [n for _, n in notes],
    )
    props = [*props, (UNIT_DIGEST, unit_digest(record.review_parts))]
    for key, value in props:
        meta = _text(group, m + "meta", value)
        meta.set("type", key)
    return record


def write_xliff(bitext: Bitext, stream: BinaryIO, *, version: str = "1.2") -> None:
    """Write ``bitext`` as XLIFF ``version`` ("1.2" or "2.1"), UTF-8, deterministic."""
    header_props = [(xml_text(k), xml_text(v)) for k, v in bitext.props if k != FILE_DIGEST]
    digest = FileDigest()
    if version == "1.2":
        q = f"{{{NS12}}}"
        root = etree.Element(q + "xliff", nsmap={None: NS12})
        root.set("version", "1.2")
        file = etree.SubElement(root, q + "file")
        file.set("original", xml_text(bitext.name) or "document")
        file.set("source-language", bitext.pair.source)
        file.set("target-language", bitext.pair.target)
        file.set("datatype", "plaintext")
        if bitext.created:
            file.set("date", xml_text(bitext.created))
        header = etree.SubElement(file, q + "header")
        tool = etree.SubElement(header, q + "tool")
        tool.set("tool-id", TOOL)
        tool.set("tool-name", TOOL)
        tool.set("tool-version", __version__)
        body = etree.SubElement(file, q + "body")
        digest.add(f"{k}={v}" for k, v in header_props)
        for unit in bitext.units:
            digest.add(_unit12(body, unit, bitext.pair.target).full_parts())
        group = etree.SubElement(header, q + "prop-group", name=TOOL)
        for key, value in [*header_props, (FILE_DIGEST, digest.hexdigest())]:
            prop = _text(group, q + "prop", value)
            prop.set("prop-type", key)
    elif version in ("2.0", "2.1"):
        m = f"{{{NS_MDA}}}"
        root = etree.Element(f"{{{NS20}}}xliff", nsmap={None: NS20, "mda": NS_MDA})
        root.set("version", version)
        root.set("srcLang", bitext.pair.source)
        root.set("trgLang", bitext.pair.target)
        file = etree.SubElement(root, f"{{{NS20}}}file", id="f1")
        file.set("original", xml_text(bitext.name) or "document")
        if bitext.created:
            header_props.insert(0, ("x-created", xml_text(bitext.created)))
        metadata = etree.SubElement(file, m + "metadata")
        group = etree.SubElement(metadata, m + "metaGroup", category=TOOL)
        digest.add(f"{k}={v}" for k, v in header_props)
        for number, unit in enumerate(bitext.units, start=1):
            digest.add(_unit21(file, unit, number, bitext.pair.target).full_parts())
        for key, value in [*header_props, (FILE_DIGEST, digest.hexdigest())]:
            meta = _text(group, m + "meta", value)
            meta.set("type", key)
    else:
        raise ConfigError(f"unsupported XLIFF version {version!r}", hint="use 1.2 or 2.1")
    etree.indent(root, space="  ")
    stream.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    stream.write(b"\n")


# ---------------------------------------------------------------------------------- reading


def _load(path: Path) -> Any:
    root = None
    for event, element in iterparse(path, events=("start", "end")):
        if event == "start" and root is None:
            root = element
    if root is None:
        raise FormatError("no XML root element", path=path, line=1)
    return root


def load_xliff(path: str | Path, pair: LanguagePair | None = None) -> BitextFile:
    """Read an XLIFF 1.x or 2.x file and what its digests say. ``pair``, when given, must
    agree with the languages the file states and replaces them."""
    p = open_checked(path)
    root = _load(p)
    if local_name(root.tag) != "xliff":
        raise FormatError(
            f"not an XLIFF file: root element is <{local_name(root.tag)}>",
            path=p,
            line=root.sourceline,
        )
    version = root.get("version", "")
    if version.startswith("2"):
        reading = _read2(p, root)
    elif version.startswith("1") or not version:
        reading = _read1(p, root)
    else:
        raise FormatError(f"unsupported XLIFF version {version!r}", path=p, line=root.sourceline)
    stated = reading.bitext.pair
    if pair is not None:
        check_stated(p, stated.source, stated.target, pair)
    bitext = replace(
        reading.bitext, pair=pair or stated, units=mark_edits(reading.bitext.units, reading.checks)
    )
    file = compare(reading.recorded, reading.digest.hexdigest())
    return BitextFile(bitext, Provenance(reading.by_transpipe, file, tuple(reading.checks)))


def read_xliff(path: str | Path, pair: LanguagePair | None = None) -> Bitext:
    """Read an XLIFF 1.x or 2.x file into a ``Bitext`` (see :func:`load_xliff`)."""
    return load_xliff(path, pair).bitext


@dataclass
class _Reading:
    """What a pass over an XLIFF tree found: units, their checks, and the file digest."""

    bitext: Bitext
    by_transpipe: bool
    checks: list[Check] = field(default_factory=list)
    digest: FileDigest = field(default_factory=FileDigest)
    recorded: str | None = None


def _split_digests(
    pairs: list[tuple[str, str]], key: str
) -> tuple[list[tuple[str, str]], str | None]:
    kept = [(k, v) for k, v in pairs if k != key]
    recorded = next((v for k, v in pairs if k == key), None)
    return kept, recorded


def _children(element: Any, name: str) -> list[Any]:
    return [c for c in element if local_name(c.tag) == name]


def _finish(
    uid: str,
    source: str,
    target: str,
    fuzzy: bool,
    pairs: list[tuple[str, str]],
    notes: list[str],
    codes: CodeTable,
) -> Unit:
    paragraph = 0
    kind = SegmentKind.SENTENCE
    kept: list[tuple[str, str]] = []
    for key, value in pairs:
        if key == PARAGRAPH and value.isdigit() and len(value) < 10:
            paragraph = int(value)
        elif key == KIND and value in {k.value for k in SegmentKind}:
            kind = SegmentKind(value)
        elif key == INLINE and codes:
            continue
        else:
            kept.append((key, value))
    if codes:
        kept.append((INLINE, codes.to_json()))
    parsed = parse_pairs(kept)
    return Unit(
        id=uid,
        source=source,
        target=target,
        paragraph=paragraph,
        kind=kind,
        fuzzy=fuzzy or parsed.fuzzy,
        notes=tuple(notes),
        props=parsed.props,
        term_audit=parsed.term_audit,
        issues=parsed.issues,
        score=parsed.score,
    )


def _tool_note(text: str) -> tuple[str, str] | None:
    key, sep, value = text.partition(": ")
    return (key, value) if sep and key.startswith("x-") else None


def _read1(path: Path, root: Any) -> _Reading:
    files = [e for e in root.iter() if local_name(e.tag) == "file"]
    if not files:
        raise FormatError("XLIFF file without a <file> element", path=path, line=root.sourceline)
    first = files[0]
    source_lang = first.get("source-language", "")
    if not source_lang:
        raise FormatError("<file> without source-language", path=path, line=first.sourceline)
    pair = LanguagePair(source_lang, first.get("target-language", "") or "und")
    units: list[Unit] = []
    header_props: list[tuple[str, str]] = []
    tools: list[str] = []
    created = first.get("date", "")
    for file in files:
        for header in _children(file, "header"):
            tools += [t.get("tool-id", "") for t in _children(header, "tool")]
            for group in _children(header, "prop-group"):
                header_props += [
                    (p.get("prop-type", ""), p.text or "") for p in _children(group, "prop")
                ]
    bitext_props, recorded = _split_digests(header_props, FILE_DIGEST)
    reading = _Reading(Bitext("", pair, ()), TOOL in tools, recorded=recorded)
    reading.digest.add(f"{k}={v}" for k, v in bitext_props)
    for file in files:
        for tu in file.iter():
            if local_name(tu.tag) != "trans-unit":
                continue
            uid = tu.get("id") or f"{path.stem}:tu{len(units) + 1}"
            codes = CodeTable()
            sources = _children(tu, "source")
            if not sources:
                raise FormatError("<trans-unit> without <source>", path=path, line=tu.sourceline)
            source = codes.flatten(sources[0])
            targets = _children(tu, "target")
            target = codes.flatten(targets[0]) if targets else ""
            state = targets[0].get("state", "") if targets else ""
            qualifier = targets[0].get("state-qualifier", "") if targets else ""
            props: list[tuple[str, str]] = []
            for group in _children(tu, "prop-group"):
                props += [(p.get("prop-type", ""), p.text or "") for p in _children(group, "prop")]
            props, unit_recorded = _split_digests(props, UNIT_DIGEST)
            raw_notes = [note.text or "" for note in _children(tu, "note")]
            states = [state, tu.get("approved", ""), qualifier]
            record = _Record(tu.get("id", ""), source, target, states, props, raw_notes)
            reading.digest.add(record.full_parts())
            reading.checks.append(compare(unit_recorded, unit_digest(record.review_parts)))
            pairs = list(props)
            notes: list[str] = []
            for note in _children(tu, "note"):
                parsed = _tool_note(note.text or "") if note.get("from") == TOOL else None
                if parsed:
                    pairs.append(parsed)
                else:
                    notes.append(note.text or "")
            if qualifier == MT_QUALIFIER and not any(k == ORIGIN for k, _ in pairs):
                pairs.append((ORIGIN, "mt"))
            fuzzy = state in _REVIEW_STATES
            units.append(_finish(uid, source, target, fuzzy, pairs, notes, codes))
    name = first.get("original") or path.stem
    reading.bitext = Bitext(
        name=name, pair=pair, units=tuple(units), created=created, props=tuple(bitext_props)
    )
    return reading


def _read2(path: Path, root: Any) -> _Reading:
    source_lang = root.get("srcLang", "")
    if not source_lang:
        raise FormatError("<xliff> without srcLang", path=path, line=root.sourceline)
    pair = LanguagePair(source_lang, root.get("trgLang", "") or "und")
    files = _children(root, "file")
    units: list[Unit] = []
    header_props: list[tuple[str, str]] = []
    created = ""
    name = files[0].get("original", "") if files else ""
    for file in files:
        for metadata in _children(file, "metadata"):
            header_props += _meta(metadata)
    file_props, recorded = _split_digests(header_props, FILE_DIGEST)
    # XLIFF 2 names no tool: a file digest is what marks it as ours
    reading = _Reading(Bitext("", pair, ()), recorded is not None, recorded=recorded)
    reading.digest.add(f"{k}={v}" for k, v in file_props)
    bitext_props: list[tuple[str, str]] = []
    for key, value in file_props:
        if key == "x-created" and not created:
            created = value
        else:
            bitext_props.append((key, value))
    for file in files:
        for element in file.iter():
            if local_name(element.tag) != "unit":
                continue
            uid = element.get("name") or element.get("id") or f"{path.stem}:u{len(units) + 1}"
            props: list[tuple[str, str]] = []
            for metadata in _children(element, "metadata"):
                props += _meta(metadata)
            props, unit_recorded = _split_digests(props, UNIT_DIGEST)
            pairs = list(props)
            notes: list[str] = []
            raw_notes: list[str] = []
            for holder in _children(element, "notes"):
                for note in _children(holder, "note"):
                    raw_notes.append(note.text or "")
                    parsed = _tool_note(note.text or "") if note.get("category") == TOOL else None
                    if parsed:
                        pairs.append(parsed)
                    else:
                        notes.append(note.text or "")
            segments = _children(element, "segment")
            for index, segment in enumerate(segments, start=1):
                codes = CodeTable()
                sources = _children(segment, "source")
                if not sources:
                    raise FormatError(
                        "<segment> without <source>", path=path, line=segment.sourceline
                    )
                source = codes.flatten(sources[0])
                targets = _children(segment, "target")
                target = codes.flatten(targets[0]) if targets else ""
                fuzzy = segment.get("subState") == FUZZY_SUBSTATE or (
                    segment.get("state") == "initial" and bool(target)
                )
                seg_id = uid if len(segments) == 1 else f"{uid}:{segment.get('id') or index}"
                states = [segment.get("state", ""), segment.get("subState", "")]
                record = _Record(element.get("name", ""), source, target, states, props, raw_notes)
                reading.digest.add(record.full_parts())
                check = compare(unit_recorded, unit_digest(record.review_parts))
                reading.checks.append(check if len(segments) == 1 else Check.ABSENT)
                units.append(
                    _finish(seg_id, source, target, fuzzy, list(pairs), list(notes), codes)
                )
    reading.bitext = Bitext(
        name=name or path.stem,
        pair=pair,
        units=tuple(units),
        created=created,
        props=tuple(bitext_props),
    )
    return reading


def _meta(metadata: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for element in metadata.iter():
        if local_name(element.tag) == "meta":
            out.append((element.get("type", ""), element.text or ""))
    return out


FORMAT = BitextFormat(
    name="xliff",
    extensions=(".xlf", ".xliff"),
    read=load_xliff,
    write=write_xliff,
    description="XLIFF 1.2 / 2.1 (CAT tools)",
)

__all__ = ["FORMAT", "XML_LANG", "load_xliff", "read_xliff", "write_xliff"]
