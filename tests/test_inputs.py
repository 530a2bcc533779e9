"""The one text decoder and the capped reads behind every input (``transpipe.inputs``).

Decoding (UTF-8 with or without BOM, UTF-16 with BOM, a named legacy encoding, the cp1251 and
KOI8-R hints, NUL, line ends), the size cap counted on bytes read (``/dev/zero``, a FIFO fed
forever), and the one-line errors for a directory or a missing file. Permission denied is in
``test_file_safety.py`` (it needs a process without root's override).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from transpipe.errors import EncodingError, FormatError, InputError, UnsafeInputError
from transpipe.inputs import (
    decode_text,
    guess_legacy_encoding,
    open_capped,
    read_bytes,
    read_text,
)

RU = "Совет коллективной безопасности собрался в Ереване.\nСтороны обсудили ситуацию."


@pytest.mark.parametrize(
    "data",
    [
        RU.encode("utf-8"),
        b"\xef\xbb\xbf" + RU.encode("utf-8"),
        RU.encode("utf-16"),  # with BOM
        RU.replace("\n", "\r\n").encode("utf-8"),
        RU.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "crlf", "cr"],
)
def test_text_decodes_to_the_same_string(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert read_text(path) == RU


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_legacy_cyrillic_is_named_with_the_line(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(("First line in ASCII.\n" + RU).encode(encoding))
    with pytest.raises(EncodingError) as info:
        read_text(path)
    message = str(info.value)
    assert message.startswith(f"{path}:2: not valid UTF-8")
    assert f"look like {encoding}" in message
    assert guess_legacy_encoding(RU.encode(encoding)) == encoding


def test_named_encoding_is_used_and_the_fix_is_suggested(tmp_path: Path) -> None:
    data = RU.encode("cp1251")
    assert decode_text(data, "g.tsv", encoding="cp1251") == RU
    with pytest.raises(EncodingError, match=r"or pass --encoding cp1251"):
        decode_text(data, "g.tsv", legacy_fix="pass --encoding {encoding}")
    with pytest.raises(EncodingError, match="unknown encoding 'klingon'"):
        decode_text(data, "g.tsv", encoding="klingon")


def test_latin1_bytes_get_no_cyrillic_guess() -> None:
    assert guess_legacy_encoding("Café au lait, naïve façade".encode("latin-1")) == ""


def test_nul_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bin.txt"
    path.write_bytes(b"one\ntwo\x00three\n")
    with pytest.raises(FormatError, match=r"bin\.txt:2: NUL character"):
        read_text(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: file not found"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory, expected a text file"):
        read_text(tmp_path)


def test_cap_counts_bytes_read_not_stat(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(InputError, match="file is 2000 bytes, above the 1000-byte limit"):
        read_bytes(path, max_bytes=1000)
    assert read_bytes(path, max_bytes=2000) == b"x" * 2000


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this platform")
def test_dev_zero_stops_at_the_cap() -> None:
    """``stat`` says 0 bytes; reading must stop at the cap instead of running forever."""
    with pytest.raises(InputError, match="above the 65536-byte limit"):
        read_bytes("/dev/zero", max_bytes=65536)
    with pytest.raises(InputError, match="not a regular file"):
        open_capped("/dev/zero", max_bytes=65536)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_fed_forever_stops_at_the_cap(tmp_path: Path) -> None:
    fifo = tmp_path / "endless.txt"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed() -> None:
        try:
            with fifo.open("wb") as stream:
                while not stop.is_set():
                    stream.write(b"Endless news. " * 4096)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        with pytest.raises(InputError, match="above the 1000000-byte limit"):
            read_text(fifo, max_bytes=1_000_000)
    finally:
        stop.set()
        writer.join(timeout=10)
    assert not writer.is_alive()


def test_fifo_with_a_finite_writer_is_read(tmp_path: Path) -> None:
    """Process substitution (``<(cmd)``) and pipes are legitimate text inputs."""
    fifo = tmp_path / "piped.txt"
    os.mkfifo(fifo)
    writer = subprocess.Popen(
        [sys.executable, "-c", f"open({str(fifo)!r}, 'wb').write({RU.encode()!r})"]
    )
    try:
        assert read_text(fifo) == RU
    finally:
        writer.wait(timeout=30)


def test_capped_stream_for_xml_counts_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.tmx"
    path.write_bytes(b"<tmx>" + b" " * 5000 + b"</tmx>")
    with pytest.raises(UnsafeInputError, match="5011 bytes, above the 100-byte limit"):
        open_capped(path, max_bytes=100, too_large=UnsafeInputError)
    with open_capped(path, max_bytes=6000, too_large=UnsafeInputError) as stream:
        with path.open("ab") as grow:  # the file grows after the size check
            grow.write(b" " * 5000)
        with pytest.raises(UnsafeInputError, match="above the 6000-byte limit"):
            stream.read()
