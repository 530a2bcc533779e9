"""Gettext PO: a strict reader of our own and of real-world files, and a polib-based writer.

Owns the PO format.

Writing (:func:`write_po`, through polib): one entry per unit, ``msgctxt`` = unit id (or the
original context of an entry read from a foreign file), ``fuzzy`` flag, translator comments
(``# key: value``) carrying term matches, term audit, findings, score and props, extracted
comments (``#.``) carrying notes. The header has Language, UTF-8 Content-Type, Plural-Forms of
the target language (or the one the input file declared), creation dates from ``bitext.created``
and X-Generator. Output has no BOM, LF only, is deterministic and passes
``msgfmt -c --check-format``: XML/C-illegal control characters are removed, a plural entry
always gets exactly ``nplurals`` forms (a translated entry missing some of them is marked
fuzzy), and a translation whose leading/trailing newline does not match its source is marked
fuzzy (msgfmt ignores fuzzy entries).

Reading (:func:`read_po`): polib accepts unterminated strings, unknown escapes and index gaps
silently, so the file is parsed here, line by line, with one clear error (file and line) for
bad escapes, unterminated strings, unknown keywords, dangling ``#|``, plural index gaps,
duplicate headers and duplicate (msgctxt, msgid) keys. The charset comes from the header;
legacy charsets (cp1251, KOI8-R, ISO-8859-x, EUC-KR...) are converted; a UTF-8 file that
declares a legacy charset, or undecodable bytes, is rejected naming the encoding. Plural-Forms
is never evaluated with ``eval``: ``nplurals`` is capped at 6 and the expression goes through
``gettext.c2py`` (a whitelist tokenizer) and is checked for n in 0..1000.
"""

from __future__ import annotations

import codecs
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polib

from transpipe import __version__
from transpipe.errors import EncodingError, FormatError
from transpipe.formats.annotations import REVIEW, annotation_pairs, parse_pairs
from transpipe.formats.xmlsafe import xml_text
from transpipe.inputs import checked_size
from transpipe.model import Bitext, LanguagePair, SegmentKind, Unit

MAX_PO_BYTES = 100 * 1024 * 1024
MAX_NPLURALS = 6
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "en": "nplurals=2; plural=(n != 1);",
}
MSGCTXT = "x-po-msgctxt"
NO_MSGCTXT = "x-po-no-msgctxt"
MSGID_PLURAL = "x-po-msgid-plural"
FLAGS = "x-po-flags"
COMMENT = "x-po-comment"
REFERENCE = "x-po-reference"
PREVIOUS = "x-po-previous-"
PARAGRAPH = "x-paragraph"
KIND = "x-kind"
_PROP_PREFIX = "prop "
_ANNOTATION_KEYS = (
    "x-term-match",
    "x-term",
    "x-issue",
    "x-score",
    "x-score-components",
    "x-status",
    PARAGRAPH,
    KIND,
)


def _msgstr_key(index: int) -> str:
    return f"x-po-msgstr[{index}]"


# ---------------------------------------------------------------------------------- writing


def _escape_comment(text: str) -> str:
    return xml_text(text).replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _unescape_comment(text: str) -> str:
    return re.sub(r"\\(\\|n|r)", lambda m: {"\\": "\\", "n": "\n", "r": "\r"}[m.group(1)], text)


def _po_date(created: str) -> str:
    digits = re.sub(r"\D", "", created)
    if len(digits) < 12:
        return "1970-01-01 00:00+0000"
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]} {digits[8:10]}:{digits[10:12]}+0000"


def _iso_from_po(value: str) -> str:
    m = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?\s*\+0000\s*", value)
    if not m:
        return ""
    y, mo, d, h, mi, s = m.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s or '00'}Z"


def _nplurals(plural_forms: str) -> int:
    m = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    return int(m.group(1)) if m and len(m.group(1)) < 3 else 2


def _clean(text: str) -> str:
    return xml_text(text).replace("\r\n", "\n").replace("\r", "\n")


def _starts_ends(text: str) -> tuple[bool, bool]:
    return text.startswith("\n"), text.endswith("\n")


def write_po(bitext: Bitext, stream: BinaryIO) -> None:
    """Write ``bitext`` as a UTF-8 PO file that passes ``msgfmt -c --check-format``."""
    props = dict(bitext.props)
    target = bitext.pair.target
    plural_forms = props.get("Plural-Forms", "")
    if not _valid_plural_forms(plural_forms):
        plural_forms = PLURAL_FORMS.get(target.split("-")[0].lower(), PLURAL_FORMS["en"])
    nplurals = _nplurals(plural_forms)
    date = _po_date(bitext.created)
    po = polib.POFile(wrapwidth=0, check_for_duplicates=False)
    po.header = f"{_escape_comment(bitext.name)} ({bitext.pair}), written by transpipe."
    po.metadata = {
        "Project-Id-Version": _header_value(
            props.get("Project-Id-Version") or bitext.name or "transpipe"
        ),
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": date,
        "PO-Revision-Date": date,
        "Last-Translator": "transpipe",
        "Language-Team": _header_value(target),
        "Language": _header_value(target),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms,
        "X-Generator": f"transpipe {__version__}",
        "X-Source-Language": _header_value(bitext.pair.source),
    }
    seen: set[tuple[str | None, str]] = set()
    for unit in bitext.units:
        entry = _entry(unit, nplurals, target)
        key = (entry.msgctxt, entry.msgid)
        if key in seen:  # msgfmt rejects duplicates: keep the key unique through the context
            entry.msgctxt = unit.id if entry.msgctxt != unit.id else f"{unit.id}#{len(seen)}"
        seen.add((entry.msgctxt, entry.msgid))
        po.append(entry)
    text = str(po)
    if not text.endswith("\n"):
        text += "\n"
    stream.write(text.replace("\r", "").encode("utf-8"))


def _header_value(value: str) -> str:
    return " ".join(xml_text(value).split())


def _entry(unit: Unit, nplurals: int, target_lang: str) -> polib.POEntry:
    props = list(unit.props)
    keys = {k for k, _ in props}
    source = _clean(unit.source)
    target = _clean(unit.target)
    fuzzy = unit.fuzzy
    if target and _starts_ends(source) != _starts_ends(target):
        fuzzy = True
    msgctxt: str | None = _clean(unit.id)
    plural_source: str | None = None
    forms: dict[int, str] = {}
    flags: list[str] = []
    tcomments: list[str] = []
    previous: dict[str, str] = {}
    occurrences: list[tuple[str, str]] = []
    for key, value in props:
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
            tcomments.append(_escape_comment(value))
        elif key == REFERENCE:
            occurrences.extend((token, "") for token in value.split())
        elif key.startswith(PREVIOUS):
            previous[key[len(PREVIOUS) :]] = _clean(value)
        else:
            tcomments.append(f"{_PROP_PREFIX}{_escape_comment(key)}: {_escape_comment(value)}")
    if unit.paragraph:
        tcomments.append(f"{PARAGRAPH}: {unit.paragraph}")
    if unit.kind is not SegmentKind.SENTENCE:
        tcomments.append(f"{KIND}: {unit.kind.value}")
    for key, value in annotation_pairs(unit, target_lang):
        if key != REVIEW:
            tcomments.append(f"{key}: {_escape_comment(value)}")
    if fuzzy:
        flags.insert(0, "fuzzy")
    if msgctxt is None and source == "":
        msgctxt = _clean(unit.id) or "-"  # an empty msgid without context is the header
    entry = polib.POEntry(
        msgid=source,
        msgctxt=msgctxt,
        tcomment="\n".join(tcomments),
        comment="\n".join(_escape_comment(note) for note in unit.notes),
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
        entry.msgstr_plural = {i: forms.get(i, "") for i in range(nplurals)}
        values = list(entry.msgstr_plural.values())
        if any(values) and not all(values) and "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")  # msgfmt -c rejects empty forms of a translated entry
    else:
        entry.msgstr = target
    if "fuzzy" not in entry.flags and _format_mismatch(entry):
        entry.flags.insert(0, "fuzzy")  # msgfmt --check-format would reject it; a person decides
    return entry


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


# ---------------------------------------------------------------------------------- reading


@dataclass
class _Entry:
    line: int
    obsolete: bool = False
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: str | None = None
    plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    tcomments: list[str] = field(default_factory=list)
    xcomments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    previous: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.msgstr is not None or bool(self.plural)


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"]|$)\s*(.*)$")
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    '"': '"',
}


class _Parser:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.entries: list[_Entry] = []

    def error(self, reason: str, line: int, hint: str = "") -> FormatError:
        return FormatError(reason, path=self.path, line=line, hint=hint)

    def string(self, raw: str, line: int) -> str:
        raw = raw.strip()
        if not raw.startswith('"'):
            raise self.error("expected a quoted string", line)
        out: list[str] = []
        i = 1
        n = len(raw)
        while i < n:
            ch = raw[i]
            if ch == '"':
                if raw[i + 1 :].strip():
                    raise self.error(
                        f"unexpected text after the closing quote: {raw[i + 1 :].strip()[:20]!r}",
                        line,
                    )
                return "".join(out)
            if ch == "\\":
                if i + 1 >= n:
                    break
                esc = raw[i + 1]
                if esc in _ESCAPES:
                    out.append(_ESCAPES[esc])
                    i += 2
                    continue
                if esc in "01234567":
                    m = re.match(r"[0-7]{1,3}", raw[i + 1 :])
                    value = int(m.group(0), 8) if m else 256
                    if value > 0x7F or value == 0:
                        raise self.error(
                            f"unsupported octal escape \\{m.group(0) if m else esc}", line
                        )
                    out.append(chr(value))
                    i += 1 + len(m.group(0)) if m else 2
                    continue
                if esc == "x":
                    m = re.match(r"[0-9a-fA-F]{1,2}", raw[i + 2 :])
                    if not m or int(m.group(0), 16) > 0x7F or int(m.group(0), 16) == 0:
                        raise self.error(
                            f"unsupported hex escape \\x{m.group(0) if m else ''}", line
                        )
                    out.append(chr(int(m.group(0), 16)))
                    i += 2 + len(m.group(0))
                    continue
                raise self.error(
                    f"invalid escape sequence \\{esc}", line, 'allowed: \\n \\t \\" \\\\ ...'
                )
            out.append(ch)
            i += 1
        raise self.error("unterminated string (missing closing quote)", line)

    def parse(self) -> list[_Entry]:
        cur = _Entry(line=1)
        last: tuple[str, int] | None = None  # field being continued, plural index
        in_previous = False

        def finish(next_line: int) -> _Entry:
            nonlocal last
            if cur.msgid is not None or cur.msgstr is not None or cur.plural:
                self._close(cur)
                self.entries.append(cur)
            last = None
            return _Entry(line=next_line)

        for number, original in enumerate(self.lines, start=1):
            line = original.strip()
            if not line:
                continue
            obsolete = False
            if line.startswith("#~"):
                obsolete = True
                line = line[2:].strip()
                if not line:
                    continue
                if line.startswith("|"):
                    line = "#" + line
            if line.startswith("#|"):
                rest = line[2:].strip()
                if cur.complete:
                    cur = finish(number)
                if not rest:
                    raise self.error("dangling '#|' (previous-msgid line without content)", number)
                if rest.startswith('"'):
                    if last is None or not in_previous:
                        raise self.error("'#|' continuation without a previous field", number)
                    cur.previous[last[0]] += self.string(rest, number)
                    continue
                m = _KEYWORD.match(rest)
                if not m or m.group(1) not in ("msgctxt", "msgid", "msgid_plural"):
                    raise self.error(f"invalid previous-msgid line: {rest[:30]!r}", number)
                name = m.group(1).replace("_", "-")
                cur.previous[name] = self.string(m.group(3), number)
                last, in_previous = (name, -1), True
                continue
            if line.startswith("#") and not obsolete:
                if cur.complete:
                    cur = finish(number)
                last = None
                kind = line[1:2]
                body = line[2:]
                if kind == ",":
                    cur.flags.extend(f.strip() for f in body.split(",") if f.strip())
                elif kind == ".":
                    cur.xcomments.append(body[1:] if body.startswith(" ") else body)
                elif kind == ":":
                    cur.references.append(body.strip())
                elif kind in ("", " ", "\t"):
                    text = line[1:]
                    cur.tcomments.append(text[1:] if text.startswith(" ") else text)
                continue
            if line.startswith('"'):
                if last is None:
                    raise self.error("string continuation without a keyword before it", number)
                self._append(cur, last, self.string(line, number), in_previous)
                continue
            m = _KEYWORD.match(line)
            if not m:
                word = line.split()[0][:30]
                raise self.error(f"unknown keyword {word!r}", number)
            keyword, index, rest = m.group(1), m.group(2), m.group(3)
            if not rest:
                raise self.error(f"{keyword} without a string", number)
            value = self.string(rest, number)
            in_previous = False
            if keyword in ("msgctxt", "msgid") and (
                cur.complete or (keyword == "msgctxt" and cur.msgid is not None)
            ):
                if not cur.complete:
                    raise self.error(f"{keyword} before the msgstr of the previous entry", number)
                cur = finish(number)
            if keyword in ("msgctxt", "msgid") and cur.msgid is None and cur.msgctxt is None:
                cur.line = number
            cur.obsolete = cur.obsolete or obsolete
            if keyword == "msgctxt":
                cur.msgctxt = value
                last = ("msgctxt", -1)
            elif keyword == "msgid":
                if cur.msgid is not None:
                    raise self.error("msgid twice in one entry (missing msgstr?)", number)
                cur.msgid = value
                last = ("msgid", -1)
            elif keyword == "msgid_plural":
                if cur.msgid is None or cur.msgid_plural is not None:
                    raise self.error("msgid_plural must follow msgid", number)
                cur.msgid_plural = value
                last = ("msgid_plural", -1)
            elif index is None:
                if cur.msgid is None:
                    raise self.error("msgstr without msgid", number)
                if cur.msgid_plural is not None:
                    raise self.error("plural entry needs msgstr[N], found msgstr", number)
                if cur.msgstr is not None:
                    raise self.error("msgstr twice in one entry", number)
                cur.msgstr = value
                last = ("msgstr", -1)
            else:
                if cur.msgid_plural is None:
                    raise self.error("msgstr[N] in an entry without msgid_plural", number)
                if len(index) > 2:
                    raise self.error(f"plural index {index} out of range", number)
                position = int(index)
                if position in cur.plural:
                    raise self.error(f"msgstr[{position}] twice in one entry", number)
                cur.plural[position] = value
                last = ("plural", position)
        if cur.msgid is not None and not cur.complete:
            raise self.error("entry without msgstr at the end of the file", cur.line)
        finish(len(self.lines))
        return self.entries

    def _append(self, cur: _Entry, last: tuple[str, int], value: str, in_previous: bool) -> None:
        name, index = last
        if in_previous:
            cur.previous[name] += value
        elif name == "msgctxt":
            cur.msgctxt = (cur.msgctxt or "") + value
        elif name == "msgid":
            cur.msgid = (cur.msgid or "") + value
        elif name == "msgid_plural":
            cur.msgid_plural = (cur.msgid_plural or "") + value
        elif name == "msgstr":
            cur.msgstr = (cur.msgstr or "") + value
        else:
            cur.plural[index] += value

    def _close(self, entry: _Entry) -> None:
        if entry.msgid is None:
            raise self.error("msgstr without msgid", entry.line)
        if entry.msgid_plural is not None and not entry.plural:
            raise self.error("msgid_plural without msgstr[N] forms", entry.line)
        if entry.plural:
            indices = sorted(entry.plural)
            if indices != list(range(len(indices))):
                shown = ", ".join(str(i) for i in indices)
                raise self.error(f"plural forms have a gap in their indices ({shown})", entry.line)


def _valid_plural_forms(value: str) -> bool:
    try:
        _check_plural_forms(value)
    except ValueError:
        return False
    return bool(value)


def _check_plural_forms(value: str) -> int:
    """Validate a Plural-Forms value; return nplurals. Raises ValueError with the reason."""
    m = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*(?:plural\s*=\s*(.*?)\s*;?\s*)?", value, re.S)
    if not m:
        raise ValueError(f"cannot parse Plural-Forms {value[:60]!r}")
    if len(m.group(1)) > 2 or not 1 <= int(m.group(1)) <= MAX_NPLURALS:
        raise ValueError(f"nplurals={m.group(1)[:12]} is outside 1..{MAX_NPLURALS}")
    nplurals = int(m.group(1))
    expression = m.group(2)
    if expression is None:
        return nplurals
    if len(expression) > 300:
        raise ValueError("plural expression longer than 300 characters")
    try:
        function = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError):
        raise ValueError(f"invalid plural expression {expression[:60]!r}") from None
    for n in range(1001):
        try:
            form = function(n)
        except (ArithmeticError, RecursionError, TypeError, ValueError):
            raise ValueError(f"plural expression fails for n={n}") from None
        if not 0 <= int(form) < nplurals:
            raise ValueError(f"plural expression gives form {form} for n={n}, nplurals={nplurals}")
    return nplurals


# ------------------------------------------------------------------------------- decoding

_CHARSET = re.compile(rb"charset=[ \t]*([A-Za-z0-9_.:-]+)")
_CYRILLIC_CODECS = frozenset({"koi8-r", "koi8-u", "cp1251", "iso8859-5", "cp866", "mac-cyrillic"})
_CYRILLIC = re.compile("[а-яё]", re.I)
_COMMON_RU = set("оеаинтсрвлкмдпуяыь")


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    m = _CHARSET.search(data[:65536])
    declared = m.group(1).decode("ascii") if m else ""
    if declared.upper() in ("", "CHARSET"):
        declared = "utf-8"
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        line = data[: m.start()].count(b"\n") + 1 if m else 1
        raise EncodingError(
            f"unknown charset {declared!r} declared in the header", path=path, line=line
        ) from None
    if codec == "utf-8":
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            guess = _guess_legacy(data)
            hint = (
                f"the bytes look like {guess}; convert the file to UTF-8 or declare charset={guess}"
                if guess
                else "convert the file to UTF-8"
            )
            said = "the header declares UTF-8" if m else "no charset declared, UTF-8 assumed"
            raise EncodingError(
                f"not valid UTF-8 ({said})", path=path, line=line, hint=hint
            ) from None
    try:
        as_utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None and _CYRILLIC.search(as_utf8) and not data.isascii():
        raise EncodingError(
            f"the header declares charset {declared} but the file is UTF-8",
            path=path,
            line=data[: m.start()].count(b"\n") + 1 if m else 1,
            hint="decoding it as declared would garble Cyrillic; fix the Content-Type header",
        )
    if codec in _CYRILLIC_CODECS and _high_byte_runs(data) < 0.5:
        raise EncodingError(
            f"the header declares charset {declared} but the text does not look Cyrillic",
            path=path,
            line=data[: m.start()].count(b"\n") + 1 if m else 1,
            hint="accented letters stand alone, as in ISO-8859-1; fix the Content-Type header",
        )
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EncodingError(
            f"bytes not valid in the declared charset {declared}", path=path, line=line
        ) from None


def _high_byte_runs(data: bytes) -> float:
    """Share of non-ASCII bytes next to another non-ASCII byte (1.0 when there are none).

    Cyrillic words in a single-byte charset are runs of high bytes; Latin-1 accents stand alone.
    """
    high = [i for i, b in enumerate(data) if b >= 0x80]
    if len(high) < 4:
        return 1.0
    runs = sum(
        1
        for i in high
        if (i > 0 and data[i - 1] >= 0x80) or (i + 1 < len(data) and data[i + 1] >= 0x80)
    )
    return runs / len(high)


def _guess_legacy(data: bytes) -> str:
    """Name the legacy Cyrillic encoding the bytes most likely are ('' if neither fits)."""
    if _high_byte_runs(data) < 0.7:
        return ""
    best, best_score = "", 0.0
    for name in ("cp1251", "koi8-r"):
        text = data.decode(name, errors="replace")
        letters = [c for c in text.lower() if "а" <= c <= "я" or c == "ё"]
        if len(letters) < 4:
            continue
        score = sum(1 for c in letters if c in _COMMON_RU) / len(letters)
        if score > best_score:
            best, best_score = name, score
    return best if best_score > 0.45 else ""


# -------------------------------------------------------------------------------- to units


def read_po(path: str | Path, pair: LanguagePair | None = None) -> Bitext:
    """Read a PO/POT file into a ``Bitext`` (obsolete entries are not units; their count is
    kept in the ``x-transpipe-obsolete`` prop). ``pair`` overrides the header languages."""
    p = Path(path)
    checked_size(p, max_bytes=MAX_PO_BYTES, expected="a PO file")
    text = _decode(p, p.read_bytes())
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FormatError(
            "NUL character in the file", path=p, line=line, hint="PO strings cannot hold NUL"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    entries = _Parser(p, text).parse()
    header: _Entry | None = None
    active: list[_Entry] = []
    obsolete = 0
    seen: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        if entry.obsolete:
            obsolete += 1
            continue
        if entry.msgid == "" and entry.msgctxt is None:
            if header is not None:
                raise FormatError(
                    'a second header entry (msgid "")',
                    path=p,
                    line=entry.line,
                    hint=f"first at line {header.line}",
                )
            header = entry
            continue
        key = (entry.msgctxt, entry.msgid or "")
        if key in seen:
            raise FormatError(
                "duplicate message definition",
                path=p,
                line=entry.line,
                hint=f"first defined at line {seen[key]}",
            )
        seen[key] = entry.line
        active.append(entry)
    metadata = _metadata(header.msgstr or "" if header else "")
    if "Plural-Forms" in metadata and "INTEGER" not in metadata["Plural-Forms"]:  # POT placeholder
        try:
            _check_plural_forms(metadata["Plural-Forms"])
        except ValueError as exc:
            raise FormatError(
                f"bad Plural-Forms header: {exc}", path=p, line=header.line if header else 1
            ) from None
    if pair is None:
        source = metadata.get("X-Source-Language", "").strip() or "en"
        target = metadata.get("Language", "").strip() or "und"
        pair = LanguagePair(source.replace("_", "-"), target.replace("_", "-"))
    contexts = [e.msgctxt for e in active]
    unique = (
        {c for c in contexts if c is not None and contexts.count(c) == 1}
        if len(active) < 5000
        else _unique(contexts)
    )
    units = [_unit(entry, n, p.stem, unique) for n, entry in enumerate(active, start=1)]
    props = list(metadata.items())
    if obsolete:
        props.append(("x-transpipe-obsolete", str(obsolete)))
    created = _iso_from_po(metadata.get("POT-Creation-Date", "")) or _iso_from_po(
        metadata.get("PO-Revision-Date", "")
    )
    return Bitext(name=p.stem, pair=pair, units=tuple(units), created=created, props=tuple(props))


def _unique(contexts: list[str | None]) -> set[str]:
    counts: dict[str, int] = {}
    for c in contexts:
        if c is not None:
            counts[c] = counts.get(c, 0) + 1
    return {c for c, n in counts.items() if n == 1}


def _metadata(header: str) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for line in header.split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and " " not in key.strip():
            metadata.setdefault(key.strip(), value.strip())
    return metadata


def _unit(entry: _Entry, number: int, stem: str, unique: set[str]) -> Unit:
    props: list[tuple[str, str]] = []
    pairs: list[tuple[str, str]] = []
    if entry.msgctxt is not None and entry.msgctxt in unique:
        uid = entry.msgctxt
    else:
        uid = f"{stem}:e{number}"
        if entry.msgctxt is None:
            props.append((NO_MSGCTXT, "1"))
        else:
            props.append((MSGCTXT, entry.msgctxt))
    paragraph = 0
    kind = SegmentKind.SENTENCE
    for comment in entry.tcomments:
        key, sep, value = comment.partition(": ")
        if comment.startswith(_PROP_PREFIX) and sep:
            props.append((_unescape_comment(key[len(_PROP_PREFIX) :]), _unescape_comment(value)))
        elif sep and key == PARAGRAPH and value.isdigit() and len(value) < 10:
            paragraph = int(value)
        elif sep and key == KIND and value in {k.value for k in SegmentKind}:
            kind = SegmentKind(value)
        elif sep and key in _ANNOTATION_KEYS:
            pairs.append((key, _unescape_comment(value)))
        else:
            props.append((COMMENT, _unescape_comment(comment)))
    flags = [f for f in entry.flags if f != "fuzzy"]
    if flags:
        props.append((FLAGS, ", ".join(flags)))
    for reference in entry.references:
        props.append((REFERENCE, reference))
    for name, value in entry.previous.items():
        props.append((PREVIOUS + name, value))
    target = entry.msgstr or ""
    if entry.msgid_plural is not None:
        props.append((MSGID_PLURAL, entry.msgid_plural))
        target = entry.plural.get(0, "")
        props.extend((_msgstr_key(i), entry.plural[i]) for i in sorted(entry.plural) if i > 0)
    parsed = parse_pairs(props + pairs)
    return Unit(
        id=uid,
        source=entry.msgid or "",
        target=target,
        paragraph=paragraph,
        kind=kind,
        fuzzy="fuzzy" in entry.flags,
        notes=tuple(_unescape_comment(c) for c in entry.xcomments),
        props=parsed.props,
        term_audit=parsed.term_audit,
        issues=parsed.issues,
        score=parsed.score,
    )
