"""XLIFF 1.2 and 2.1 export and import of a translated document.

Owns the XLIFF format. One ``trans-unit`` (1.2) or ``unit`` with one ``segment`` (2.1) per
:class:`~transpipe.model.Unit`:

* ids: 1.2 ``trans-unit/@id`` = unit id; 2.1 ``unit/@name`` = unit id and ``unit/@id`` = the id
  when it is an NMTOKEN (else ``u<n>``);
* state: 1.2 ``state`` = ``new`` (empty target), ``needs-review-translation`` (fuzzy) or
  ``translated``, with ``approved="yes"`` exactly for a translated non-fuzzy unit (what a PO
  file says without ``#, fuzzy``; Translate Toolkit reads ``approved="no"`` as fuzzy);
  2.1 ``state`` = ``initial`` (empty or fuzzy; fuzzy adds ``subState="transpipe:fuzzy"``) or
  ``translated`` (``reviewed`` never: a machine did not review anything);
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
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from transpipe import __version__
from transpipe.errors import ConfigError, FormatError
from transpipe.formats.annotations import INLINE, REVIEW, annotation_pairs, parse_pairs
from transpipe.formats.inline import CodeTable
from transpipe.formats.xmlsafe import XML_LANG, iterparse, local_name, open_checked, xml_text
from transpipe.model import Bitext, LanguagePair, SegmentKind, Unit

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
NS_MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TOOL = "transpipe"
FUZZY_SUBSTATE = "transpipe:fuzzy"
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


def _unit12(parent: Any, unit: Unit, target_lang: str) -> None:
    q = f"{{{NS12}}}"
    tu = etree.SubElement(parent, q + "trans-unit")
    tu.set("id", xml_text(unit.id))
    tu.set("approved", "yes" if unit.target and not unit.fuzzy else "no")
    tu.set(XML_SPACE, "preserve")
    props = _props(unit)
    source = etree.SubElement(tu, q + "source")
    source.text = xml_text(unit.source)
    target = etree.SubElement(tu, q + "target")
    target.text = xml_text(unit.target)
    if not unit.target:
        target.set("state", "new")
    elif unit.fuzzy:
        target.set("state", "needs-review-translation")
    else:
        target.set("state", "translated")
    if props:
        group = etree.SubElement(tu, q + "prop-group", name=TOOL)
        for key, value in props:
            prop = _text(group, q + "prop", value)
            prop.set("prop-type", xml_text(key))
    for key, value in _notes(unit, target_lang):
        note = _text(tu, q + "note", f"{key}: {value}")
        note.set("from", TOOL)
    for text in unit.notes:
        _text(tu, q + "note", text)


def _unit21(parent: Any, unit: Unit, number: int, target_lang: str) -> None:
    q = f"{{{NS20}}}"
    m = f"{{{NS_MDA}}}"
    element = etree.SubElement(parent, q + "unit")
    element.set("id", unit.id if _NMTOKEN.match(unit.id) else f"u{number}")
    element.set("name", xml_text(unit.id))
    props = _props(unit)
    if props:
        metadata = etree.SubElement(element, m + "metadata")
        group = etree.SubElement(metadata, m + "metaGroup", category=TOOL)
        for key, value in props:
            meta = _text(group, m + "meta", value)
            meta.set("type", xml_text(key))
    notes = _notes(unit, target_lang)
    if notes or unit.notes:
        holder = etree.SubElement(element, q + "notes")
        for key, value in notes:
            note = _text(holder, q + "note", f"{key}: {value}")
            note.set("category", TOOL)
        for text in unit.notes:
            _text(holder, q + "note", text)
    segment = etree.SubElement(element, q + "segment", id="s1")
    if not unit.target or unit.fuzzy:
        segment.set("state", "initial")
        if unit.fuzzy:
            segment.set("subState", FUZZY_SUBSTATE)
    else:
        segment.set("state", "translated")
    source = _text(segment, q + "source", unit.source)
    source.set(XML_SPACE, "preserve")
    target = _text(segment, q + "target", unit.target)
    target.set(XML_SPACE, "preserve")


def write_xliff(bitext: Bitext, stream: BinaryIO, *, version: str = "1.2") -> None:
    """Write ``bitext`` as XLIFF ``version`` ("1.2" or "2.1"), UTF-8, deterministic."""
    if version == "1.2":
        root = etree.Element(f"{{{NS12}}}xliff", nsmap={None: NS12})
        root.set("version", "1.2")
        file = etree.SubElement(root, f"{{{NS12}}}file")
        file.set("original", xml_text(bitext.name) or "document")
        file.set("source-language", bitext.pair.source)
        file.set("target-language", bitext.pair.target)
        file.set("datatype", "plaintext")
        if bitext.created:
            file.set("date", xml_text(bitext.created))
        header = etree.SubElement(file, f"{{{NS12}}}header")
        tool = etree.SubElement(header, f"{{{NS12}}}tool")
        tool.set("tool-id", TOOL)
        tool.set("tool-name", TOOL)
        tool.set("tool-version", __version__)
        if bitext.props:
            group = etree.SubElement(header, f"{{{NS12}}}prop-group", name=TOOL)
            for key, value in bitext.props:
                prop = _text(group, f"{{{NS12}}}prop", value)
                prop.set("prop-type", xml_text(key))
        body = etree.SubElement(file, f"{{{NS12}}}body")
        for unit in bitext.units:
            _unit12(body, unit, bitext.pair.target)
    elif version in ("2.0", "2.1"):
        root = etree.Element(f"{{{NS20}}}xliff", nsmap={None: NS20, "mda": NS_MDA})
        root.set("version", version)
        root.set("srcLang", bitext.pair.source)
        root.set("trgLang", bitext.pair.target)
        file = etree.SubElement(root, f"{{{NS20}}}file", id="f1")
        file.set("original", xml_text(bitext.name) or "document")
        meta_props = list(bitext.props)
        if bitext.created:
            meta_props.insert(0, ("x-created", bitext.created))
        if meta_props:
            metadata = etree.SubElement(file, f"{{{NS_MDA}}}metadata")
            group = etree.SubElement(metadata, f"{{{NS_MDA}}}metaGroup", category=TOOL)
            for key, value in meta_props:
                meta = _text(group, f"{{{NS_MDA}}}meta", value)
                meta.set("type", xml_text(key))
        for number, unit in enumerate(bitext.units, start=1):
            _unit21(file, unit, number, bitext.pair.target)
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


def read_xliff(path: str | Path, pair: LanguagePair | None = None) -> Bitext:
    """Read an XLIFF 1.x or 2.x file into a ``Bitext`` (``pair`` overrides the file's)."""
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
        return _read2(p, root, pair)
    if version.startswith("1") or not version:
        return _read1(p, root, pair)
    raise FormatError(f"unsupported XLIFF version {version!r}", path=p, line=root.sourceline)


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


def _read1(path: Path, root: Any, pair: LanguagePair | None) -> Bitext:
    files = [e for e in root.iter() if local_name(e.tag) == "file"]
    if not files:
        raise FormatError("XLIFF file without a <file> element", path=path, line=root.sourceline)
    first = files[0]
    if pair is None:
        source = first.get("source-language", "")
        target = first.get("target-language", "")
        if not source:
            raise FormatError("<file> without source-language", path=path, line=first.sourceline)
        pair = LanguagePair(source, target or "und")
    units: list[Unit] = []
    bitext_props: list[tuple[str, str]] = []
    created = first.get("date", "")
    for file in files:
        for header in _children(file, "header"):
            for group in _children(header, "prop-group"):
                bitext_props += [
                    (p.get("prop-type", ""), p.text or "") for p in _children(group, "prop")
                ]
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
            pairs: list[tuple[str, str]] = []
            for group in _children(tu, "prop-group"):
                pairs += [(p.get("prop-type", ""), p.text or "") for p in _children(group, "prop")]
            notes: list[str] = []
            for note in _children(tu, "note"):
                parsed = _tool_note(note.text or "") if note.get("from") == TOOL else None
                if parsed:
                    pairs.append(parsed)
                else:
                    notes.append(note.text or "")
            fuzzy = state in _REVIEW_STATES
            units.append(_finish(uid, source, target, fuzzy, pairs, notes, codes))
    name = first.get("original") or path.stem
    return Bitext(
        name=name, pair=pair, units=tuple(units), created=created, props=tuple(bitext_props)
    )


def _read2(path: Path, root: Any, pair: LanguagePair | None) -> Bitext:
    if pair is None:
        source = root.get("srcLang", "")
        if not source:
            raise FormatError("<xliff> without srcLang", path=path, line=root.sourceline)
        pair = LanguagePair(source, root.get("trgLang", "") or "und")
    files = _children(root, "file")
    units: list[Unit] = []
    bitext_props: list[tuple[str, str]] = []
    created = ""
    name = files[0].get("original", "") if files else ""
    for file in files:
        for metadata in _children(file, "metadata"):
            for key, value in _meta(metadata):
                if key == "x-created" and not created:
                    created = value
                else:
                    bitext_props.append((key, value))
        for element in file.iter():
            if local_name(element.tag) != "unit":
                continue
            uid = element.get("name") or element.get("id") or f"{path.stem}:u{len(units) + 1}"
            pairs: list[tuple[str, str]] = []
            for metadata in _children(element, "metadata"):
                pairs += _meta(metadata)
            notes: list[str] = []
            for holder in _children(element, "notes"):
                for note in _children(holder, "note"):
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
                units.append(
                    _finish(seg_id, source, target, fuzzy, list(pairs), list(notes), codes)
                )
    return Bitext(
        name=name or path.stem,
        pair=pair,
        units=tuple(units),
        created=created,
        props=tuple(bitext_props),
    )


def _meta(metadata: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for element in metadata.iter():
        if local_name(element.tag) == "meta":
            out.append((element.get("type", ""), element.text or ""))
    return out


__all__ = ["XML_LANG", "read_xliff", "write_xliff"]
