"""SRX 2.0 import and export: share segmentation rules with OmegaT, Okapi and other CAT tools.

Owns the translation between our ``LanguageRules`` (data files) and SRX 2.0 ``languagerule``
elements of ordered break / no-break rules, and ``SrxSegmenter``, which segments text with the
rules of any SRX file. Regular expressions are written in the common subset of ICU / Java and
the Python ``regex`` module (``\\p{Lu}``, bounded look-behind, no ``\\b``), so exported files work
in Java tools and imported files work here.

SRX semantics implemented: a position is a candidate when some rule's ``beforebreak`` matches
the text ending there and its ``afterbreak`` matches the text starting there; the first rule
(in file order) that matches a position decides break or no break. ``cascade="yes"`` applies
the rules of every matching ``languagemap`` in order; otherwise only the first one.

XML is parsed with a hardened lxml parser (no entities, no DTD loading, no network); a document
that declares entities is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex  # type: ignore[import-untyped]
from lxml import etree

from transpipe.errors import ConfigError, FormatError, UnsafeInputError
from transpipe.inputs import read_bytes
from transpipe.model import Document, Span
from transpipe.segment.rules import LanguageRules, load_rules
from transpipe.segment.segmenter import build_document, spans_between

SRX_NS = "http://www.lisa.org/srx20"
_NAMES = {"ru": "Russian", "en": "English"}
MAX_SRX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class SrxRule:
    """One SRX rule: break (or not) where ``before`` ends and ``after`` starts."""

    is_break: bool
    before: str
    after: str


@dataclass(frozen=True)
class LanguageRule:
    """A named, ordered list of SRX rules."""

    name: str
    rules: tuple[SrxRule, ...]


# -- export ------------------------------------------------------------------------------------


def _cls(chars: Iterable[str]) -> str:
    """A regex character class body for ``chars`` (portable escaping)."""
    out = []
    for char in sorted(set(chars)):
        out.append("\\" + char if char in "\\]^-[&~|\"'" else char)
    return "".join(out)


def _caseless(key: str) -> str:
    """Pattern for a normalised abbreviation key, any case, optional space after inner dots."""
    if len(key) == 1:
        # lower case only: a capital single letter is an initial, not this abbreviation
        return str(regex.escape(key))
    out = []
    for char in key:
        if char == ".":
            out.append("\\.\\s?")
        elif char.isalpha() and char.lower() != char.upper():
            out.append(f"[{char.lower()}{char.upper()}]")
        else:
            out.append(str(regex.escape(char)))
    return "".join(out)


def _emoticons(emoticons: Iterable[str]) -> str:
    """Pattern for emoticons whose last character may repeat (bounded, for look-behind)."""
    out = []
    for emoticon in sorted(set(emoticons), key=lambda e: (-len(e), e)):
        body = str(regex.escape(emoticon))
        repeat = str(regex.escape(emoticon[-1])) + "{0,8}"
        guard = "\\p{L}" if emoticon.strip("()") == "" else ""  # "спасибо))", not "(a))"
        out.append(guard + body + repeat)
    return "(?:" + "|".join(out) + ")"


def _alternatives(keys: Iterable[str]) -> str:
    ordered = sorted(set(keys), key=lambda k: (-len(k), k))
    return "(?:" + "|".join(_caseless(k) for k in ordered) + ")"


def language_rule(rules: LanguageRules) -> LanguageRule:
    """Our language rules as an ordered SRX rule list (see module docstring for semantics).

    Look-behind (``beforebreak``) patterns are bounded, as Java and ICU require.
    """
    term = _cls(rules.terminators)
    close = _cls(rules.closers)
    open_ = _cls(rules.openers)
    dash = _cls(rules.dashes)
    bullet = _cls(rules.bullets)
    starts = "\\p{Lu}\\p{N}" + _cls(rules.currency)
    end_of_sentence = f"[{term}]{{1,3}}[{close}]{{0,3}}"
    before_word = "(?<![\\p{L}\\p{N}.])"
    starter_next = f"\\s+[{open_}]{{0,3}}[{starts}]"
    by_length = sorted(rules.sentence_starters, key=lambda w: (-len(w), w))
    starters = "(?:" + "|".join(str(regex.escape(w)) for w in by_length) + ")"
    initials = "\\p{Lu}"
    initial_before = "(?<![^\\s.(" + _cls(rules.openers) + "])"
    ambiguous = _alternatives(rules.ambiguous) if rules.ambiguous else None
    line_open = f"[^\\s{term}{_cls(rules.continuations)}]"
    # "2.1." or "IV." after a line start or a sentence end ("Раздел 2. 2.1. Цели"); a plain
    # "5." only at a line start (after "д. 5." a sentence may end)
    heading_number = "\\p{N}{1,3}(?:\\.\\p{N}{1,3}){1,3}\\."
    sentence_start = f"(?:^|\\n|[{term}][{close}]{{0,3}}\\s{{1,3}})[ \\t]{{0,8}}"
    out: list[SrxRule] = [
        # A line starting with a list bullet or number is its own segment.
        SrxRule(True, "\\S", f"[ \\t]*\\n\\s*(?:[{bullet}]|\\p{{N}}{{1,3}}[.)])\\s"),
        # A no-break space binds ("г.\u00a0Москва").
        SrxRule(False, end_of_sentence, "[\\u00A0\\u202F\\u2007]"),
        # Heading numbers: "§ 3.", and "2.1." or "IV." opening a line or a sentence.
        SrxRule(False, "§\\s?\\p{N}{1,4}(?:\\.\\p{N}{1,3}){0,3}\\.", "\\s"),
        SrxRule(False, f"{sentence_start}(?:{heading_number}|[IVXLCDM]{{2,6}}\\.)", "\\s"),
        # The next word starts lower case, or is a dash before one ("» – сказал он").
        SrxRule(False, end_of_sentence, f"\\s+(?:[{dash}]\\s+)?[{open_}]{{0,3}}\\p{{Ll}}"),
        # A dash before a capital starts a new sentence (dialogue).
        SrxRule(True, end_of_sentence, f"\\s+[{dash}]\\s+[{open_}]{{0,3}}[{starts}]"),
    ]
    if rules.nonfinal:
        out.append(SrxRule(False, f"{before_word}{_alternatives(rules.nonfinal)}\\.", "\\s"))
    if rules.before_number:
        alts = _alternatives(rules.before_number)
        out.append(SrxRule(False, f"{before_word}{alts}\\.", "\\s+\\p{N}"))
    if rules.after_number:
        alts = _alternatives(rules.after_number)
        # a number ends with a digit or letter: "350000, г. Москва" is a postcode, not a year
        number = (
            "(?:\\p{N}(?:[\\p{N}\\p{L},.\\-–]{0,10}[\\p{N}\\p{L}])?"
            "|[IVXLCDM]{1,6}(?:-\\p{L}{1,3})?)"
        )
        quantity = f"(?<![\\p{{L}}\\p{{N}}]){number}(?:\\s{{1,3}}{alts}\\.?)?\\s{{1,3}}{alts}\\."
        out.append(SrxRule(True, quantity, starter_next))
        out.append(SrxRule(False, f"{before_word}{alts}\\.", "\\s"))
    starter_after = f"\\s+[{open_}]{{0,3}}{starters}(?![\\p{{L}}.])"
    for pattern in (ambiguous, initials):
        if pattern is None:
            continue
        guard = initial_before if pattern == initials else "(?<![\\p{L}\\p{N}])"
        out.append(SrxRule(True, f"{guard}{pattern}\\.", starter_after))
        out.append(SrxRule(False, f"{guard}{pattern}\\.", "\\s"))
    if rules.emoticons:
        # An emoticon ends a sentence before a capital; a bare ")))" only after a letter.
        out.append(SrxRule(True, _emoticons(rules.emoticons), f"\\s+[{open_}]{{0,3}}[{starts}]"))
    if rules.enumeration_separators:
        # "...квартире; 2) отчуждать": the next enumeration item is a new segment.
        out.append(
            SrxRule(
                True,
                f"[{_cls(rules.enumeration_separators)}]",
                "\\s+(?:\\p{N}{1,2}|\\p{L})\\)\\s",
            )
        )
    out += [
        # A list number at the start of a line is not a sentence end.
        SrxRule(False, "(?:^|\\n)[ \\t]{0,8}\\p{N}{1,3}\\.", "\\s"),
        # Sentence end before a capital, digit, currency sign or opening quote.
        SrxRule(True, end_of_sentence, starter_next),
        # A line without final punctuation ends before a line starting like a sentence.
        SrxRule(
            True,
            f"{line_open}[{close}]{{0,3}}",
            f"[ \\t]*\\n\\s*[{starts}+{open_}]",
        ),
    ]
    name = _NAMES.get(rules.language, rules.language)
    return LanguageRule(name, tuple(out))


def export_srx(rules: Sequence[LanguageRules]) -> bytes:
    """An SRX 2.0 document with one ``languagerule`` per language (UTF-8 bytes)."""
    root = etree.Element(f"{{{SRX_NS}}}srx", nsmap={None: SRX_NS})
    root.set("version", "2.0")
    header = etree.SubElement(root, f"{{{SRX_NS}}}header")
    header.set("segmentsubflows", "yes")
    header.set("cascade", "no")
    for kind, include in (("start", "no"), ("end", "yes"), ("isolated", "yes")):
        handle = etree.SubElement(header, f"{{{SRX_NS}}}formathandle")
        handle.set("type", kind)
        handle.set("include", include)
    body = etree.SubElement(root, f"{{{SRX_NS}}}body")
    languagerules = etree.SubElement(body, f"{{{SRX_NS}}}languagerules")
    maprules = etree.SubElement(body, f"{{{SRX_NS}}}maprules")
    for lang_rules in rules:
        rule = language_rule(lang_rules)
        element = etree.SubElement(languagerules, f"{{{SRX_NS}}}languagerule")
        element.set("languagerulename", rule.name)
        element.append(
            etree.Comment(
                f" generated by transpipe from lang/data/segment.{lang_rules.language}.toml "
            )
        )
        for srx_rule in rule.rules:
            r = etree.SubElement(element, f"{{{SRX_NS}}}rule")
            r.set("break", "yes" if srx_rule.is_break else "no")
            etree.SubElement(r, f"{{{SRX_NS}}}beforebreak").text = srx_rule.before
            etree.SubElement(r, f"{{{SRX_NS}}}afterbreak").text = srx_rule.after
        mapping = etree.SubElement(maprules, f"{{{SRX_NS}}}languagemap")
        mapping.set("languagepattern", f"{lang_rules.language}.*")
        mapping.set("languagerulename", rule.name)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


# -- import ------------------------------------------------------------------------------------


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def parse_srx(data: bytes, lang: str, source: str = "<srx>") -> list[SrxRule]:
    """The ordered rules that apply to ``lang`` in an SRX 1.0/2.0 document."""
    if b"<!ENTITY" in data:
        raise UnsafeInputError("SRX file declares XML entities; refused", path=source)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise FormatError(f"not well-formed XML: {exc.msg}", path=source, line=line) from None
    if _local(root.tag) != "srx":
        raise FormatError(f"root element is <{_local(root.tag)}>, expected <srx>", path=source)
    cascade = False
    named: dict[str, list[SrxRule]] = {}
    maps: list[tuple[str, str, int | None]] = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "header":
            cascade = element.get("cascade", "no") == "yes"
        elif name == "languagerule":
            rule_name = element.get("languagerulename", "")
            named[rule_name] = _read_rules(element, source)
        elif name == "languagemap":
            maps.append(
                (
                    element.get("languagepattern", ""),
                    element.get("languagerulename", ""),
                    element.sourceline,
                )
            )
    selected: list[SrxRule] = []
    for pattern, rule_name, line in maps:
        try:
            matches = regex.fullmatch(pattern, lang) is not None
        except regex.error as exc:
            raise FormatError(
                f"bad languagepattern {pattern!r}: {exc}", path=source, line=line
            ) from None
        if not matches:
            continue
        if rule_name not in named:
            raise FormatError(
                f"languagemap names unknown rule {rule_name!r}", path=source, line=line
            )
        selected.extend(named[rule_name])
        if not cascade:
            break
    else:
        if not selected:
            raise ConfigError(f"no SRX rules map language {lang!r}", path=source)
    return selected


def _read_rules(element: etree._Element, source: str) -> list[SrxRule]:
    rules: list[SrxRule] = []
    for child in element:
        if _local(child.tag) != "rule":
            continue
        before = after = ""
        for part in child:
            if _local(part.tag) == "beforebreak":
                before = part.text or ""
            elif _local(part.tag) == "afterbreak":
                after = part.text or ""
        for pattern in (before, after):
            try:
                regex.compile(pattern)
            except regex.error as exc:
                raise FormatError(
                    f"invalid regular expression {pattern!r}: {exc}",
                    path=source,
                    line=child.sourceline,
                ) from None
        rules.append(SrxRule(child.get("break", "yes") != "no", before, after))
    return rules


class SrxSegmenter:
    """Segments text with the rules of an SRX document (first matching rule decides)."""

    def __init__(self, lang: str, rules: Sequence[SrxRule]) -> None:
        self.lang = lang
        self.rules = tuple(rules)
        self._compiled = [
            (rule.is_break, regex.compile(f"(?<={rule.before})(?={rule.after})", regex.V0))
            for rule in self.rules
        ]
        try:
            self._language_rules: LanguageRules | None = load_rules(lang)
        except ConfigError:
            self._language_rules = None

    @classmethod
    def from_file(cls, path: str | Path, lang: str) -> SrxSegmenter:
        """Load the rules for ``lang`` from an SRX file (hardened XML parsing)."""
        p = Path(path)
        data = read_bytes(p, max_bytes=MAX_SRX_BYTES, expected="an SRX file")
        return cls(lang, parse_srx(data, lang, str(p)))

    @classmethod
    def from_rules(cls, rules: LanguageRules) -> SrxSegmenter:
        """Our bundled rules, exported to SRX and read back (what another tool would see)."""
        data = export_srx([rules])
        return cls(rules.language, parse_srx(data, rules.language))

    def split(self, text: str) -> list[Span]:
        """Sentence spans of one paragraph."""
        decided: dict[int, bool] = {}
        for is_break, pattern in self._compiled:
            for match in pattern.finditer(text):
                decided.setdefault(match.start(), is_break)
        cuts = sorted(p for p, is_break in decided.items() if is_break and 0 < p < len(text))
        return spans_between(text, 0, len(text), cuts)

    def segment(self, text: str, name: str = "doc") -> Document:
        """Paragraphs and sentences of a whole text."""
        return build_document(text, self.lang, name, self, self._language_rules)
