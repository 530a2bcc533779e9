"""Inline markup (TMX ``bpt/ept/ph/it/ut/hi/sub``, XLIFF ``g/x/bx/ex/mrk/pc``) as placeholders.

Owns the translation between a segment element with inline codes and a plain string with
placeholder tokens, plus the table that restores the codes on write:

* an opaque code (``<ph>``, ``<bpt>``, ``<x/>`` ... with any ``<sub>`` inside) becomes ``⟦n⟧``;
* a wrapper whose content is text to translate (``<hi>``, ``<g>``, ``<mrk>``, ``<pc>``) becomes
  ``⟦n⟧ ... ⟦/n⟧`` around its flattened content.

The table maps each token to the XML it stands for (namespace-free), numbered per unit and
shared by source and target (an identical code gets the same token on both sides). It travels
in the unit's props under ``x-transpipe-inline`` as JSON, so it survives PO/TSV/XLIFF trips.
Code content is data: it is never interpreted, only carried back into XML by a safe parser.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree

from transpipe.errors import UnsafeInputError
from transpipe.formats.xmlsafe import local_name, safe_parser, xml_text

WRAPPERS = frozenset({"hi", "g", "mrk", "pc"})
MAX_INLINE_DEPTH = 32
_TOKEN = re.compile(r"⟦/?\d+⟧")
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
_SENTINEL = "\ue000\ue001\ue000"


class CodeTable:
    """Token -> XML fragment table for one unit, filled while flattening its segments."""

    def __init__(self, codes: dict[str, str] | None = None) -> None:
        self.codes: dict[str, str] = dict(codes or {})
        self._by_xml: dict[str, str] = {xml: token for token, xml in self.codes.items()}
        self._next = 1 + max((int(t.strip("⟦⟧/")) for t in self.codes), default=0)

    def __bool__(self) -> bool:
        return bool(self.codes)

    def _token_for(self, xml: str, *, close: str | None = None) -> tuple[str, str | None]:
        key = xml if close is None else xml + "\x00" + close
        existing = self._by_xml.get(key)
        if existing is None:
            number = self._next
            self._next += 1
            existing = f"⟦{number}⟧"
            self.codes[existing] = xml
            if close is not None:
                self.codes[f"⟦/{number}⟧"] = close
            self._by_xml[key] = existing
        if close is None:
            return existing, None
        return existing, "⟦/" + existing[1:]

    def flatten(self, seg: Any, depth: int = 0) -> str:
        """Text of ``seg`` with its inline children replaced by tokens (recorded here).

        Raises :class:`UnsafeInputError` (without a path; the caller adds it) when wrappers
        nest deeper than :data:`MAX_INLINE_DEPTH`.
        """
        if depth > MAX_INLINE_DEPTH:
            raise UnsafeInputError(f"inline markup nested deeper than {MAX_INLINE_DEPTH} levels")
        parts: list[str] = [seg.text or ""]
        for child in seg:
            if not isinstance(child.tag, str):
                parts.append(child.tail or "")
                continue
            name = local_name(child.tag)
            if name in WRAPPERS:
                start = _start_tag(child)
                open_token, close_token = self._token_for(start, close=f"</{name}>")
                parts.append(open_token)
                parts.append(self.flatten(child, depth + 1))
                parts.append(close_token or "")
            else:
                token, _ = self._token_for(_serialize(child))
                parts.append(token)
            parts.append(child.tail or "")
        return "".join(parts)

    def to_json(self) -> str:
        return json.dumps(self.codes, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, value: str) -> CodeTable:
        try:
            data = json.loads(value)
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        codes = {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}
        return cls({k: v for k, v in codes.items() if _TOKEN.fullmatch(k)})

    def fill(self, element: Any, text: str) -> None:
        """Set ``element``'s content to ``text`` with tokens turned back into inline codes.

        If the codes no longer nest (an MT engine reordered a pair), the text is written
        with the tokens left as plain text rather than producing broken XML.
        """
        text = xml_text(text)
        if not self.codes or not _TOKEN.search(text):
            element.text = text
            return
        pieces: list[str] = []
        last = 0
        for match in _TOKEN.finditer(text):
            pieces.append(_escape(text[last : match.start()]))
            token = match.group(0)
            pieces.append(self.codes.get(token, _escape(token)))
            last = match.end()
        pieces.append(_escape(text[last:]))
        try:
            parsed = etree.fromstring(f"<seg>{''.join(pieces)}</seg>", safe_parser())
        except etree.XMLSyntaxError:
            element.text = text
            return
        element.text = parsed.text
        for child in parsed:
            element.append(child)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain_copy(element: Any) -> Any:
    """A namespace-free copy of an inline element (tail dropped)."""
    copy = etree.Element(local_name(element.tag))
    for name, value in element.attrib.items():
        if name.startswith(_XML_NS):
            copy.set(name, value)
        else:
            copy.set(local_name(name), value)
    copy.text = element.text
    for child in element:
        if isinstance(child.tag, str):
            sub = _plain_copy(child)
            sub.tail = child.tail
            copy.append(sub)
    return copy


def _serialize(element: Any) -> str:
    copy = _plain_copy(element)
    copy.tail = None
    out: bytes = etree.tostring(copy, encoding="utf-8")
    return out.decode("utf-8")


def _start_tag(element: Any) -> str:
    copy = _plain_copy(element)
    for child in list(copy):
        copy.remove(child)
    copy.text = _SENTINEL
    copy.tail = None
    xml: str = etree.tostring(copy, encoding="utf-8").decode("utf-8")
    return xml.split(_SENTINEL, 1)[0]


def strip_tokens(text: str) -> str:
    """``text`` without placeholder tokens (for scoring or plain-text output)."""
    return _TOKEN.sub("", text)
