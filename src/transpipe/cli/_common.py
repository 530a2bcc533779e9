"""Helpers shared by subcommands: reading input files, writing outputs safely, the clock.

Owns the CLI's contact with the outside world: environment variables, the clock, reading a
user's text file with a clear error, and atomic output writes (temp file + rename, never
overwriting a file with a failed run's output).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from transpipe.config import Paths
from transpipe.errors import EncodingError, InputError, OutputError
from transpipe.inputs import checked_size, looks_like_cp1251

MAX_TEXT_BYTES = 50 * 1024 * 1024


def read_text_file(path: str | Path, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """Read a UTF-8 text file (BOM tolerated, CRLF normalised) or raise a clear InputError."""
    p = Path(path)
    checked_size(p, max_bytes=max_bytes, expected="a text file")
    data = p.read_bytes()
    return decode_text(data, p)


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; name legacy encodings on failure."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            hint = "convert it to UTF-8"
            if looks_like_cp1251(data):
                hint = "the file looks like cp1251 (Windows Cyrillic); convert it to UTF-8"
            raise EncodingError("not valid UTF-8", path=path, line=line, hint=hint) from None
    if "\x00" in text:
        raise EncodingError("contains NUL characters", path=path, hint="not a text file?")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def created_timestamp(environ: Mapping[str, str] | None = None) -> str:
    """ISO-8601 UTC timestamp from SOURCE_DATE_EPOCH if set (reproducible builds), else now."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError):
            raise InputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    else:
        moment = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def atomic_output(path: str | Path, *, overwrite: bool = True) -> Iterator[BinaryIO]:
    """Write to a temp file beside ``path`` and rename it into place only on success.

    A failure inside the block removes the temp file and leaves any existing ``path`` as it
    was. With ``overwrite=False`` an existing file is an ``OutputError``.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise OutputError("already exists; not overwriting", path=target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=target) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
        _publish(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publish(tmp: Path, target: Path) -> None:
    """Give the temp file ordinary permissions (mkstemp makes it 0600) and rename it."""
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, target)


def write_outputs(outputs: Mapping[Path, Callable[[BinaryIO], None]]) -> None:
    """Write several files all-or-nothing: render all to temp files, then rename them all."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, render in outputs.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
            staged.append((Path(tmp_name), target))
            with os.fdopen(fd, "wb") as stream:
                render(stream)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        _publish(tmp, target)


def stdout_line(text: str) -> None:
    """Print one line of UTF-8 to stdout regardless of the locale."""
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")


def paths_from_env(environ: Mapping[str, str] | None = None) -> Paths:
    """The model store: ``$TRANSPIPE_MODELS_DIR`` if set, else the per-user data directory."""
    from transpipe.models.layout import MODELS_DIR_ENV, default_models_dir

    env = os.environ if environ is None else environ
    value = env.get(MODELS_DIR_ENV)
    return Paths(models_dir=Path(value).expanduser() if value else default_models_dir())
