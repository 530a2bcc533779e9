"""TMX 1.1-1.4b reading and DTD-valid TMX 1.4 writing, streaming both ways.

Owns the TMX format:

* :class:`TmxWriter` streams ``<tu>`` elements to a binary stream (constant memory);
  :func:`write_tmx` writes a whole :class:`~transpipe.model.Bitext` through it. Output is
  TMX 1.4, valid against the LISA DTD, UTF-8 without BOM, deterministic (no clock reads),
  with XML-illegal characters removed and inline codes restored from placeholders.
* :func:`iter_tmx` streams units out of a file with ``iterparse`` + ``clear()``;
  :func:`read_tmx` collects them into a ``Bitext`` and infers the language pair when none is
  given. Languages are chosen by code (``xml:lang``, TMX 1.1 ``lang`` as fallback, case and
  region insensitive), never by position or by the header ``srclang``. A TU lacking the
  source or the target language is skipped and counted (``x-transpipe-skipped`` in the
  bitext props); extra TUVs of the same language are kept as ``x-alt-source``/``x-alt-target``
  props (the first one wins).

Parsing goes through :mod:`transpipe.formats.xmlsafe` (no DTD, no entities, no network,
depth and size caps).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from lxml import etree

from transpipe import __version__
from transpipe.errors import FormatError, UnsafeInputError
from transpipe.formats.annotations import INLINE, annotation_pairs, parse_pairs
from transpipe.formats.inline import CodeTable
from transpipe.formats.xmlsafe import XML_LANG, iterparse, local_name, open_checked, xml_text
from transpipe.model import Bitext, LanguagePair, SegmentKind, Unit

MAX_SEGMENT_CHARS = 1_000_000
MAX_ID_CHARS = 4096
SKIPPED = "x-transpipe-skipped"
PARAGRAPH = "x-paragraph"
KIND = "x-kind"
ALT_SOURCE = "x-alt-source"
ALT_TARGET = "x-alt-target"
_INTERNAL_PREFIX = "x-transpipe-"


def norm_lang(code: str) -> str:
    """Primary language subtag, lower case: ``EN-us`` -> ``en``, ``ru_RU`` -> ``ru``."""
    return code.strip().replace("_", "-").split("-", 1)[0].lower()


def tmx_date(created: str) -> str:
    """``2026-11-28T13:25:00Z`` -> ``20261128T132500Z``; '' when it has no full date-time."""
    digits = re.sub(r"\D", "", created)
    if len(digits) < 14:
        return ""
    return f"{digits[:8]}T{digits[8:14]}Z"


def iso_date(tmx: str) -> str:
    """``20261128T132500Z`` -> ``2026-11-28T13:25:00Z``; '' when unparsable."""
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z", tmx.strip())
    if not m:
        return ""
    y, mo, d, h, mi, s = m.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"


# ---------------------------------------------------------------------------------- writing


class TmxWriter:
    """Context manager streaming a TMX 1.4 document: header on enter, one ``<tu>`` per
    :meth:`write`, closing tags on exit. Memory does not grow with the number of units."""

    def __init__(
        self,
        stream: BinaryIO,
        pair: LanguagePair,
        *,
        created: str = "",
        props: tuple[tuple[str, str], ...] = (),
        tool_version: str = __version__,
    ) -> None:
        self._stream = stream
        self._pair = pair
        self._created = created
        self._props = props
        self._tool_version = tool_version
        self._stack = ExitStack()
        self._xf: Any = None
        self._body: Any = None

    def __enter__(self) -> TmxWriter:
        xf = self._stack.enter_context(etree.xmlfile(self._stream, encoding="UTF-8"))
        xf.write_declaration()
        xf.write_doctype('<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
        self._stack.enter_context(xf.element("tmx", version="1.4"))
        xf.write("\n  ")
        header = etree.Element("header")
        header.set("creationtool", "transpipe")
        header.set("creationtoolversion", xml_text(self._tool_version) or "0")
        header.set("segtype", "sentence")
        header.set("o-tmf", "transpipe")
        header.set("adminlang", "en")
        header.set("srclang", self._pair.source)
        header.set("datatype", "plaintext")
        date = tmx_date(self._created)
        if date:
            header.set("creationdate", date)
        for key, value in self._props:
            if key.startswith(_INTERNAL_PREFIX):
                continue
            _sub_text(header, "prop", value, type=key)
        _indent(header, 2)
        xf.write(header)
        xf.write("\n  ")
        self._body = xf.element("body")
        self._body.__enter__()
        self._xf = xf
        return self

    def write(self, unit: Unit) -> None:
        """Write one unit as a ``<tu>`` (source TUV first)."""
        if self._xf is None:
            raise RuntimeError("TmxWriter.write() outside its 'with' block")
        self._xf.write("\n    ")
        self._xf.write(_tu_element(unit, self._pair))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        xf = self._xf
        self._xf = None
        if exc_type is not None:
            with suppress(Exception):  # the caller's exception is the one that matters
                self._stack.__exit__(exc_type, exc, tb)
            return
        xf.write("\n  ")
        self._body.__exit__(None, None, None)
        xf.write("\n")
        self._stack.close()


def _tu_element(unit: Unit, pair: LanguagePair) -> Any:
    tu = etree.Element("tu")
    tu.set("tuid", xml_text(unit.id))
    codes = CodeTable()
    props: list[tuple[str, str]] = []
    src_props: list[tuple[str, str]] = []
    tgt_props: list[tuple[str, str]] = []
    for key, value in unit.props:
        if key == INLINE:
            codes = CodeTable.from_json(value)
        elif key.startswith("source:"):
            src_props.append((key[7:], value))
        elif key.startswith("target:"):
            tgt_props.append((key[7:], value))
        else:
            props.append((key, value))
    if unit.paragraph:
        props.append((PARAGRAPH, str(unit.paragraph)))
    if unit.kind is not SegmentKind.SENTENCE:
        props.append((KIND, unit.kind.value))
    props.extend(annotation_pairs(unit))
    for key, value in props:
        _sub_text(tu, "prop", value, type=key or "x-unnamed")
    for note in unit.notes:
        _sub_text(tu, "note", note)
    for lang, text, extra in (
        (pair.source, unit.source, src_props),
        (pair.target, unit.target, tgt_props),
    ):
        tuv = etree.SubElement(tu, "tuv")
        tuv.set(XML_LANG, lang)
        for key, value in extra:
            _sub_text(tuv, "prop", value, type=key or "x-unnamed")
        seg = etree.SubElement(tuv, "seg")
        codes.fill(seg, text)
    _indent(tu, 4)
    return tu


def _sub_text(parent: Any, tag: str, text: str, **attrs: str) -> Any:
    child = etree.SubElement(parent, tag)
    for name, value in attrs.items():
        child.set(name, xml_text(value))
    child.text = xml_text(text)
    return child


def _indent(element: Any, level: int) -> None:
    """Indent the direct children of ``element`` (and of its TUVs); ``seg`` content is data."""
    pad = "\n" + " " * (level + 2)
    children = list(element)
    if not children:
        return
    element.text = pad
    for child in children:
        child.tail = pad
        if local_name(child.tag) == "tuv":
            _indent(child, level + 2)
    children[-1].tail = "\n" + " " * level


def write_tmx(bitext: Bitext, stream: BinaryIO, *, tool_version: str = __version__) -> None:
    """Write ``bitext`` as TMX 1.4 (UTF-8, DTD-valid, deterministic) to a binary stream."""
    with TmxWriter(
        stream, bitext.pair, created=bitext.created, props=bitext.props, tool_version=tool_version
    ) as writer:
        for unit in bitext.units:
            writer.write(unit)


# ---------------------------------------------------------------------------------- reading


@dataclass
class _Tuv:
    lang: str
    text: str
    props: list[tuple[str, str]]
    notes: list[str]


@dataclass
class _Tu:
    index: int
    line: int
    tuid: str
    props: list[tuple[str, str]]
    notes: list[str]
    tuvs: list[_Tuv]
    codes: CodeTable


@dataclass
class TmxHeader:
    """What a TMX header says (informational: languages are chosen by code, per TUV)."""

    version: str = ""
    srclang: str = ""
    created: str = ""
    props: list[tuple[str, str]] = field(default_factory=list)


class TmxReader:
    """Streams raw TUs out of a TMX file; ``header`` is filled once the header is read,
    ``skipped`` counts TUs :func:`iter_tmx` dropped for lacking a language."""

    def __init__(self, path: str | Path) -> None:
        self.path = open_checked(path)
        self.header = TmxHeader()
        self.skipped = 0

    def tus(self) -> Iterator[_Tu]:
        path = self.path
        index = 0
        root_seen = False
        for event, element in iterparse(path, events=("start", "end")):
            name = local_name(element.tag)
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if name != "tmx":
                        raise FormatError(
                            f"not a TMX file: root element is <{name}>",
                            path=path,
                            line=element.sourceline,
                        )
                    self.header.version = element.get("version", "")
                continue
            if name == "header":
                self.header.srclang = element.get("srclang", "")
                self.header.created = iso_date(element.get("creationdate", ""))
                for child in element:
                    cname = local_name(child.tag)
                    if cname == "prop":
                        self.header.props.append((child.get("type", ""), child.text or ""))
                    elif cname == "note":
                        self.header.props.append(("x-note", child.text or ""))
                element.clear()
            elif name == "tu":
                index += 1
                yield self._tu(element, index)
                element.clear()
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        if not root_seen:
            raise FormatError("no XML root element", path=path, line=1)

    def _tu(self, element: Any, index: int) -> _Tu:
        path = self.path
        tuid = element.get("tuid") or element.get("id") or ""
        if len(tuid) > MAX_ID_CHARS:
            raise FormatError(
                f"tuid longer than {MAX_ID_CHARS} characters", path=path, line=element.sourceline
            )
        tu = _Tu(index, element.sourceline or 0, tuid, [], [], [], CodeTable())
        for child in element:
            cname = local_name(child.tag)
            if cname == "prop":
                tu.props.append((child.get("type", ""), child.text or ""))
            elif cname == "note":
                tu.notes.append(child.text or "")
            elif cname == "tuv":
                tu.tuvs.append(self._tuv(child, tu.codes))
        return tu

    def _tuv(self, element: Any, codes: CodeTable) -> _Tuv:
        path = self.path
        lang = element.get(XML_LANG) or element.get("lang") or ""
        tuv = _Tuv(lang, "", [], [])
        segs = 0
        for child in element:
            cname = local_name(child.tag)
            if cname == "prop":
                tuv.props.append((child.get("type", ""), child.text or ""))
            elif cname == "note":
                tuv.notes.append(child.text or "")
            elif cname == "seg":
                segs += 1
                if segs > 1:
                    raise FormatError(
                        "a <tuv> with more than one <seg>", path=path, line=child.sourceline
                    )
                if any(local_name(d.tag) == "seg" for d in child.iterdescendants()):
                    raise FormatError("<seg> nested inside <seg>", path=path, line=child.sourceline)
                tuv.text = codes.flatten(child)
                if len(tuv.text) > MAX_SEGMENT_CHARS:
                    raise UnsafeInputError(
                        f"segment longer than {MAX_SEGMENT_CHARS} characters",
                        path=path,
                        line=child.sourceline,
                    )
        if not lang:
            raise FormatError("<tuv> without xml:lang or lang", path=path, line=element.sourceline)
        return tuv


def lang_matches(code: str, wanted: str) -> bool:
    """``ru-RU`` matches ``ru``; a wanted code with a region (``en-GB``) must match fully."""
    full = code.strip().replace("_", "-").lower()
    want = wanted.strip().replace("_", "-").lower()
    if "-" in want:
        return full == want
    return norm_lang(full) == want


def _unit(tu: _Tu, pair: LanguagePair, name: str) -> Unit | None:
    src = [t for t in tu.tuvs if lang_matches(t.lang, pair.source)]
    tgt = [t for t in tu.tuvs if lang_matches(t.lang, pair.target)]
    if not src or not tgt:
        return None
    pairs: list[tuple[str, str]] = list(tu.props)
    pairs += [("source:" + k, v) for k, v in src[0].props]
    pairs += [("target:" + k, v) for k, v in tgt[0].props]
    pairs += [(ALT_SOURCE, t.text) for t in src[1:]]
    pairs += [(ALT_TARGET, t.text) for t in tgt[1:]]
    paragraph = 0
    kind = SegmentKind.SENTENCE
    kept: list[tuple[str, str]] = []
    for key, value in pairs:
        if key == PARAGRAPH and value.isdigit() and len(value) < 10:
            paragraph = int(value)
        elif key == KIND and value in {k.value for k in SegmentKind}:
            kind = SegmentKind(value)
        elif key != INLINE:
            kept.append((key, value))
    if tu.codes:
        kept.append((INLINE, tu.codes.to_json()))
    parsed = parse_pairs(kept)
    notes = tuple(tu.notes + src[0].notes + tgt[0].notes)
    return Unit(
        id=tu.tuid or f"{name}:tu{tu.index}",
        source=src[0].text,
        target=tgt[0].text,
        paragraph=paragraph,
        kind=kind,
        fuzzy=parsed.fuzzy,
        notes=notes,
        props=parsed.props,
        term_audit=parsed.term_audit,
        issues=parsed.issues,
        score=parsed.score,
    )


def iter_tmx(path: str | Path, pair: LanguagePair) -> Iterator[Unit]:
    """Stream the units of ``path`` for ``pair`` in constant memory (TUs lacking a side are
    skipped)."""
    reader = TmxReader(path)
    name = reader.path.stem
    for tu in reader.tus():
        unit = _unit(tu, pair, name)
        if unit is None:
            reader.skipped += 1
        else:
            yield unit


def read_tmx(path: str | Path, pair: LanguagePair | None = None) -> Bitext:
    """Read a whole TMX file. Without ``pair`` it is inferred: the file must hold exactly two
    languages (the header ``srclang`` decides the direction when it names one of them)."""
    reader = TmxReader(path)
    name = reader.path.stem
    tus = list(reader.tus())
    if pair is None:
        pair = _infer_pair(reader, tus)
    units: list[Unit] = []
    skipped = 0
    for tu in tus:
        unit = _unit(tu, pair, name)
        if unit is None:
            skipped += 1
        else:
            units.append(unit)
    props = list(reader.header.props)
    if skipped:
        props.append((SKIPPED, str(skipped)))
    return Bitext(
        name=name, pair=pair, units=tuple(units), created=reader.header.created, props=tuple(props)
    )


def _infer_pair(reader: TmxReader, tus: list[_Tu]) -> LanguagePair:
    """Two primary languages -> them; one primary in two regional variants -> the variants."""
    for normalise in (norm_lang, lambda code: code.strip().replace("_", "-").lower()):
        first_seen: dict[str, int] = {}
        for tu in tus:
            for tuv in tu.tuvs:
                first_seen.setdefault(normalise(tuv.lang), len(first_seen))
        langs = sorted(first_seen, key=lambda code: first_seen[code])
        if len(langs) == 2:
            header = normalise(reader.header.srclang)
            if header == langs[1]:
                langs.reverse()
            return LanguagePair(langs[0], langs[1])
        if not langs:
            source = norm_lang(reader.header.srclang)
            return LanguagePair(source if source.isalpha() else "und", "und")
        if len(langs) > 2:
            break
    raise FormatError(
        f"cannot tell the language pair: the file holds languages {', '.join(langs)}",
        path=reader.path,
        hint="pass --from and --to",
    )
