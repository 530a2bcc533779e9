"""Hardened XML input for every XML format we read (TMX, XLIFF, TBX), and XML-safe text.

Owns the decision of which XML files we are willing to parse and how:

* any ``<!DOCTYPE`` with an internal subset, and any ``<!ENTITY`` declaration, is refused
  before the parser sees the file (billion laughs, quadratic blow-up, XXE with file or network
  targets, parameter entities);
* the parser never loads a DTD, never resolves entities, never touches the network and never
  runs with ``huge_tree`` (libxml2's own amplification and text-size limits stay on);
* files above a size cap (counted on the bytes the parser reads) and element nesting deeper
  than a depth cap are refused; the file must be a regular file (it is read more than once);
* undecodable bytes give an :class:`EncodingError` naming the file, the line and, when the
  bytes look like Windows Cyrillic, the likely encoding.

It also owns :func:`xml_text`, which removes characters XML 1.0 cannot carry (control
characters from MT output), so writers never produce an unparsable file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from transpipe.errors import EncodingError, FormatError, InputError, UnsafeInputError
from transpipe.inputs import guess_legacy_encoding, open_capped

MAX_XML_BYTES = 4 * 1024 * 1024 * 1024
"""Largest XML file we read (streaming keeps memory constant; the cap bounds time)."""

MAX_DEPTH = 64
"""Deepest element nesting accepted (TMX needs 5 levels plus inline markup)."""

PROLOG_SCAN_BYTES = 1024 * 1024
"""How much of the file start is scanned for a DOCTYPE before the root element."""

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udfff]")
_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE/F,
    lone surrogates); everything else is kept as is."""
    return _ILLEGAL_XML.sub("", text)


def has_illegal_xml(text: str) -> bool:
    """True when :func:`xml_text` would change ``text``."""
    return _ILLEGAL_XML.search(text) is not None


def sniff_encoding(head: bytes) -> str:
    """The encoding an XML parser would use for a file starting with ``head``."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith(b"<\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<"):
        return "utf-16-be"
    match = _DECL_ENCODING.match(head)
    return match.group(1).decode("ascii").lower() if match else "utf-8"


def check_prolog(path: Path, head: bytes) -> None:
    """Refuse DOCTYPE internal subsets and entity declarations found before the root element."""
    encoding = sniff_encoding(head)
    try:
        text = head.decode(encoding, errors="replace")
    except LookupError:
        raise EncodingError(f"unknown declared encoding {encoding!r}", path=path, line=1) from None
    text = text.lstrip("\ufeff")
    position = 0
    while True:
        start = text.find("<", position)
        if start < 0 or start + 1 >= len(text):
            return
        nxt = text[start + 1]
        if nxt == "?":
            end = text.find("?>", start)
            position = len(text) if end < 0 else end + 2
        elif text.startswith("<!--", start):
            end = text.find("-->", start)
            position = len(text) if end < 0 else end + 3
        elif text.startswith("<!DOCTYPE", start) or text.startswith("<!ENTITY", start):
            line = text.count("\n", 0, start) + 1
            decl = text[start : start + 4096]
            close = decl.find(">")
            bracket = decl.find("[")
            if text.startswith("<!ENTITY", start) or (
                bracket >= 0 and (close < 0 or bracket < close)
            ):
                raise UnsafeInputError(
                    "refusing a DOCTYPE with an internal subset (entity declarations)",
                    path=path,
                    line=line,
                    hint="entities can expand without bound or read local files",
                )
            position = start + (close + 1 if close >= 0 else len(decl))
        else:
            return  # the root element: the prolog is over


def safe_parser() -> etree.XMLParser:
    """An lxml parser that resolves no entities, loads no DTD and reaches no network."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
    )


def open_checked(path: str | Path, *, max_bytes: int = MAX_XML_BYTES) -> Path:
    """Check that ``path`` is a readable regular file within the cap, not empty, with a safe
    prolog; return it."""
    p = Path(path)
    with _open(p, max_bytes) as stream:
        head = stream.read(PROLOG_SCAN_BYTES)
    if not head:
        raise FormatError("file is empty", path=p, line=1)
    check_prolog(p, head)
    return p


def _open(path: Path, max_bytes: int = MAX_XML_BYTES) -> BinaryIO:
    return open_capped(
        path, max_bytes=max_bytes, expected="an XML file", too_large=UnsafeInputError
    )


def syntax_error(path: Path, exc: etree.XMLSyntaxError) -> InputError:
    """Map an lxml syntax error to our one-line error with the line number."""
    line = exc.position[0] if exc.position else None
    message = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
    message = re.sub(r",? line \d+, column \d+.*$", "", message).strip()
    lowered = message.lower()
    if "encoding" in lowered or "not proper utf-8" in lowered or "bytes:" in lowered:
        hint = "convert the file to UTF-8"
        try:
            with _open(path) as stream:
                guess = guess_legacy_encoding(stream.read(PROLOG_SCAN_BYTES))
        except InputError:
            guess = ""
        if guess:
            hint = f"the file looks like {guess} (Cyrillic); convert it to UTF-8"
        return EncodingError(
            f"invalid character encoding: {message}", path=path, line=line, hint=hint
        )
    if "depth" in lowered:
        return UnsafeInputError("elements nested too deep (over 256 levels)", path=path, line=line)
    if "amplification" in lowered or "entity" in lowered or "huge" in lowered:
        return UnsafeInputError(f"refused: {message}", path=path, line=line)
    return FormatError(f"not well-formed XML: {message}", path=path, line=line)


def iterparse(
    path: Path, *, events: tuple[str, ...] = ("start", "end"), max_depth: int = MAX_DEPTH
) -> Iterator[tuple[str, Any]]:
    """Stream ``(event, element)`` pairs from a checked file, enforcing the depth cap.

    The caller clears elements it has consumed (``elem.clear()``) to keep memory constant.
    """
    wanted_start = "start" in events
    stream = _open(path)
    context = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth = 0
    try:
        for event, element in context:
            if event == "start":
                depth += 1
                if depth > max_depth:
                    raise UnsafeInputError(
                        f"elements nested deeper than {max_depth} levels",
                        path=path,
                        line=element.sourceline,
                    )
                if wanted_start:
                    yield event, element
            else:
                depth -= 1
                yield event, element
    except etree.XMLSyntaxError as exc:
        raise syntax_error(path, exc) from exc
    finally:
        stream.close()


def iter_elements(path: Path, tags: tuple[str, ...]) -> Iterator[Any]:
    """Stream the elements named ``tags`` (any namespace) once each is complete.

    Faster than :func:`iterparse` for large files: libxml2 only hands over the wanted
    elements. Nesting is capped by libxml2 itself (256 levels without ``huge_tree``); callers
    cap the depth of what they walk inside each element. The caller clears consumed elements.
    """
    stream = _open(path)
    context = etree.iterparse(
        stream,
        events=("end",),
        tag=[f"{{*}}{tag}" for tag in tags],
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _, element in context:
            yield element
    except etree.XMLSyntaxError as exc:
        raise syntax_error(path, exc) from exc
    finally:
        stream.close()


def local_name(tag: object) -> str:
    """Element tag without its namespace (``{ns}seg`` -> ``seg``); '' for comments/PIs."""
    if not isinstance(tag, str):
        return ""
    return tag if tag[:1] != "{" else tag.rsplit("}", 1)[-1]


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
