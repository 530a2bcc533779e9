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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from lxml import etree

from transpipe import __version__
from transpipe.errors import FormatError, UnsafeInputError
from transpipe.formats.annotations import INLINE, REVIEW, annotation_pairs, parse_pairs
from transpipe.formats.inline import CodeTable
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
from transpipe.formats.registry import SKIPPED, BitextFormat
from transpipe.formats.review import mark_edits
from transpipe.formats.xmlsafe import (
    XML_LANG,
    iter_elements,
    iterparse,
    local_name,
    open_checked,
    xml_text,
)
from transpipe.lang.codes import matches as lang_matches
from transpipe.lang.codes import normalize as normalize_lang
from transpipe.lang.codes import primary as norm_lang
from transpipe.model import Bitext, LanguagePair, SegmentKind, Unit

MAX_SEGMENT_CHARS = 1_000_000
MAX_ID_CHARS = 4096
PARAGRAPH = "x-paragraph"
KIND = "x-kind"
ALT_SOURCE = "x-alt-source"
ALT_TARGET = "x-alt-target"
TOOL = "transpipe"
_INTERNAL_PREFIX = "x-transpipe-"
_UNNAMED = "x-unnamed"


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


def _escape(clean: str) -> str:
    """Markup for text already free of XML-illegal characters."""
    escaped = clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\r", "&#13;")  # a literal CR would be read back as LF


def _esc(text: str) -> str:
    return _escape(xml_text(text))


def _attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def _element(tag: str, text: str, indent: str, **attrs: str) -> str:
    rendered = "".join(f' {name}="{_attr(value)}"' for name, value in attrs.items())
    return f"{indent}<{tag}{rendered}>{_esc(text)}</{tag}>\n"


def _prop(key: str, clean_value: str, indent: str) -> str:
    return f'{indent}<prop type="{_attr(key)}">{_escape(clean_value)}</prop>\n'


class TmxWriter:
    """Context manager streaming a TMX 1.4 document: header on enter, one ``<tu>`` per
    :meth:`write`, closing tags on exit. Memory does not grow with the number of units.

    Markup is produced here as text with strict escaping (every value goes through
    :func:`~transpipe.formats.xmlsafe.xml_text` first); only segments with inline codes go
    through lxml, so the output is always well-formed and byte-for-byte deterministic. Each
    ``<tu>`` carries its unit digest; ``file_digest`` (known only when every unit is known in
    advance, see :func:`write_tmx`) goes into the header.
    """

    def __init__(
        self,
        stream: BinaryIO,
        pair: LanguagePair,
        *,
        created: str = "",
        props: tuple[tuple[str, str], ...] = (),
        tool_version: str = __version__,
        file_digest: str = "",
    ) -> None:
        self._stream = stream
        self._pair = pair
        self._created = created
        self._props = props
        self._tool_version = tool_version
        self._file_digest = file_digest
        self._open = False

    def __enter__(self) -> TmxWriter:
        attrs = {
            "creationtool": TOOL,
            "creationtoolversion": self._tool_version or "0",
            "segtype": "sentence",
            "o-tmf": TOOL,
            "adminlang": "en",
            "srclang": self._pair.source,
            "datatype": "plaintext",
        }
        date = tmx_date(self._created)
        if date:
            attrs["creationdate"] = date
        rendered = "".join(f' {name}="{_attr(value)}"' for name, value in attrs.items())
        props = [(k, v) for k, v in self._props if not k.startswith(_INTERNAL_PREFIX)]
        if self._file_digest:
            props.append((FILE_DIGEST, self._file_digest))
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n',
            '<tmx version="1.4">\n',
        ]
        if props:
            parts.append(f"  <header{rendered}>\n")
            parts += [_element("prop", v, "    ", type=k or _UNNAMED) for k, v in props]
            parts.append("  </header>\n")
        else:
            parts.append(f"  <header{rendered}/>\n")
        parts.append("  <body>\n")
        self._stream.write("".join(parts).encode("utf-8"))
        self._open = True
        return self

    def write(self, unit: Unit) -> None:
        """Write one unit as a ``<tu>`` (source TUV first)."""
        if not self._open:
            raise RuntimeError("TmxWriter.write() outside its 'with' block")
        self._stream.write(_TuLayout(unit, self._pair).render().encode("utf-8"))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._open and exc_type is None:
            self._stream.write(b"  </body>\n</tmx>\n")
        self._open = False


class _TuLayout:
    """What one ``<tu>`` will hold, as the reader will see it (for the digests)."""

    def __init__(self, unit: Unit, pair: LanguagePair) -> None:
        self.id = xml_text(unit.id)
        codes: CodeTable | None = None
        props: list[tuple[str, str]] = []
        src_props: list[tuple[str, str]] = []
        tgt_props: list[tuple[str, str]] = []
        for key, value in unit.props:
            if key == INLINE:
                codes = CodeTable.from_json(value)
            elif key == UNIT_DIGEST:
                continue
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
        props.extend(annotation_pairs(unit, pair.target))
        self.props = [_as_read(k, v) for k, v in props]
        self.notes = [xml_text(note) for note in unit.notes]
        self.tuvs: list[tuple[str, list[tuple[str, str]], str]] = []
        self.segs: list[str] = []
        flattened = CodeTable() if codes else None
        for lang, text, extra in (
            (pair.source, unit.source, src_props),
            (pair.target, unit.target, tgt_props),
        ):
            seg, read_back = _seg(text, codes, flattened)
            self.segs.append(seg)
            self.tuvs.append((xml_text(lang), [_as_read(k, v) for k, v in extra], read_back))

    def review_parts(self) -> list[str]:
        return _review_parts(self.id, [(lang, text) for lang, _, text in self.tuvs], self.props)

    def full_parts(self) -> list[str]:
        return _full_parts(self.id, self.props, self.notes, self.tuvs)

    def render(self) -> str:
        parts = [f'    <tu tuid="{_attr(self.id)}">\n']
        props = [*self.props, (UNIT_DIGEST, unit_digest(self.review_parts()))]
        parts += [_prop(k, v, "      ") for k, v in props]
        parts += [f"      <note>{_escape(note)}</note>\n" for note in self.notes]
        for (lang, extra, _), seg in zip(self.tuvs, self.segs, strict=True):
            parts.append(f'      <tuv xml:lang="{_attr(lang)}">\n')
            parts += [_prop(k, v, "        ") for k, v in extra]
            parts.append(f"        {seg}\n      </tuv>\n")
        parts.append("    </tu>\n")
        return "".join(parts)


def _as_read(key: str, value: str) -> tuple[str, str]:
    """A prop as a reader gets it back: XML-illegal characters gone, unnamed named."""
    return xml_text(key or _UNNAMED), xml_text(value)


def _seg(text: str, codes: CodeTable | None, flattened: CodeTable | None) -> tuple[str, str]:
    """The ``<seg>`` markup of ``text`` and the text a reader will flatten it to."""
    if not codes or flattened is None:
        clean = xml_text(text)
        return f"<seg>{_escape(clean)}</seg>", clean
    seg = etree.Element("seg")
    codes.fill(seg, text)
    rendered: str = etree.tostring(seg, encoding="unicode")
    return rendered, flattened.flatten(seg)


def _review_parts(
    tuid: str, texts: list[tuple[str, str]], props: list[tuple[str, str]]
) -> list[str]:
    """Unit digest inputs of a TU: id, texts by language, and its review marker."""
    review = [v for k, v in props if k == REVIEW]
    keyed = sorted(f"{norm_lang(lang)}\x00{text}" for lang, text in texts)
    return [tuid, *keyed, *review]


def _full_parts(
    tuid: str,
    props: list[tuple[str, str]],
    notes: list[str],
    tuvs: list[tuple[str, list[tuple[str, str]], str]],
) -> list[str]:
    """File digest inputs of a TU: everything in it but its unit digest, in order."""
    parts = [tuid, str(len(props)), *(f"{k}={v}" for k, v in props), str(len(notes)), *notes]
    for lang, extra, text in tuvs:
        parts += [lang, str(len(extra)), *(f"{k}={v}" for k, v in extra), text]
    return parts


def write_tmx(bitext: Bitext, stream: BinaryIO, *, tool_version: str = __version__) -> None:
    """Write ``bitext`` as TMX 1.4 (UTF-8, DTD-valid, deterministic) to a binary stream."""
    digest = FileDigest()
    for unit in bitext.units:
        digest.add(_TuLayout(unit, bitext.pair).full_parts())
    with TmxWriter(
        stream,
        bitext.pair,
        created=bitext.created,
        props=bitext.props,
        tool_version=tool_version,
        file_digest=digest.hexdigest(),
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
    recorded: str | None = None  # the unit digest the TU carries

    def review_digest(self) -> str:
        return unit_digest(
            _review_parts(self.tuid, [(t.lang, t.text) for t in self.tuvs], self.props)
        )

    def full_parts(self) -> list[str]:
        tuvs = [(t.lang, t.props, t.text) for t in self.tuvs]
        return _full_parts(self.tuid, self.props, self.notes, tuvs)


@dataclass
class TmxHeader:
    """What a TMX header says (informational: languages are chosen by code, per TUV)."""

    version: str = ""
    srclang: str = ""
    created: str = ""
    tool: str = ""
    props: list[tuple[str, str]] = field(default_factory=list)
    recorded: str | None = None  # the file digest the header carries


class TmxReader:
    """Streams raw TUs out of a TMX file; ``header`` is filled once the header is read,
    ``skipped`` counts TUs :func:`iter_tmx` dropped for lacking a language. With
    ``digests``, ``digest`` accumulates the file digest of the TUs read so far."""

    def __init__(self, path: str | Path, *, digests: bool = True) -> None:
        self.path = open_checked(path)
        self.header = TmxHeader()
        self.skipped = 0
        self.digest: FileDigest | None = FileDigest() if digests else None

    def provenance(self, checks: tuple[Check, ...]) -> Provenance:
        """What the digests say, once every TU has been read."""
        computed = self.digest.hexdigest() if self.digest is not None else ""
        file = compare(self.header.recorded, computed)
        return Provenance(self.header.tool == TOOL, file, checks)

    def tus(self) -> Iterator[_Tu]:
        path = self.path
        index = 0
        root: Any = None
        for element in iter_elements(path, ("header", "tu")):
            if root is None:
                root = element.getroottree().getroot()
                self._check_root(root)
            if local_name(element.tag) == "header":
                self.header.srclang = element.get("srclang", "")
                self.header.created = iso_date(element.get("creationdate", ""))
                self.header.tool = element.get("creationtool", "")
                for child in element:
                    cname = local_name(child.tag)
                    if cname == "prop" and child.get("type") == FILE_DIGEST:
                        self.header.recorded = child.text or ""
                    elif cname == "prop":
                        self.header.props.append((child.get("type", ""), child.text or ""))
                    elif cname == "note":
                        self.header.props.append(("x-note", child.text or ""))
            else:
                index += 1
                tu = self._tu(element, index)
                if self.digest is not None:
                    self.digest.add(tu.full_parts())
                yield tu
            element.clear()
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
        if root is None:
            self._check_root(_root_of(path))

    def _check_root(self, root: Any) -> None:
        name = local_name(root.tag)
        if name != "tmx":
            raise FormatError(
                f"not a TMX file: root element is <{name}>", path=self.path, line=root.sourceline
            )
        self.header.version = root.get("version", "")

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
            if cname == "prop" and child.get("type") == UNIT_DIGEST and tu.recorded is None:
                tu.recorded = child.text or ""
            elif cname == "prop":
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
                try:
                    tuv.text = codes.flatten(child)
                except UnsafeInputError as exc:
                    raise UnsafeInputError(exc.reason, path=path, line=child.sourceline) from exc
                if len(tuv.text) > MAX_SEGMENT_CHARS:
                    raise UnsafeInputError(
                        f"segment longer than {MAX_SEGMENT_CHARS} characters",
                        path=path,
                        line=child.sourceline,
                    )
        if not lang:
            raise FormatError("<tuv> without xml:lang or lang", path=path, line=element.sourceline)
        return tuv


def _root_of(path: Path) -> Any:
    """The root element of a file in which no header or TU was found (small by definition)."""
    for _, element in iterparse(path, events=("start",)):
        return element
    raise FormatError("no XML root element", path=path, line=1)


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
    skipped; digests are not checked: use :func:`load_tmx` for that)."""
    reader = TmxReader(path, digests=False)
    name = reader.path.stem
    for tu in reader.tus():
        unit = _unit(tu, pair, name)
        if unit is None:
            reader.skipped += 1
        else:
            yield unit


def load_tmx(path: str | Path, pair: LanguagePair | None = None) -> BitextFile:
    """Read a whole TMX file and what its digests say. Without ``pair`` it is inferred: the
    file must hold exactly two languages (the header ``srclang`` decides the direction when it
    names one of them)."""
    reader = TmxReader(path)
    name = reader.path.stem
    tus: Iterable[_Tu] = reader.tus()
    if pair is None:  # needs every TU's languages first; with a pair the TUs stream through
        tus = list(tus)
        pair = _infer_pair(reader, tus)
    units: list[Unit] = []
    checks: list[Check] = []
    skipped = 0
    for tu in tus:
        unit = _unit(tu, pair, name)
        if unit is None:
            skipped += 1
        else:
            units.append(unit)
            checks.append(compare(tu.recorded, tu.review_digest()))
    props = list(reader.header.props)
    if skipped:
        props.append((SKIPPED, str(skipped)))
    bitext = Bitext(
        name=name,
        pair=pair,
        units=mark_edits(units, checks),
        created=reader.header.created,
        props=tuple(props),
    )
    return BitextFile(bitext, reader.provenance(tuple(checks)))


def read_tmx(path: str | Path, pair: LanguagePair | None = None) -> Bitext:
    """Read a whole TMX file into a ``Bitext`` (see :func:`load_tmx`)."""
    return load_tmx(path, pair).bitext


def _infer_pair(reader: TmxReader, tus: list[_Tu]) -> LanguagePair:
    """Two primary languages -> them; one primary in two regional variants -> the variants."""
    for normalise in (norm_lang, normalize_lang):
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


FORMAT = BitextFormat(
    name="tmx",
    extensions=(".tmx",),
    read=load_tmx,
    write=write_tmx,
    description="TMX 1.4 translation memory (OmegaT, Trados, memoQ)",
)
