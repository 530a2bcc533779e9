"""PO syntax: the text of a PO file, line by line, into raw entries, strictly.

Owns PO parsing. polib accepts unterminated strings, unknown escapes and index gaps silently,
so the file is parsed here with one clear error (file and line) for bad escapes, unterminated
strings, unknown keywords, dangling ``#|``, misplaced keywords and plural index gaps. The
result keeps every part of an entry (comments of each kind, flags, references, previous
msgid, obsolete marker) as found; what the entries mean is :mod:`.reader`'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from transpipe.errors import FormatError


@dataclass
class PoEntry:
    """One entry as written: strings unescaped, comments without their ``#x`` marker."""

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
        self.entries: list[PoEntry] = []

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

    def parse(self) -> list[PoEntry]:
        cur = PoEntry(line=1)
        last: tuple[str, int] | None = None  # field being continued, plural index
        in_previous = False

        def finish(next_line: int) -> PoEntry:
            nonlocal last
            if cur.msgid is not None or cur.msgstr is not None or cur.plural:
                self._close(cur)
                self.entries.append(cur)
            last = None
            return PoEntry(line=next_line)

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

    def _append(self, cur: PoEntry, last: tuple[str, int], value: str, in_previous: bool) -> None:
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

    def _close(self, entry: PoEntry) -> None:
        if entry.msgid is None:
            raise self.error("msgstr without msgid", entry.line)
        if entry.msgid_plural is not None and not entry.plural:
            raise self.error("msgid_plural without msgstr[N] forms", entry.line)
        if entry.plural:
            indices = sorted(entry.plural)
            if indices != list(range(len(indices))):
                shown = ", ".join(str(i) for i in indices)
                raise self.error(f"plural forms have a gap in their indices ({shown})", entry.line)


def parse_entries(path: Path, text: str) -> list[PoEntry]:
    """The entries of ``text`` (LF line ends) in file order, header and obsolete ones included."""
    return _Parser(path, text).parse()
