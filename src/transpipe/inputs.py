"""First contact with an input file: opening, size caps, and the one text decoder.

Every reader (plain text, TMX/XLIFF/TBX, PO, glossaries, SRX) starts here, so a missing file,
a directory, a file we may not read, an oversized file or Windows-Cyrillic bytes are reported
the same way everywhere: one ``InputError`` line naming the file.

* :func:`read_bytes` reads a whole file with the size cap applied to the bytes actually read,
  not to ``stat`` (``/dev/zero``, a FIFO fed forever or a growing file stop at the cap).
* :func:`read_text` reads and decodes a text input; :func:`decode_text` is the only text
  decoding in transpipe: UTF-8 (BOM tolerated), UTF-16 with a BOM, or an encoding the caller
  names (a ``--encoding`` option, a PO header's charset). Undecodable bytes name the line and,
  when they look like it, the legacy Cyrillic encoding (:func:`guess_legacy_encoding`); a NUL
  character is refused; CRLF and CR become LF.
* :func:`open_capped` opens a regular file for streaming parsers (XML) behind a reader that
  stops at the cap.
* :func:`os_input_error` turns an ``OSError`` met while reading into the one-line error.
* :func:`check_language` refuses a text whose script says it is not in the language the user
  gave (a Russian article passed with ``--from en``); a command's ``--skip-language-check``
  turns it off. The verdict is :func:`transpipe.lang.script.detect_language`.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from transpipe.errors import EncodingError, FormatError, InputError

MAX_TEXT_BYTES = 50 * 1024 * 1024
"""Largest plain-text input (an article, a corpus file, a reference)."""

LANGUAGE_CHECK_LETTERS = 20
"""Letters a text needs before its script may refuse it (a caption or a name is too little)."""
LANGUAGE_CHECK_SHARE = 0.75
"""Share of the counted letters one script needs for a verdict."""
SKIP_LANGUAGE_CHECK = "--skip-language-check"
_LANGUAGE_NAMES = {"ru": "Russian", "en": "English"}

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_CHUNK = 1024 * 1024
_COMMON_RU = frozenset("оеаинтсрвлкмдпуяыь")
_LEGACY = {"cp1251": "Windows Cyrillic", "koi8-r": "KOI8 Cyrillic"}


def os_input_error(exc: OSError, path: str | Path, *, expected: str = "a file") -> InputError:
    """The one-line error for an OS failure while opening or reading ``path``."""
    if isinstance(exc, FileNotFoundError):
        return InputError("file not found", path=path)
    if isinstance(exc, IsADirectoryError):
        return InputError(f"is a directory, expected {expected}", path=path)
    if isinstance(exc, PermissionError):
        return InputError("cannot read: permission denied", path=path)
    reason = exc.strerror or errno.errorcode.get(exc.errno or 0, "") or str(exc)
    return InputError(f"cannot read: {reason}", path=path)


def _open(path: Path, expected: str) -> io.BufferedReader:
    try:
        if path.is_dir():
            raise InputError(f"is a directory, expected {expected}", path=path)
        return path.open("rb")
    except OSError as exc:
        raise os_input_error(exc, path, expected=expected) from exc


def _too_large(
    limit: int, path: Path, error: type[InputError], size: int | None = None
) -> InputError:
    said = f"file is {size} bytes, above" if size is not None else "file is above"
    return error(f"{said} the {limit}-byte limit", path=path)


def read_bytes(
    path: str | Path,
    *,
    max_bytes: int,
    expected: str = "a file",
    too_large: type[InputError] = InputError,
) -> bytes:
    """The whole content of ``path``, read in chunks and refused past ``max_bytes``."""
    p = Path(path)
    with _open(p, expected) as stream:
        try:
            size = os.fstat(stream.fileno())
            if stat.S_ISREG(size.st_mode) and size.st_size > max_bytes:
                raise _too_large(max_bytes, p, too_large, size.st_size)
            chunks: list[bytes] = []
            total = 0
            while True:
                chunk = stream.read(min(_CHUNK, max_bytes + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > max_bytes:
                    raise _too_large(max_bytes, p, too_large)
        except OSError as exc:
            raise os_input_error(exc, p, expected=expected) from exc
    return b"".join(chunks)


class _CappedReader(io.RawIOBase):
    """A read-only stream that raises ``too_large`` once more than ``limit`` bytes are read."""

    def __init__(
        self, raw: io.BufferedReader, path: Path, limit: int, too_large: type[InputError]
    ) -> None:
        super().__init__()
        self._raw = raw
        self._path = path
        self._limit = limit
        self._too_large = too_large
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        try:
            count = self._raw.readinto(buffer)
        except OSError as exc:
            raise os_input_error(exc, self._path) from exc
        self._read += count
        if self._read > self._limit:
            raise _too_large(self._limit, self._path, self._too_large)
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_capped(
    path: str | Path,
    *,
    max_bytes: int,
    expected: str = "a file",
    too_large: type[InputError] = InputError,
) -> BinaryIO:
    """Open a regular file for a streaming parser; reading past ``max_bytes`` raises.

    Pipes and devices are refused: a streaming parser may need to open the file twice.
    """
    p = Path(path)
    stream = _open(p, expected)
    try:
        info = os.fstat(stream.fileno())
    except OSError as exc:
        stream.close()
        raise os_input_error(exc, p, expected=expected) from exc
    if not stat.S_ISREG(info.st_mode):
        stream.close()
        raise InputError(
            f"not a regular file, expected {expected}", path=p, hint="save it to a file first"
        )
    if info.st_size > max_bytes:
        stream.close()
        raise _too_large(max_bytes, p, too_large, info.st_size)
    capped: BinaryIO = io.BufferedReader(_CappedReader(stream, p, max_bytes, too_large), _CHUNK)
    return capped


def read_text(
    path: str | Path,
    *,
    max_bytes: int = MAX_TEXT_BYTES,
    encoding: str | None = None,
    expected: str = "a text file",
    language: str | None = None,
) -> str:
    """Read and decode a text file (see :func:`decode_text`) or raise a clear ``InputError``;
    with ``language``, a text in another language is refused (:func:`check_language`)."""
    p = Path(path)
    text = decode_text(read_bytes(p, max_bytes=max_bytes, expected=expected), p, encoding=encoding)
    if language is not None:
        check_language(text, language, p)
    return text


def check_language(text: str, language: str, path: str | Path) -> None:
    """Refuse ``text`` when its script says it is written in another language than
    ``language`` (too few letters, or mixed scripts, are no evidence and pass)."""
    from transpipe.lang.codes import primary
    from transpipe.lang.script import detect_language

    found = detect_language(
        text, min_letters=LANGUAGE_CHECK_LETTERS, min_share=LANGUAGE_CHECK_SHARE
    ).lang
    wanted = primary(language)
    if found is None or found == ("ru" if wanted == "ru" else "en"):  # same script
        return
    raise InputError(
        f"the text is in {_LANGUAGE_NAMES[found]} ({_script(found)} script), but "
        f"{_LANGUAGE_NAMES.get(wanted, wanted)} was given for it",
        path=path,
        hint=f"check the file and the language options, or pass {SKIP_LANGUAGE_CHECK}",
    )


def _script(lang: str) -> str:
    return "Cyrillic" if lang == "ru" else "Latin"


def decode_text(
    data: bytes,
    path: str | Path,
    *,
    encoding: str | None = None,
    context: str = "",
    legacy_fix: str = "",
) -> str:
    """Decode the bytes of a text input; LF line ends; NUL refused (see the module docstring).

    ``encoding`` names the encoding to use instead of UTF-8 (a BOM still wins). ``context``
    says, in an error, where the expectation of UTF-8 came from; ``legacy_fix`` is a way to
    read a legacy file after all, e.g. ``"pass --encoding {encoding}"``.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError("invalid UTF-16 despite its byte-order mark", path=path) from exc
    elif encoding is not None and _codec(encoding, path) != "utf-8":
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise EncodingError(f"bytes not valid in {encoding}", path=path, line=line) from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            guess = guess_legacy_encoding(data)
            hint = "convert it to UTF-8"
            if guess:
                hint = f"the bytes look like {guess} ({_LEGACY[guess]}); convert it to UTF-8"
                if legacy_fix:
                    hint += " or " + legacy_fix.format(encoding=guess)
            said = f"not valid UTF-8 ({context})" if context else "not valid UTF-8"
            raise EncodingError(said, path=path, line=line, hint=hint) from exc
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FormatError(
            "NUL character in the file", path=path, line=line, hint="not a text file?"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _codec(encoding: str, path: str | Path) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError as exc:
        raise EncodingError(f"unknown encoding {encoding!r}", path=path) from exc


def high_byte_runs(data: bytes) -> float:
    """Share of non-ASCII bytes next to another non-ASCII byte (1.0 when there are few).

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


def guess_legacy_encoding(data: bytes) -> str:
    """``"cp1251"`` or ``"koi8-r"`` when undecodable bytes look like Russian text in that
    encoding (common letters dominate), else ``""``. Looks at the first 1 MiB."""
    sample = data[:_CHUNK]
    if sum(1 for b in sample if b >= 0x80) < 4 or high_byte_runs(sample) < 0.7:
        return ""
    best, best_score = "", 0.0
    for name in _LEGACY:
        text = sample.decode(name, errors="replace")
        letters = [c for c in text.lower() if "а" <= c <= "я" or c == "ё"]
        if len(letters) < 4:
            continue
        score = sum(1 for c in letters if c in _COMMON_RU) / len(letters)
        if score > best_score:
            best, best_score = name, score
    return best if best_score > 0.45 else ""
