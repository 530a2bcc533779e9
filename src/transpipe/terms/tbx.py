"""TBX glossaries: TBX-Basic / TBX v2 (``martif``) and TBX v3 core (ISO 30042:2019), read and write.

Reading maps, per concept (``termEntry`` / ``conceptEntry``): ``descrip[@type=subjectField]`` to
``domain``, ``definition`` (concept or language level) to ``definition``, ``note`` to ``note``,
``admin[@type=source|sourceIdentifier]`` to ``source``; per term (``tig``, ``ntig/termGrp``,
``termSec``): ``termNote`` types ``partOfSpeech``, ``termType``, ``grammaticalGender``,
``grammaticalNumber``, ``administrativeStatus``/``normativeAuthorization``/``usageStatus``
(status), ``x-caseSensitive``, plus ``descrip[@type=context]`` and ``note``. Other data
categories (transactions, cross-references, graphics) are not kept. Whitespace inside notes
and definitions is collapsed; several notes are joined with `` | ``.

Safety: the parser resolves no entities, loads no DTD and never touches the network; a
document whose DOCTYPE declares entities is refused before parsing.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from transpipe.errors import FormatError, GlossaryError, UnsafeInputError
from transpipe.lang.codes import normalize as normalize_lang
from transpipe.model import TermStatus
from transpipe.terms.glossary import (
    UNREVIEWED_HINT,
    Concept,
    Glossary,
    Term,
    is_unreviewed,
    parse_status,
)

TBX3_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_TYPES = ("administrativeStatus", "normativeAuthorization", "usageStatus")
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_STATUS_VALUES = {
    TermStatus.PREFERRED: "preferredTerm-admn-sts",
    TermStatus.ADMITTED: "admittedTerm-admn-sts",
    TermStatus.FORBIDDEN: "deprecatedTerm-admn-sts",
}
_TERM_NOTES = (
    ("pos", "partOfSpeech"),
    ("type", "termType"),
    ("gender", "grammaticalGender"),
    ("number", "grammaticalNumber"),
)


def safe_parser() -> etree.XMLParser:
    """The only XML parser used for glossaries: no entities, no DTD, no network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
    )


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _join(old: str, new: str) -> str:
    if not new or new == old:
        return old
    return f"{old} | {new}" if old else new


def refuse_entities(data: bytes, path: str | Path) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data.decode("utf-16", errors="replace")
    else:
        head = data.decode("latin-1")
    doctype = head.find("<!DOCTYPE")
    if doctype >= 0 and _ENTITY_DECL.search(head, doctype):
        line = head[:doctype].count("\n") + 1
        raise UnsafeInputError(
            "the DOCTYPE declares entities; refusing to read it",
            path=path,
            line=line,
            hint="remove the internal DTD subset",
        )


def _children(parent: etree._Element, *names: str) -> list[etree._Element]:
    """Direct children with one of ``names``, looking through ``*Grp`` wrappers."""
    found: list[etree._Element] = []
    for child in parent:
        local = _local(child)
        if local in names:
            found.append(child)
        elif local in ("descripGrp", "adminGrp", "termNoteGrp", "noteGrp"):
            found.extend(_children(child, *names))
    return found


def _term_from(container: etree._Element, lang: str, path: str | Path) -> Term | None:
    """A ``tig``/``ntig``/``termSec`` element to a Term (None if it has no term text)."""
    holders = [container] + [c for c in container if _local(c) == "termGrp"]
    term_el = next((c for h in holders for c in h if _local(c) == "term"), None)
    if term_el is None:
        return None
    text = " ".join("".join(term_el.itertext()).split())
    if not text:
        return None
    values: dict[str, str] = {}
    status = TermStatus.PREFERRED
    case_sensitive = False
    note = context = ""
    for holder in holders:
        for element in _children(holder, "termNote", "descrip", "note", "admin"):
            kind, local, value = element.get("type", ""), _local(element), _text(element)
            if local == "termNote":
                for field, tbx_type in _TERM_NOTES:
                    if kind == tbx_type:
                        values[field] = value
                if kind in STATUS_TYPES:
                    parsed = parse_status(value)
                    if parsed is None:
                        raise GlossaryError(
                            f"unknown {kind} value {value!r}", path=path, line=element.sourceline
                        )
                    status = parsed
                elif kind == "processStatus" and is_unreviewed(value):
                    raise GlossaryError(
                        f"a {value} term nobody has reviewed yet",
                        path=path,
                        line=element.sourceline,
                        hint=UNREVIEWED_HINT,
                    )
                elif kind == "x-caseSensitive":
                    case_sensitive = value.lower() in ("yes", "true", "1")
            elif local == "descrip" and kind == "context":
                context = _join(context, value)
            elif local == "note":
                note = _join(note, value)
    return Term(
        lang=lang,
        text=text,
        status=status,
        pos=values.get("pos", ""),
        type=values.get("type", ""),
        gender=values.get("gender", ""),
        number=values.get("number", ""),
        case_sensitive=case_sensitive,
        note=note,
        context=context,
        line=term_el.sourceline or 0,
    )


def _concept_from(entry: etree._Element, index: int, path: str | Path) -> Concept | None:
    domain = definition = note = source = ""
    terms: list[Term] = []
    for element in _children(entry, "descrip", "note", "admin"):
        kind, local, value = element.get("type", ""), _local(element), _text(element)
        if local == "descrip" and kind == "subjectField":
            domain = _join(domain, value)
        elif local == "descrip" and kind == "definition":
            definition = _join(definition, value)
        elif local == "note":
            note = _join(note, value)
        elif local == "admin" and kind in ("source", "sourceIdentifier"):
            source = _join(source, value)
    for lang_el in entry:
        if _local(lang_el) not in ("langSet", "langSec"):
            continue
        lang = lang_el.get(XML_LANG) or lang_el.get("lang") or ""
        if not lang:
            raise GlossaryError(
                f"<{_local(lang_el)}> without xml:lang", path=path, line=lang_el.sourceline
            )
        for element in _children(lang_el, "descrip"):
            if element.get("type") == "definition":
                definition = _join(definition, _text(element))
        for container in lang_el:
            if _local(container) in ("tig", "ntig", "termSec"):
                term = _term_from(container, normalize_lang(lang), path)
                if term is not None:
                    terms.append(term)
    if not terms:
        return None
    return Concept(
        id=entry.get("id") or f"c{index}",
        terms=tuple(terms),
        domain=domain,
        definition=definition,
        note=note,
        source=source,
        line=entry.sourceline or 0,
    )


def parse_tbx(data: bytes, *, path: str | Path, name: str = "") -> Glossary:
    """Parse TBX v2 (martif) or v3 (tbx) bytes into a Glossary."""
    refuse_entities(data, path)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        message = str(exc.msg if hasattr(exc, "msg") else exc).split(", line")[0]
        hint = ""
        if "encoding" in message.lower() or "utf-8" in message.lower():
            hint = "check the file's encoding (cp1251 saved as UTF-8?)"
        raise FormatError(f"malformed XML: {message}", path=path, line=line, hint=hint) from None
    root_name = _local(root)
    if root_name not in ("martif", "tbx"):
        raise FormatError(f"not a TBX file: root element is <{root_name}>", path=path, line=1)
    entry_name = "termEntry" if root_name == "martif" else "conceptEntry"
    concepts: list[Concept] = []
    for index, entry in enumerate(root.iter(f"{{*}}{entry_name}", entry_name), start=1):
        concept = _concept_from(entry, index, path)
        if concept is not None:
            concepts.append(concept)
    return Glossary(tuple(concepts), name=name)


def _sub(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrs)
    if text:
        element.text = text
    return element


def render_tbx(glossary: Glossary, *, version: int = 2) -> bytes:
    """Serialise to TBX-Basic v2 (``martif``) or TBX v3 (``tbx``, dialect TBX-Basic)."""
    ns = f"{{{TBX3_NS}}}" if version == 3 else ""
    if version == 3:
        root = etree.Element(
            f"{ns}tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"}, nsmap={None: TBX3_NS}
        )
        header = _sub(root, f"{ns}tbxHeader")
    else:
        root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: "en"})
        header = _sub(root, "martifHeader")
    source_desc = _sub(_sub(header, f"{ns}fileDesc"), f"{ns}sourceDesc")
    _sub(source_desc, f"{ns}p", glossary.name or "transpipe glossary")
    if version == 2:
        _sub(_sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = _sub(_sub(root, f"{ns}text"), f"{ns}body")
    entry_tag, lang_tag, term_tag = (
        ("conceptEntry", "langSec", "termSec") if version == 3 else ("termEntry", "langSet", "tig")
    )
    try:
        for concept in glossary:
            entry = _sub(body, f"{ns}{entry_tag}", id=concept.id)
            if concept.domain:
                _sub(entry, f"{ns}descrip", concept.domain, type="subjectField")
            if concept.definition:
                _sub(entry, f"{ns}descrip", concept.definition, type="definition")
            if concept.source:
                _sub(entry, f"{ns}admin", concept.source, type="source")
            if concept.note:
                _sub(entry, f"{ns}note", concept.note)
            for lang in concept.languages:
                lang_el = etree.SubElement(entry, f"{ns}{lang_tag}", {XML_LANG: lang})
                for term in concept.terms_in(lang):
                    if term.lang != lang:
                        continue
                    holder = _sub(lang_el, f"{ns}{term_tag}")
                    _sub(holder, f"{ns}term", term.text)
                    for field, tbx_type in _TERM_NOTES:
                        value = getattr(term, field)
                        if value:
                            _sub(holder, f"{ns}termNote", value, type=tbx_type)
                    status = _STATUS_VALUES[term.status]
                    _sub(holder, f"{ns}termNote", status, type="administrativeStatus")
                    if term.case_sensitive:
                        _sub(holder, f"{ns}termNote", "yes", type="x-caseSensitive")
                    if term.context:
                        _sub(holder, f"{ns}descrip", term.context, type="context")
                    if term.note:
                        _sub(holder, f"{ns}note", term.note)
    except ValueError as exc:
        raise GlossaryError(f"cannot write TBX: {exc}") from None
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
